import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../src/shared/errors'

/** An error meant for the client: its code and message cross the wire as-is. */
export class AppError extends Error {
  readonly code: ErrorCode
  constructor(
    code: ErrorCode,
    message: string,
    /** With `rate_limited`: when the client may try again. */
    readonly retryAfterMs?: number
  ) {
    super(message)
    this.name = 'AppError'
    this.code = code
  }
  get status(): number {
    return ERROR_STATUS[this.code]
  }
  toBody(): ErrorBody {
    return this.retryAfterMs === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfterMs: Math.max(0, Math.ceil(this.retryAfterMs)) }
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`)
export const forbidden = (message: string): AppError => new AppError('forbidden', message)

/** A limit was reached: says what and when to retry, in words and in `retryAfterMs`. */
export function rateLimited(what: string, retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
  return new AppError('rate_limited', `${what}; try again in ${seconds} s`, retryAfterMs)
}
