import { randomBytes, randomUUID } from 'node:crypto'
import { SignJWT } from 'jose'
import { Memory } from 'lowdb'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../../src/shared/errors'
import { AppError } from '../../../server/errors'
import { TokenService, type TokenSettings } from '../../../server/services/tokens'
import { MetaStore } from '../../../server/store/meta-store'
import type { DbData } from '../../../server/store/records'

const ISSUER = 'messenger-server'
const AUDIENCE = 'messenger-client'

let secret: Uint8Array
let store: MetaStore

beforeEach(async () => {
  secret = new Uint8Array(randomBytes(32))
  store = await MetaStore.open()
})

function service(overrides: Partial<TokenSettings> = {}): TokenService {
  return new TokenService(store.tokens, {
    secret,
    issuer: ISSUER,
    audience: AUDIENCE,
    accessTtlSeconds: 900,
    refreshTtlMs: 30 * 24 * 3600 * 1000,
    reuseGraceMs: 30_000,
    ...overrides
  })
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  let error: unknown
  try {
    await promise
  } catch (err) {
    error = err
  }
  expect(error, `expected a rejection with ${code}`).toBeInstanceOf(AppError)
  expect((error as AppError).code).toBe(code)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Lets Date.now() move past the current millisecond, so "later" is strictly later. */
async function nextMillisecond(): Promise<void> {
  const start = Date.now()
  while (Date.now() <= start) await sleep(1)
}

interface Claims {
  sub?: string
  sid?: unknown
  iss?: string
  aud?: string
  iat?: number
  exp?: number
}

/** Signs a token by hand with full control of its claims. */
function sign(claims: Claims, key: Uint8Array = secret, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims as Record<string, unknown>).setProtectedHeader({ alg, typ: 'JWT' }).sign(key)
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = (): number => Math.floor(Date.now() / 1000)

describe('TokenService access tokens', () => {
  it('issues an access token that verifies to the user and session', async () => {
    const tokens = service()
    const userId = randomUUID()
    const { accessToken, refreshToken } = await tokens.startSession(userId)
    expect(refreshToken.length).toBeGreaterThanOrEqual(40)
    const claims = await tokens.verifyAccess(accessToken)
    expect(claims.userId).toBe(userId)
    expect((await store.tokens.familyById(claims.sessionId))?.userId).toBe(userId)
    // A second session is a different family.
    const other = await tokens.verifyAccess((await tokens.startSession(userId)).accessToken)
    expect(other.sessionId).not.toBe(claims.sessionId)
  })

  it('accepts a hand-signed token with the right key and claims (the forgeries below differ only as named)', async () => {
    const tokens = service()
    const userId = randomUUID()
    const sessionId = (await tokens.verifyAccess((await tokens.startSession(userId)).accessToken)).sessionId
    const token = await sign({ sub: userId, sid: sessionId, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 60 })
    expect(await tokens.verifyAccess(token)).toEqual({ userId, sessionId })
  })

  describe('refuses', () => {
    let tokens: TokenService
    let userId: string
    let sessionId: string
    let accessToken: string
    const good = (): Claims => ({ sub: userId, sid: sessionId, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 60 })

    beforeEach(async () => {
      tokens = service()
      userId = randomUUID()
      accessToken = (await tokens.startSession(userId)).accessToken
      sessionId = (await tokens.verifyAccess(accessToken)).sessionId
    })

    it('a token with a tampered signature', async () => {
      const [h, p, s] = accessToken.split('.') as [string, string, string]
      const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1)
      await expectCode(tokens.verifyAccess(`${h}.${p}.${flipped}`), 'invalid_token')
    })

    it('a token with a tampered payload', async () => {
      const [h, , s] = accessToken.split('.') as [string, string, string]
      const payload = b64url({ ...good(), sub: randomUUID() })
      await expectCode(tokens.verifyAccess(`${h}.${payload}.${s}`), 'invalid_token')
    })

    it('an unsigned alg:none token', async () => {
      const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(good())}.`
      await expectCode(tokens.verifyAccess(token), 'invalid_token')
    })

    it('a token signed with another key', async () => {
      await expectCode(tokens.verifyAccess(await sign(good(), new Uint8Array(randomBytes(32)))), 'invalid_token')
      const otherService = new TokenService(store.tokens, {
        secret: new Uint8Array(randomBytes(32)),
        issuer: ISSUER,
        audience: AUDIENCE,
        accessTtlSeconds: 900,
        refreshTtlMs: 60_000,
        reuseGraceMs: 0
      })
      await expectCode(tokens.verifyAccess((await otherService.startSession(userId)).accessToken), 'invalid_token')
    })

    it('a token signed with the right key but another HMAC algorithm', async () => {
      await expectCode(tokens.verifyAccess(await sign(good(), secret, 'HS512')), 'invalid_token')
    })

    it('a token for another audience or issuer', async () => {
      await expectCode(tokens.verifyAccess(await sign({ ...good(), aud: 'someone-else' })), 'invalid_token')
      await expectCode(tokens.verifyAccess(await sign({ ...good(), iss: 'another-server' })), 'invalid_token')
      await expectCode(tokens.verifyAccess((await service({ audience: 'x' }).startSession(userId)).accessToken), 'invalid_token')
    })

    it('a token without a session, subject or expiry', async () => {
      const { sid: _sid, ...noSid } = good()
      const { sub: _sub, ...noSub } = good()
      const { exp: _exp, ...noExp } = good()
      await expectCode(tokens.verifyAccess(await sign(noSid)), 'invalid_token')
      await expectCode(tokens.verifyAccess(await sign(noSub)), 'invalid_token')
      await expectCode(tokens.verifyAccess(await sign(noExp)), 'invalid_token')
      await expectCode(tokens.verifyAccess(await sign({ ...good(), sid: 42 })), 'invalid_token')
    })

    it('an expired token, with token_expired', async () => {
      await expectCode(tokens.verifyAccess(await sign({ ...good(), iat: now() - 3600, exp: now() - 60 })), 'token_expired')
    })

    it('a token that expired by its own TTL', async () => {
      const short = service({ accessTtlSeconds: 1 })
      const { accessToken: token } = await short.startSession(userId)
      await short.verifyAccess(token)
      await sleep(2100)
      await expectCode(short.verifyAccess(token), 'token_expired')
    }, 10_000)

    it('garbage', async () => {
      for (const token of ['', 'abc', 'a.b.c', `${accessToken}x`, accessToken.split('.').slice(0, 2).join('.')]) {
        await expectCode(tokens.verifyAccess(token), 'invalid_token')
      }
    })

    it('a well-signed token for a session that does not exist', async () => {
      await expectCode(tokens.verifyAccess(await sign({ ...good(), sid: randomUUID() })), 'session_revoked')
    })
  })
})

describe('TokenService refresh tokens', () => {
  it('rotates: each refresh returns a new working pair for the same user and session', async () => {
    const tokens = service({ reuseGraceMs: 0 })
    const userId = randomUUID()
    const start = await tokens.startSession(userId)
    const sessionId = (await tokens.verifyAccess(start.accessToken)).sessionId
    let refreshToken = start.refreshToken
    const seen = new Set([refreshToken])
    for (let i = 0; i < 5; i++) {
      const next = await tokens.refresh(refreshToken)
      expect(next.userId).toBe(userId)
      expect(seen.has(next.refreshToken)).toBe(false)
      seen.add(next.refreshToken)
      expect(await tokens.verifyAccess(next.accessToken)).toEqual({ userId, sessionId })
      refreshToken = next.refreshToken
    }
  })

  it('refuses an unknown refresh token with invalid_token', async () => {
    const tokens = service()
    await expectCode(tokens.refresh('not-a-token'), 'invalid_token')
    await expectCode(tokens.refresh(''), 'invalid_token')
  })

  it('treats re-use of a rotated token after the grace window as theft and revokes the whole session', async () => {
    const tokens = service({ reuseGraceMs: 0 })
    const userId = randomUUID()
    const start = await tokens.startSession(userId)
    const first = await tokens.refresh(start.refreshToken)
    const second = await tokens.refresh(first.refreshToken)
    await nextMillisecond()

    await expectCode(tokens.refresh(start.refreshToken), 'session_revoked')
    // The newest token of the family is dead too, and so is every access token of the session.
    await expectCode(tokens.refresh(second.refreshToken), 'session_revoked')
    await expectCode(tokens.refresh(first.refreshToken), 'session_revoked')
    for (const access of [start.accessToken, first.accessToken, second.accessToken]) {
      await expectCode(tokens.verifyAccess(access), 'session_revoked')
    }
    // Other sessions of the same user are not affected.
    const other = await tokens.startSession(userId)
    await tokens.verifyAccess(other.accessToken)
    await tokens.refresh(other.refreshToken)
  })

  it('within the grace window, two concurrent refreshes with the same token both get working tokens', async () => {
    const tokens = service({ reuseGraceMs: 60_000 })
    const userId = randomUUID()
    const start = await tokens.startSession(userId)
    const [a, b] = await Promise.all([tokens.refresh(start.refreshToken), tokens.refresh(start.refreshToken)])
    expect(a.refreshToken).not.toBe(b.refreshToken)
    const sessionId = (await tokens.verifyAccess(a.accessToken)).sessionId
    expect(await tokens.verifyAccess(b.accessToken)).toEqual({ userId, sessionId })
    // Neither revoked the session: both new refresh tokens keep working.
    const a2 = await tokens.refresh(a.refreshToken)
    const b2 = await tokens.refresh(b.refreshToken)
    await tokens.verifyAccess(a2.accessToken)
    await tokens.verifyAccess(b2.accessToken)
    expect((await store.tokens.familyById(sessionId))?.revokedAt).toBeNull()
  })

  it('within the grace window, a sequential retry with the old token (lost response) works too', async () => {
    const tokens = service({ reuseGraceMs: 60_000 })
    const start = await tokens.startSession(randomUUID())
    const lost = await tokens.refresh(start.refreshToken)
    await nextMillisecond()
    const retry = await tokens.refresh(start.refreshToken)
    await tokens.verifyAccess(retry.accessToken)
    await tokens.refresh(retry.refreshToken)
    await tokens.refresh(lost.refreshToken)
  })

  it('the grace window does not restart when the old token is re-used within it', async () => {
    const tokens = service({ reuseGraceMs: 1000 })
    const start = await tokens.startSession(randomUUID())
    await tokens.refresh(start.refreshToken)
    await sleep(700)
    await tokens.refresh(start.refreshToken) // within 1 s of the first rotation
    await sleep(500)
    // More than 1 s after the first rotation, though less than 1 s after the re-use.
    await expectCode(tokens.refresh(start.refreshToken), 'session_revoked')
  })

  it('200 concurrent refreshes with one token within the grace window all succeed with distinct tokens', async () => {
    const tokens = service({ reuseGraceMs: 60_000 })
    const userId = randomUUID()
    const start = await tokens.startSession(userId)
    const results = await Promise.all(Array.from({ length: 200 }, () => tokens.refresh(start.refreshToken)))
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(200)
    const claims = await Promise.all(results.map((r) => tokens.verifyAccess(r.accessToken)))
    expect(new Set(claims.map((c) => c.sessionId)).size).toBe(1)
    expect(claims.every((c) => c.userId === userId)).toBe(true)
    // Every one of the new refresh tokens works.
    const again = await Promise.all(results.map((r) => tokens.refresh(r.refreshToken)))
    expect(again).toHaveLength(200)
  })

  it('revoke() signs the session out: refresh and access then fail with session_revoked', async () => {
    const tokens = service()
    const userId = randomUUID()
    const start = await tokens.startSession(userId)
    const next = await tokens.refresh(start.refreshToken)
    const { sessionId } = await tokens.verifyAccess(next.accessToken)
    expect(await tokens.revoke(next.refreshToken)).toBe(sessionId)
    await expectCode(tokens.refresh(next.refreshToken), 'session_revoked')
    await expectCode(tokens.refresh(start.refreshToken), 'session_revoked')
    await expectCode(tokens.verifyAccess(next.accessToken), 'session_revoked')
    // Idempotent, and unknown tokens are ignored.
    expect(await tokens.revoke(next.refreshToken)).toBe(sessionId)
    expect(await tokens.revoke('unknown')).toBeNull()
  })

  it('refuses an expired refresh token with token_expired', async () => {
    const tokens = service({ refreshTtlMs: 20 })
    const start = await tokens.startSession(randomUUID())
    await sleep(40)
    await expectCode(tokens.refresh(start.refreshToken), 'token_expired')
  })

  it('keeps only hashes of refresh tokens, and works across a reload of the store', async () => {
    const memory = new Memory<DbData>()
    store = await MetaStore.open(memory)
    const tokens = service({ reuseGraceMs: 0 })
    const start = await tokens.startSession(randomUUID())
    const next = await tokens.refresh(start.refreshToken)
    const { sessionId } = await tokens.verifyAccess(next.accessToken)
    const stored = JSON.stringify(await memory.read())
    expect(stored).toContain(sessionId)
    expect(stored).not.toContain(start.refreshToken)
    expect(stored).not.toContain(next.refreshToken)

    // A restarted server (same data, same secret) rebuilds its token index.
    store = await MetaStore.open(memory)
    const restarted = service({ reuseGraceMs: 0 })
    expect(await restarted.verifyAccess(next.accessToken)).toEqual({ userId: next.userId, sessionId })
    const after = await restarted.refresh(next.refreshToken)
    await nextMillisecond()
    await expectCode(restarted.refresh(start.refreshToken), 'session_revoked')
    await expectCode(restarted.refresh(after.refreshToken), 'session_revoked')
  })

})
