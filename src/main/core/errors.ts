import type { ErrorBody, ErrorCode } from '../../shared/errors'

/** An error with a code the renderer can put into words; crosses IPC as `{code, message}`. */
export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** HTTP status when the server answered. */
    readonly status?: number,
    /** With `rate_limited`: when the server said a retry can succeed. */
    readonly retryAfterMs?: number
  ) {
    super(message)
    this.name = 'ClientError'
  }
}

/** A server's answer as a ClientError, keeping its retryAfterMs if it is a sane one. */
export function fromErrorBody(body: ErrorBody, status?: number): ClientError {
  return new ClientError(body.code, body.message, status, retryAfter(body.retryAfterMs))
}

/** Milliseconds from a server's retryAfterMs (or Retry-After seconds ×1000); undefined unless a finite number ≥ 0. */
export function retryAfter(ms: unknown): number | undefined {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined
}

export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof ClientError) {
    return err.retryAfterMs === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, retryAfterMs: err.retryAfterMs }
  }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}

/** Errors that mean "try again later" rather than "the server said no". */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof ClientError)) return true
  return ['unreachable', 'timeout', 'unavailable', 'internal', 'rate_limited'].includes(err.code)
}

export const notSignedIn = (): ClientError => new ClientError('unauthorized', 'sign in first')
