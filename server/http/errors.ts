import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'
import { AppError } from '../errors'
import { routePattern } from './request-log'

interface BodyParserError {
  type?: string
  status?: number
  message?: string
}

/** Maps what express's own parsers throw to our error codes. */
function fromBodyParser(err: BodyParserError, contentEncoding: string | undefined): AppError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('bad_json', 'request body is not valid JSON')
    case 'entity.too.large':
      return new AppError('payload_too_large', 'request body is too large')
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'request body encoding is not supported; send UTF-8 JSON')
    default:
      if (err instanceof URIError) return new AppError('validation_failed', 'path: malformed percent-encoding')
      if (contentEncoding && err.status === 400) {
        return new AppError('validation_failed', `request body could not be decompressed (Content-Encoding: ${contentEncoding})`)
      }
      return typeof err.status === 'number' && err.status >= 400 && err.status < 500
        ? new AppError('validation_failed', `request could not be read: ${err.message ?? 'unknown problem'}`)
        : null
  }
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err)
    // The request's own logger carries its id; the route pattern, never the URL as sent (it may hold a code).
    const reqLog = (req.log as Logger | undefined) ?? log
    const where = { method: req.method, route: routePattern(req, res) }
    const known = err instanceof AppError ? err : fromBodyParser(err as BodyParserError, req.get('content-encoding'))
    if (known) {
      // A client's mistake is its own to read; a 5xx of ours (a disk that cannot be written) is the operator's.
      if (known.status >= 500) reqLog.warn({ code: known.code, ...where }, known.message)
      if (known.status === 401) res.setHeader('WWW-Authenticate', `Bearer error="${known.code}"`)
      if (known.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(known.retryAfterMs / 1000))))
      res.status(known.status).json({ error: known.toBody() })
      return
    }
    reqLog.error({ err, ...where }, 'unhandled error')
    res.status(500).json({ error: { code: 'internal', message: 'the server failed; the error is logged' } })
  }
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `no route ${req.method} ${req.originalUrl}` } })
}
