import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose'
import type { TokenPair } from '../../src/shared/schemas/auth'
import { AppError } from '../errors'
import type { RefreshFamilyRecord } from '../store/records'
import type { FamilyChange, TokenRepo } from '../store/types'

export interface TokenSettings {
  /** HMAC key for access tokens (HS256, pinned). */
  secret: Uint8Array
  issuer: string
  audience: string
  accessTtlSeconds: number
  refreshTtlMs: number
  /**
   * A rotated refresh token presented again within this window gets a fresh
   * token instead of revoking the family: it covers a lost response and
   * concurrent refreshes. Later re-use means theft and revokes the family.
   */
  reuseGraceMs: number
}

export interface AccessClaims {
  userId: string
  sessionId: string
  /** Issue 21: a bot's API token (sessionId is `bot:<token id>`): only the routes and events marked for bots. */
  bot?: true
}

/** Issue 21: bot tokens are opaque, not JWTs; this prefix tells them apart before any lookup. */
export const BOT_TOKEN_PREFIX = 'mbot_'
const BOT_SESSION = 'bot:'
export const botSessionId = (tokenId: string): string => `${BOT_SESSION}${tokenId}`

/** Checks bot tokens (BotService); set once the services exist. */
export interface BotTokenCheck {
  authenticate(secret: string): Promise<AccessClaims>
  isLive(tokenId: string): Promise<boolean>
}

/** Re-use of a rotated refresh token revoked its session: its open sockets must be cut too. */
export class TokenReuseError extends AppError {
  constructor(readonly sessionId: string) {
    super('session_revoked', 'refresh token was used twice; the session is signed out for safety')
  }
}

const ALGORITHM = 'HS256'
/** Rotated hashes a family remembers, to recognise re-use. */
const ROTATED_KEPT = 20

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex')
const newRefreshToken = (): string => randomBytes(32).toString('base64url')

export class TokenService {
  /** Issue 21: bot tokens; null refuses them as invalid. */
  bots: BotTokenCheck | null = null

  constructor(
    private readonly repo: TokenRepo,
    private readonly settings: TokenSettings
  ) {}

  async startSession(userId: string): Promise<TokenPair> {
    const now = Date.now()
    const refreshToken = newRefreshToken()
    const family: RefreshFamilyRecord = {
      id: randomUUID(),
      userId,
      createdAt: now,
      revokedAt: null,
      tokens: [{ hash: sha256(refreshToken), expiresAt: now + this.settings.refreshTtlMs, rotatedAt: null }]
    }
    await this.repo.save(family)
    return { accessToken: await this.signAccess(userId, family.id), refreshToken }
  }

  async refresh(refreshToken: string): Promise<TokenPair & { userId: string }> {
    const now = Date.now()
    const hash = sha256(refreshToken)
    const found = await this.repo.familyByTokenHash(hash)
    if (!found) throw new AppError('invalid_token', 'refresh token is not valid')
    const next = newRefreshToken()
    // Decided on the family as stored, under the repository's lock: concurrent refreshes with one token each see the other's rotation.
    const outcome = await this.repo.change(found.id, (family): FamilyChange<AppError | string> => {
      const token = family?.tokens.find((t) => t.hash === hash)
      if (!family || !token) return { save: false, result: new AppError('invalid_token', 'refresh token is not valid') }
      if (family.revokedAt !== null) return { save: false, result: new AppError('session_revoked', 'this session was signed out') }
      if (token.expiresAt <= now) return { save: false, result: new AppError('token_expired', 'refresh token has expired; sign in again') }
      if (token.rotatedAt !== null && now - token.rotatedAt >= this.settings.reuseGraceMs) {
        family.revokedAt = now
        return { save: true, result: new TokenReuseError(family.id) }
      }
      token.rotatedAt ??= now
      family.tokens.push({ hash: sha256(next), expiresAt: now + this.settings.refreshTtlMs, rotatedAt: null })
      return { save: true, forgotten: this.prune(family, now), result: family.userId }
    })
    if (outcome instanceof AppError) throw outcome
    return { userId: outcome, accessToken: await this.signAccess(outcome, found.id), refreshToken: next }
  }

  /** Signs a session out. Unknown tokens are ignored: logout is idempotent. */
  async revoke(refreshToken: string): Promise<string | null> {
    const found = await this.repo.familyByTokenHash(sha256(refreshToken))
    if (!found) return null
    const at = Date.now()
    return this.repo.change(found.id, (family) => {
      if (!family || family.revokedAt !== null) return { save: false, result: found.id }
      family.revokedAt = at
      return { save: true, result: family.id }
    })
  }

  /** Whose refresh token this is (any state), without using it. */
  async userOf(refreshToken: string): Promise<string | undefined> {
    return (await this.repo.familyByTokenHash(sha256(refreshToken)))?.userId
  }

  /** Signs a user out everywhere; answers the ended session ids. */
  revokeUser(userId: string): Promise<string[]> {
    return this.repo.revokeUser(userId, Date.now())
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    if (token.startsWith(BOT_TOKEN_PREFIX)) {
      if (!this.bots) throw new AppError('invalid_token', 'access token is not valid')
      return this.bots.authenticate(token)
    }
    let payload
    try {
      ;({ payload } = await jwtVerify(token, this.settings.secret, {
        algorithms: [ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        requiredClaims: ['sub', 'sid', 'exp']
      }))
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new AppError('token_expired', 'access token has expired')
      throw new AppError('invalid_token', 'access token is not valid')
    }
    const userId = payload.sub
    const sessionId = payload['sid']
    if (typeof userId !== 'string' || typeof sessionId !== 'string') {
      throw new AppError('invalid_token', 'access token is not valid')
    }
    if (!(await this.isActive(userId, sessionId))) throw new AppError('session_revoked', 'this session was signed out')
    return { userId, sessionId }
  }

  /** Whether the user's session is still signed in (not logged out, not ended by a disable or a reset). */
  async isActive(userId: string, sessionId: string): Promise<boolean> {
    if (sessionId.startsWith(BOT_SESSION)) return (await this.bots?.isLive(sessionId.slice(BOT_SESSION.length))) ?? false
    const family = await this.repo.familyById(sessionId)
    return family !== undefined && family.revokedAt === null && family.userId === userId
  }

  private signAccess(userId: string, sessionId: string): Promise<string> {
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt()
      .setExpirationTime(`${this.settings.accessTtlSeconds}s`)
      .sign(this.settings.secret)
  }

  /** Drops expired tokens and all but the newest rotated ones. */
  private prune(family: RefreshFamilyRecord, now: number): string[] {
    const rotated = family.tokens.filter((t) => t.rotatedAt !== null)
    const stale = new Set(rotated.slice(0, Math.max(0, rotated.length - ROTATED_KEPT)))
    const forgotten: string[] = []
    family.tokens = family.tokens.filter((t) => {
      const keep = !stale.has(t) && t.expiresAt > now
      if (!keep) forgotten.push(t.hash)
      return keep
    })
    return forgotten
  }
}
