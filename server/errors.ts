import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '../src/shared/errors'

/** An error meant for the client: its code and message cross the wire as-is. */
export class AppError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
  }
  get status(): number {
    return ERROR_STATUS[this.code]
  }
  toBody(): ErrorBody {
    return { code: this.code, message: this.message }
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`)
export const forbidden = (message: string): AppError => new AppError('forbidden', message)
