// REST calls to one messenger server. Every failure becomes a ClientError
// with the server's code, `unreachable` / `timeout` when it did not answer,
// or `certificate_changed` when it is not the certificate this app pinned.
import type { ErrorCode } from '../../shared/errors'
import { ERROR_STATUS } from '../../shared/errors'
import { ClientError, retryAfter } from './errors'
import { isCertificateError } from './tls/pinned'
import { certificateChanged, type ServerTransport } from './tls/server-trust'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface RequestOptions {
  body?: unknown
  query?: Record<string, string | number | undefined>
  token?: string
}

const TIMEOUT_MS = 15_000

export class ServerHttp {
  readonly base: string

  constructor(
    readonly serverUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
    /** Over https: the pinned certificate, for the account's socket too. */
    readonly socketTls: ServerTransport['socketTls'] = null
  ) {
    this.base = `${serverUrl.replace(/\/+$/, '')}/api/v1`
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.base + path)
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    const headers: Record<string, string> = { accept: 'application/json' }
    if (options.token) headers['authorization'] = `Bearer ${options.token}`
    // Every POST/PUT/PATCH carries a JSON body, even an empty one, as the server expects.
    const hasBody = method === 'POST' || method === 'PUT' || method === 'PATCH'
    if (hasBody) headers['content-type'] = 'application/json'
    let response: Response
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: hasBody ? JSON.stringify(options.body ?? {}) : null,
        signal: AbortSignal.timeout(TIMEOUT_MS)
      })
    } catch (err) {
      throw transportError(err, this.serverUrl)
    }
    if (response.status === 204) return null as T
    const text = await response.text().catch(() => '')
    const body = parseJson(text)
    if (response.ok) {
      if (body === undefined) throw new ClientError('internal', `the server sent a response that is not JSON (${method} ${path})`)
      return body as T
    }
    throw serverError(response, body)
  }

  /**
   * A call whose body or answer is a stream of bytes (file transfers): no
   * timeout (a gigabyte takes a while), the caller's signal stops it, and an
   * error status becomes a ClientError like any other call's.
   */
  async stream(method: HttpMethod, path: string, init: { token: string; headers?: Record<string, string>; body?: ReadableStream<Uint8Array>; signal: AbortSignal }): Promise<Response> {
    let response: Response
    try {
      response = await this.fetchImpl(this.base + path, {
        method,
        headers: { authorization: `Bearer ${init.token}`, ...init.headers },
        ...(init.body ? { body: init.body, duplex: 'half' } : {}),
        signal: init.signal
      })
    } catch (err) {
      throw transportError(err, this.serverUrl)
    }
    if (response.ok) return response
    const text = await response.text().catch(() => '')
    throw serverError(response, parseJson(text))
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function serverError({ status, headers }: Response, body: unknown): ClientError {
  const error = (body as { error?: { code?: unknown; message?: unknown; retryAfterMs?: unknown } } | undefined)?.error
  const code = typeof error?.code === 'string' && error.code in ERROR_STATUS ? (error.code as ErrorCode) : fallbackCode(status)
  const message = typeof error?.message === 'string' ? error.message : `the server answered ${status}`
  // The body's milliseconds, else Retry-After's seconds (a proxy's 429 carries only the header).
  const seconds = headers.get('retry-after')
  const wait = retryAfter(error?.retryAfterMs) ?? retryAfter(seconds !== null && /^\d+$/.test(seconds) ? Number(seconds) * 1000 : undefined)
  return new ClientError(code, message, status, wait)
}

function fallbackCode(status: number): ErrorCode {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 413) return 'payload_too_large'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'unavailable'
  return 'validation_failed'
}

export function transportError(err: unknown, serverUrl: string): ClientError {
  if (err instanceof ClientError) return err
  if (isCertificateError(err)) return certificateChanged(serverUrl)
  const name = (err as { name?: string } | null)?.name
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ClientError('timeout', `the server at ${serverUrl} did not answer in time`)
  }
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause
  const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))
  return new ClientError('unreachable', `cannot reach the server at ${serverUrl} (${detail})`)
}
