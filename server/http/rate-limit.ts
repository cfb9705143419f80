import type { Request, RequestHandler } from 'express'
import { ipKeyGenerator, rateLimit } from 'express-rate-limit'
import { AppError } from '../errors'

export interface FailureLimit {
  windowMs: number
  /** Failed attempts allowed per key in a window. */
  max: number
}

/**
 * Limits failed attempts (4xx answers; never 5xx) per client address and `keyOf(req)`;
 * successful requests are not counted. Answers 429 with our error shape.
 */
export function failureLimiter({ windowMs, max }: FailureLimit, what: string, keyOf: (req: Request) => string): RequestHandler {
  return rateLimit({
    windowMs,
    limit: max,
    skipSuccessfulRequests: true,
    // Only the client's mistakes count: a 5xx (the database unavailable) is no failed guess.
    requestWasSuccessful: (_req, res) => res.statusCode < 400 || res.statusCode >= 500,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${keyOf(req)}`,
    handler: (_req, _res, next) => {
      const minutes = Math.ceil(windowMs / 60_000)
      next(new AppError('rate_limited', `too many failed ${what}; try again in ${minutes} minute(s)`))
    }
  })
}

/** The username in a sign-in body, lowercased, for per-account limits. */
export function usernameOf(req: Request): string {
  const body = req.body as { username?: unknown } | undefined
  return typeof body?.username === 'string' ? body.username.toLowerCase() : ''
}
