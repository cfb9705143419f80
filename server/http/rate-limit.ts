import type { Request, RequestHandler, Response } from 'express'
import { ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Store } from 'express-rate-limit'
import { createLimiter, type Limiter } from '../cluster/limits'
import type { RedisLink } from '../cluster/redis'
import { AppError } from '../errors'

export interface FailureLimit {
  windowMs: number
  /** Failed attempts allowed per key (an address and username, or a signed-in user) in a window. */
  max: number
  /**
   * Failed attempts allowed per client address across every username or user
   * in a window: a ceiling against guessing spread over accounts (password
   * spraying). Default ten times `max`, far above what an office behind one
   * address (a reverse proxy) gets wrong.
   */
  perAddressMax?: number
}

/** The per-address ceiling, in people's worth of failures: ten people at their own limit at once. */
export const PER_ADDRESS_FACTOR = 10

export const perAddressMax = (limit: FailureLimit): number => limit.perAddressMax ?? limit.max * PER_ADDRESS_FACTOR

type KeyOf = (req: Request, res: Response) => string

/**
 * Limits failed attempts (4xx answers; never 5xx) per `keyOf(req, res)`;
 * successful requests are not counted. Answers 429 with our error shape and
 * when to retry. With `redis`, the count is shared by every node (see
 * cluster/limits.ts).
 */
export function failureLimiter(
  { windowMs, max }: { windowMs: number; max: number },
  what: string,
  keyOf: KeyOf,
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
    keyGenerator: keyOf,
    store: new LimiterStore(createLimiter({ points: max, durationMs: windowMs, keyPrefix }, redis), redis !== null, keyPrefix),
    handler: (req, _res, next) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime
      const retryAfterMs = Math.max(0, resetTime ? resetTime.getTime() - Date.now() : windowMs)
      const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000))
      next(new AppError('rate_limited', `too many failed ${what}; try again in ${minutes} minute(s)`, retryAfterMs))
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

/** The client's address (an IPv6 one by its /56, as express-rate-limit groups them). */
export function addressOf(req: Request): string {
  return ipKeyGenerator(req.ip ?? '')
}

/** The username in a sign-in body, lowercased, for per-account limits. */
export function usernameOf(req: Request): string {
  const body = req.body as { username?: unknown } | undefined
  return typeof body?.username === 'string' ? body.username.toLowerCase() : ''
}

/** The address and the username tried: one account's failures from one place. */
export const addressAndUsername: KeyOf = (req) => `${addressOf(req)}|${usernameOf(req)}`
