import type { Request, RequestHandler } from 'express'
import { ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Store } from 'express-rate-limit'
import { createLimiter, type Limiter } from '../cluster/limits'
import type { RedisLink } from '../cluster/redis'
import { AppError } from '../errors'

export interface FailureLimit {
  windowMs: number
  /** Failed attempts allowed per key in a window. */
  max: number
}

/**
 * Limits failed attempts (4xx answers; never 5xx) per client address and `keyOf(req)`;
 * successful requests are not counted. Answers 429 with our error shape. With
 * `redis`, the count is shared by every node (see cluster/limits.ts).
 */
export function failureLimiter(
  { windowMs, max }: FailureLimit,
  what: string,
  keyOf: (req: Request) => string,
  /** Names this limit's keys (one per limit: two limiters must not share counts). */
  keyPrefix: string,
  redis: RedisLink | null = null
): RequestHandler {
  return rateLimit({
    windowMs,
    limit: max,
    skipSuccessfulRequests: true,
    // Only the client's mistakes count: a 5xx (the database unavailable) is no failed guess.
    requestWasSuccessful: (_req, res) => res.statusCode < 400 || res.statusCode >= 500,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${keyOf(req)}`,
    store: new LimiterStore(createLimiter({ points: max, durationMs: windowMs, keyPrefix }, redis), redis !== null, keyPrefix),
    handler: (_req, _res, next) => {
      const minutes = Math.ceil(windowMs / 60_000)
      next(new AppError('rate_limited', `too many failed ${what}; try again in ${minutes} minute(s)`))
    }
  })
}

/**
 * express-rate-limit's counting done by a rate-limiter-flexible limiter, so
 * the middleware (skip successes, headers, our 429) stays as it was while the
 * count may live in Redis: a hit is a penalty point, a success given back is
 * a reward, a reset deletes the key.
 */
class LimiterStore implements Store {
  constructor(
    private readonly limiter: Limiter,
    shared: boolean,
    readonly prefix: string
  ) {
    this.localKeys = !shared
  }

  readonly localKeys: boolean

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const res = await this.limiter.penalty(key, 1)
    return { totalHits: res.consumedPoints, resetTime: new Date(Date.now() + res.msBeforeNext) }
  }

  async decrement(key: string): Promise<void> {
    await this.limiter.reward(key, 1)
  }

  async resetKey(key: string): Promise<void> {
    await this.limiter.delete(key)
  }
}

/** The username in a sign-in body, lowercased, for per-account limits. */
export function usernameOf(req: Request): string {
  const body = req.body as { username?: unknown } | undefined
  return typeof body?.username === 'string' ? body.username.toLowerCase() : ''
}
