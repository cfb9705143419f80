import type { ErrorBody, ErrorCode } from '../../shared/errors'

/** An error with a code the renderer can put into words; crosses IPC as `{code, message}`. */
export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** HTTP status when the server answered. */
    readonly status?: number
  ) {
    super(message)
    this.name = 'ClientError'
  }
}

export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof ClientError) return { code: err.code, message: err.message }
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}

/** Errors that mean "try again later" rather than "the server said no". */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof ClientError)) return true
  return ['unreachable', 'timeout', 'unavailable', 'internal', 'rate_limited'].includes(err.code)
}

export const notSignedIn = (): ClientError => new ClientError('unauthorized', 'sign in first')
