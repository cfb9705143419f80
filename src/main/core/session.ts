// Tokens of one signed-in account. The access token lives in memory only;
// the refresh token rests in the SecretStore. One refresh runs at a time:
// every caller that needs a fresh token while it runs shares its result.
import type { AuthResponse, TokenPair } from '../../shared/schemas/auth'
import { ClientError } from './errors'
import type { ServerHttp, HttpMethod, RequestOptions } from './http'
import type { Logger } from './logger'
import type { SecretStore } from './secret-store'

/** Refresh this long before the access token expires. */
const REFRESH_AHEAD_MS = 60_000
/** Codes that mean the sign-in itself is gone, not just the access token. */
const REVOKED = new Set(['invalid_token', 'session_revoked', 'unauthorized', 'token_expired', 'account_disabled'])

export function refreshKey(accountId: string): string {
  return `refresh:${accountId}`
}

/** The `exp` and `iat` claims of a JWT in ms, read without verifying (the server verifies). */
export function tokenTimes(token: string): { exp: number; iat: number | null } | null {
  const payload = token.split('.')[1]
  if (!payload) return null
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown; iat?: unknown }
    if (typeof claims.exp !== 'number') return null
    return { exp: claims.exp * 1000, iat: typeof claims.iat === 'number' ? claims.iat * 1000 : null }
  } catch {
    return null
  }
}

export function tokenExpiry(token: string): number | null {
  return tokenTimes(token)?.exp ?? null
}

export class Session {
  private access: string
  private refreshToken: string
  private inFlight: Promise<string> | null = null
  private timer: NodeJS.Timeout | null = null
  private closed = false

  constructor(
    readonly http: ServerHttp,
    private readonly secrets: SecretStore,
    private readonly accountId: string,
    tokens: TokenPair,
    private readonly onRevoked: (err: ClientError) => void,
    private readonly log: Logger,
    private readonly now: () => number = Date.now
  ) {
    this.access = tokens.accessToken
    this.refreshToken = tokens.refreshToken
    this.schedule()
  }

  /** Signs in with a kept refresh token (app start, account switch). */
  static async resume(
    http: ServerHttp,
    secrets: SecretStore,
    accountId: string,
    onRevoked: (err: ClientError) => void,
    log: Logger
  ): Promise<Session | null> {
    const refreshToken = await secrets.get(refreshKey(accountId))
    if (!refreshToken) return null
    // An empty access token: the first call refreshes it.
    return new Session(http, secrets, accountId, { accessToken: '', refreshToken }, onRevoked, log)
  }

  static async start(
    http: ServerHttp,
    secrets: SecretStore,
    accountId: string,
    auth: AuthResponse,
    onRevoked: (err: ClientError) => void,
    log: Logger
  ): Promise<Session> {
    await secrets.set(refreshKey(accountId), auth.refreshToken)
    return new Session(http, secrets, accountId, auth, onRevoked, log)
  }

  /** A valid access token, refreshed first when it is about to expire. */
  async accessToken(): Promise<string> {
    const times = tokenTimes(this.access)
    // A token about to expire is refreshed first: 5 s ahead, or a fifth of a short lifetime.
    const margin = times?.iat ? Math.min(5_000, (times.exp - times.iat) / 5) : 5_000
    if (times && times.exp - this.now() > margin) return this.access
    return this.refresh()
  }

  /** One refresh at a time; concurrent callers share it. */
  refresh(): Promise<string> {
    this.inFlight ??= this.doRefresh().finally(() => {
      this.inFlight = null
    })
    return this.inFlight
  }

  /** An authenticated REST call; a 401 for an expired token refreshes and retries once. */
  async request<T>(method: HttpMethod, path: string, options: Omit<RequestOptions, 'token'> = {}): Promise<T> {
    const token = await this.accessToken()
    try {
      return await this.http.request<T>(method, path, { ...options, token })
    } catch (err) {
      if (!(err instanceof ClientError) || err.status !== 401) throw err
      const fresh = this.access === token ? await this.refresh() : this.access
      return this.http.request<T>(method, path, { ...options, token: fresh })
    }
  }

  /** Revokes the refresh token on the server (best effort) and forgets it here. */
  async logout(): Promise<void> {
    const refreshToken = this.refreshToken
    this.close()
    await this.secrets.delete(refreshKey(this.accountId))
    await this.http.request('POST', '/auth/logout', { body: { refreshToken } }).catch((err: unknown) => {
      this.log.warn('could not revoke the sign-in on the server', { err })
    })
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private async doRefresh(): Promise<string> {
    if (this.closed) throw new ClientError('unauthorized', 'signed out')
    const used = this.refreshToken
    let pair: TokenPair
    try {
      pair = await this.http.request<TokenPair>('POST', '/auth/refresh', { body: { refreshToken: used } })
    } catch (err) {
      // A disabled account answers 403: its sign-in is over as surely as a revoked one.
      if (err instanceof ClientError && (err.status === 401 || err.code === 'account_disabled') && REVOKED.has(err.code) && !this.closed) {
        this.log.info('the server ended this sign-in', { code: err.code })
        this.close()
        await this.secrets.delete(refreshKey(this.accountId)).catch(() => undefined)
        this.onRevoked(err)
      }
      throw err
    }
    if (this.closed) throw new ClientError('unauthorized', 'signed out')
    this.access = pair.accessToken
    this.refreshToken = pair.refreshToken
    // Kept before use: a crash after this point resumes with the new token.
    await this.secrets.set(refreshKey(this.accountId), pair.refreshToken)
    this.schedule()
    return pair.accessToken
  }

  /** Refreshes ahead of expiry so a request rarely meets an expired token. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const exp = tokenExpiry(this.access)
    if (exp === null || this.closed) return
    const lifetime = exp - this.now()
    const delay = Math.max(1_000, Math.min(lifetime - REFRESH_AHEAD_MS, lifetime * 0.8))
    this.timer = setTimeout(() => {
      this.refresh().catch((err: unknown) => this.log.debug('early refresh failed; retried on next use', { err }))
    }, delay)
    this.timer.unref()
  }
}
