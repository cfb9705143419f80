// Tokens under pressure and attack: 1,000 concurrent refreshes with rotation
// never sign anyone out within the grace window; replaying a rotated refresh
// token after it revokes the whole family (REST and open sockets); forged
// access tokens are refused by REST and by the socket handshake alike; one
// token, or one user, cannot hold more sockets than the caps allow.
import { randomUUID } from 'node:crypto'
import { decodeJwt, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TokenPair } from '../../src/shared/schemas/auth'
import { mapLimit } from '../bench/util'
import { DEFAULT_SOCKETS_PER_SESSION, DEFAULT_SOCKETS_PER_USER } from '../../server/realtime/socket-caps'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, tokenKey, type TestServer } from '../helpers/server'
import { connect, emitAck, type ClientSocket } from '../helpers/socket'
import { scale } from './helpers/soak'

const CONCURRENT = scale('RELIABILITY_REFRESHES', 1000, 1000)
const SESSIONS = 20

let srv: TestServer
let strict: TestServer
let user: TestUser

beforeAll(async () => {
  ;[srv, strict] = await Promise.all([
    // The 1,000 racing refreshes are many clients' worth of connections, all from 127.0.0.1.
    startServer({ loginLimit: { windowMs: 60_000, max: 100_000 }, maxConnectionsPerAddress: 0 }),
    // No grace: any re-use of a rotated token is theft.
    startServer({ refreshReuseGraceMs: 0 })
  ])
  user = await register(srv.url)
})
afterAll(async () => {
  await Promise.all([srv.destroy(), strict.destroy()])
})

async function login(url: string, u: TestUser): Promise<TokenPair> {
  const res = await api(url, 'POST', '/auth/login', { body: { username: u.user.username, password: u.password } })
  expect(res.status).toBe(200)
  return res.body as TokenPair
}

const refresh = (url: string, refreshToken: string) => api<TokenPair>(url, 'POST', '/auth/refresh', { body: { refreshToken } })

describe('refresh rotation', () => {
  it(`${CONCURRENT} concurrent refreshes (several per token, as racing retries do) all succeed, and so do the next ones`, { timeout: 300_000 }, async () => {
    const sessions = await mapLimit(Array.from({ length: SESSIONS }), 4, () => login(srv.url, user))
    // Every session's one current token is refreshed CONCURRENT / SESSIONS times at once.
    const round = async (tokens: string[]): Promise<TokenPair[]> => {
      const results = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => refresh(srv.url, tokens[i % tokens.length]!)))
      const refused = results.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`)
      expect(refused).toEqual([])
      return results.map((r) => r.body)
    }
    const first = await round(sessions.map((s) => s.refreshToken))
    expect(new Set(first.map((p) => p.refreshToken)).size).toBe(CONCURRENT)
    // Each of the 1,000 new tokens is a live session: it refreshes again, and its access token works.
    const second = await round(first.map((p) => p.refreshToken))
    const me = await mapLimit(second.concat(first), 32, (p) => api(srv.url, 'GET', '/me', { token: p.accessToken }))
    expect(me.filter((r) => r.status !== 200)).toEqual([])
    // Socket handshakes with the newest access tokens are accepted.
    const sockets = await Promise.all(second.slice(0, 20).map((p) => connect(srv.url, p.accessToken)))
    sockets.forEach((s) => s.close())
  })

  it('replaying a rotated refresh token revokes its family: every token, access token and open socket of it', async () => {
    const u = await register(strict.url)
    const other = await login(strict.url, u)
    const rotated = await refresh(strict.url, u.refreshToken)
    expect(rotated.status).toBe(200)
    const socket = await connect(strict.url, rotated.body.accessToken)
    const disconnected = new Promise<string>((resolve, reject) => {
      socket.once('disconnect', resolve)
      setTimeout(() => reject(new Error('the revoked session\'s socket was not disconnected')), 10_000).unref()
    })

    const replay = await refresh(strict.url, u.refreshToken)
    expect(replay.status).toBe(401)
    expect(replay.body).toMatchObject({ error: { code: 'session_revoked' } })
    await expect(disconnected).resolves.toBe('io server disconnect')
    expect((await refresh(strict.url, rotated.body.refreshToken)).body).toMatchObject({ error: { code: 'session_revoked' } })
    expect((await api(strict.url, 'GET', '/me', { token: rotated.body.accessToken })).body).toMatchObject({ error: { code: 'session_revoked' } })
    await expect(connect(strict.url, rotated.body.accessToken)).rejects.toMatchObject({ data: { code: 'session_revoked' } })
    // Another session of the same user is untouched.
    expect((await refresh(strict.url, other.refreshToken)).status).toBe(200)
  })

  it('an unknown or garbled refresh token is refused without revoking anything', async () => {
    const u = await register(strict.url)
    for (const token of ['x', u.refreshToken.slice(0, -1), `${u.refreshToken}a`]) {
      expect((await refresh(strict.url, token)).body).toMatchObject({ error: { code: 'invalid_token' } })
    }
    expect((await refresh(strict.url, u.refreshToken)).status).toBe(200)
  })
})

describe('forged access tokens', () => {
  it('alg none, wrong key, expired, wrong audience, wrong issuer, no session: refused by REST and the socket handshake', async () => {
    const key = await tokenKey(srv)
    const { sid } = decodeJwt(user.accessToken)
    const now = Math.floor(Date.now() / 1000)
    const sign = (secret: Uint8Array, o: { exp?: number; aud?: string; iss?: string; sid?: unknown; alg?: string } = {}): Promise<string> =>
      new SignJWT(o.sid === undefined ? { sid } : o.sid === null ? {} : { sid: o.sid })
        .setProtectedHeader({ alg: o.alg ?? 'HS256', typ: 'JWT' })
        .setSubject(user.user.id)
        .setIssuer(o.iss ?? 'messenger-server')
        .setAudience(o.aud ?? 'messenger-client')
        .setIssuedAt(now - 3600)
        .setExpirationTime(o.exp ?? now + 600)
        .sign(secret)
    const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
    const claims = user.accessToken.split('.')[1]!
    const forged: [string, string, string][] = [
      ['alg none', `${part({ alg: 'none', typ: 'JWT' })}.${claims}.`, 'invalid_token'],
      ['alg none with a signature', `${part({ alg: 'none' })}.${claims}.${user.accessToken.split('.')[2]!}`, 'invalid_token'],
      ['HS512 with the right key', await sign(key, { alg: 'HS512' }), 'invalid_token'],
      ['wrong key', await sign(new Uint8Array(32).fill(7)), 'invalid_token'],
      ['expired', await sign(key, { exp: now - 60 }), 'token_expired'],
      ['wrong audience', await sign(key, { aud: 'someone-else' }), 'invalid_token'],
      ['wrong issuer', await sign(key, { iss: 'evil-server' }), 'invalid_token'],
      ['no session claim', await sign(key, { sid: null }), 'invalid_token'],
      ['unknown session', await sign(key, { sid: '00000000-0000-4000-8000-000000000000' }), 'session_revoked'],
      ['tampered claims', `${user.accessToken.split('.')[0]!}.${part({ ...decodeJwt(user.accessToken), sub: 'someone' })}.${user.accessToken.split('.')[2]!}`, 'invalid_token'],
      ['a refresh token', user.refreshToken, 'invalid_token']
    ]
    for (const [name, token, code] of forged) {
      const res = await api(srv.url, 'GET', '/me', { token })
      expect(res.status, name).toBe(401)
      expect(res.body.error.code, name).toBe(code)
      await expect(connect(srv.url, token), name).rejects.toMatchObject({ data: { code } })
    }
    // The real one still works.
    expect((await api(srv.url, 'GET', '/me', { token: user.accessToken })).status).toBe(200)
  })
})

describe('socket caps (the defaults)', () => {
  /** Handshakes at once: the sockets admitted, and the codes of those refused. */
  async function handshakes(tokens: string[]): Promise<{ admitted: ClientSocket[]; refused: (string | undefined)[] }> {
    const results = await Promise.allSettled(tokens.map((t) => connect(srv.url, t)))
    return {
      admitted: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
      refused: results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { data?: { code?: string } }).data?.code] : []))
    }
  }

  it(`150 handshakes with one token: ${DEFAULT_SOCKETS_PER_SESSION} get in, the rest are refused with too_many_connections`, async () => {
    const u = await register(srv.url)
    const { admitted, refused } = await handshakes(Array(150).fill(u.accessToken))
    try {
      expect(admitted).toHaveLength(DEFAULT_SOCKETS_PER_SESSION)
      expect(refused).toEqual(Array(150 - DEFAULT_SOCKETS_PER_SESSION).fill('too_many_connections'))
    } finally {
      admitted.forEach((s) => s.close())
    }
  })

  it(`one user's sockets over many sessions: ${DEFAULT_SOCKETS_PER_USER} get in, the rest are refused`, async () => {
    const u = await register(srv.url)
    const sessions = await mapLimit(Array.from({ length: 10 }), 4, () => login(srv.url, u))
    const tokens = sessions.flatMap((p) => Array(4).fill(p.accessToken) as string[])
    const { admitted, refused } = await handshakes(tokens)
    try {
      expect(admitted).toHaveLength(DEFAULT_SOCKETS_PER_USER)
      expect(refused).toEqual(Array(tokens.length - DEFAULT_SOCKETS_PER_USER).fill('too_many_connections'))
      // Someone else is not affected.
      const other = await register(srv.url)
      ;(await connect(srv.url, other.accessToken)).close()
    } finally {
      admitted.forEach((s) => s.close())
    }
  })
})

describe('send limits and tokens', () => {
  it("the send budget is the user's: another session, a refreshed token or signing in again does not renew it", async () => {
    const two = { rate: { points: 1, durationMs: 60_000 }, burst: { points: 1, durationMs: 60_000 } }
    const tight = await startServer({ sendLimits: { messages: two } })
    try {
      const [u, friend] = await Promise.all([register(tight.url), register(tight.url)])
      const chat = await api(tight.url, 'POST', '/conversations', { token: u.accessToken, body: { kind: 'direct', userId: friend.user.id } })
      const send = (token: string) =>
        api(tight.url, 'POST', `/conversations/${chat.body.conversation.id}/messages`, { token, body: { clientId: randomUUID(), text: 'hi' } })
      expect((await send(u.accessToken)).status).toBe(201)
      const other = await login(tight.url, u)
      expect((await send(other.accessToken)).status).toBe(201)
      const refreshed = (await refresh(tight.url, other.refreshToken)).body
      const again = await login(tight.url, u)
      for (const token of [u.accessToken, refreshed.accessToken, again.accessToken]) {
        const res = await send(token)
        expect(res.status).toBe(429)
        expect(res.body.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
      }
      const socket = await connect(tight.url, again.accessToken)
      try {
        const ack = await emitAck(socket, 'message:send', { conversationId: chat.body.conversation.id, clientId: randomUUID(), text: 'hi' })
        expect(ack).toMatchObject({ ok: false, error: { code: 'rate_limited' } })
      } finally {
        socket.close()
      }
      // The friend's budget is whole.
      expect((await send(friend.accessToken)).status).toBe(201)
    } finally {
      await tight.destroy()
    }
  })
})

describe('bot tokens (issue 21)', () => {
  it('reach only their bot\'s conversations; forged, revoked and deleted-bot tokens are refused by REST and the handshake, and revoking cuts the sockets at once', async () => {
    // `user` is the server's first account: its admin.
    const admin = { token: user.accessToken }
    const newGroup = async (title: string): Promise<string> =>
      (await api(srv.url, 'POST', '/conversations', { ...admin, body: { kind: 'group', title, memberIds: [] } })).body.conversation.id as string
    const group = await newGroup('Bots')
    const elsewhere = await newGroup('Private')
    const bot = (await api(srv.url, 'POST', '/admin/bots', { ...admin, body: { username: `tokbot${process.pid}`, displayName: 'Tok', conversationIds: [group] } })).body.bot.user.id as string
    const mint = async (): Promise<{ id: string; secret: string }> => {
      const res = await api(srv.url, 'POST', `/admin/bots/${bot}/tokens`, admin)
      expect(res.status).toBe(201)
      return { id: res.body.token.id as string, secret: res.body.secret as string }
    }
    const [first, second] = [await mint(), await mint()]
    const send = (token: string, conversationId: string) =>
      api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token, body: { clientId: randomUUID(), text: 'beep' } })

    // Many requests at once with one bot token: each is its own, none refused.
    const statuses = await mapLimit(Array.from({ length: 50 }, (_, i) => i), 10, async () => (await send(first.secret, group)).status)
    expect(new Set(statuses)).toEqual(new Set([201]))
    expect((await send(first.secret, elsewhere)).body.error.code).toBe('forbidden')

    const forged = `mbot_${Buffer.from(randomUUID()).toString('base64url')}`
    expect((await api(srv.url, 'GET', '/conversations', { token: forged })).body.error.code).toBe('invalid_token')
    await expect(connect(srv.url, forged)).rejects.toMatchObject({ data: { code: 'invalid_token' } })

    const sockets = await Promise.all([connect(srv.url, first.secret), connect(srv.url, first.secret)])
    const other = await connect(srv.url, second.secret)
    try {
      const cut = sockets.map((s) => new Promise<void>((resolve) => s.once('disconnect', () => resolve())))
      expect((await api(srv.url, 'DELETE', `/admin/bots/${bot}/tokens/${first.id}`, admin)).status).toBe(204)
      await Promise.all(cut)
      expect((await send(first.secret, group)).body.error.code).toBe('invalid_token')
      await expect(connect(srv.url, first.secret)).rejects.toMatchObject({ data: { code: 'invalid_token' } })
      // The bot's other token is untouched.
      expect(other.connected).toBe(true)
      expect((await send(second.secret, group)).status).toBe(201)

      const gone = new Promise<void>((resolve) => other.once('disconnect', () => resolve()))
      expect((await api(srv.url, 'DELETE', `/admin/bots/${bot}`, admin)).status).toBe(204)
      await gone
      expect((await send(second.secret, group)).body.error.code).toBe('invalid_token')
    } finally {
      sockets.forEach((s) => s.close())
      other.close()
    }
  })
})
