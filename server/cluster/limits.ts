// Rate limits that hold across nodes: with several nodes a client could
// otherwise try N times as often by reaching each one in turn (the balancer
// spreads its connections). Counted in Redis when the nodes share one; while
// Redis is down each node counts on its own, in memory, so limits never fail
// open and never answer 5xx; without Redis, in memory as on one machine.
//
// This is the one factory for such limits: the sign-in and join-code failure
// limits, the socket event windows, and the send limits per user
// (services/send-limits.ts, a rate with a burst) all take theirs from here.
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { rateLimited } from '../errors'
import type { RedisLink } from './redis'

export interface LimitOptions {
  /** What one key may take per window. */
  points: number
  /** The window, from a key's first point; whole seconds (Redis expires keys in seconds), rounded up. */
  durationMs: number
  /** Names this limit's keys in Redis; one prefix per limit. */
  keyPrefix: string
}

export type Limiter = RateLimiterAbstract

/** A fixed-window limiter: `consume(key)` resolves while points remain and rejects with a RateLimiterRes once they are spent. */
export function createLimiter({ points, durationMs, keyPrefix }: LimitOptions, redis: RedisLink | null): Limiter {
  const duration = Math.max(1, Math.ceil(durationMs / 1000))
  const memory = new RateLimiterMemory({ points, duration, keyPrefix })
  if (!redis) return memory
  return new RateLimiterRedis({
    storeClient: redis.command,
    points,
    duration,
    keyPrefix: `messenger:limit:${keyPrefix}`,
    // Straight to the insurance while the connection is down, instead of a failed command each time.
    rejectIfRedisNotReady: true,
    insuranceLimiter: memory
  })
}

export interface BurstyLimitOptions {
  /** The sustained rate: `points` per `durationMs`, always there. */
  rate: { points: number; durationMs: number }
  /** Extra points, spent only once the rate's are, refilled once per its `durationMs`. */
  burst: { points: number; durationMs: number }
  keyPrefix: string
}

/** Anything `takeOrWait` can take a point from: one window, or a rate with a burst. */
export type Consumable = Pick<RateLimiterAbstract, 'consume'> | BurstyRateLimiter

/**
 * A sustained rate with a burst above it (rate-limiter-flexible's
 * BurstyRateLimiter over two limiters from `createLimiter`, so Redis-backed
 * with the same insurance): a key takes from the burst only when the rate's
 * window is spent. A refusal's wait is the sooner of the two refills.
 */
export function createBurstyLimiter({ rate, burst, keyPrefix }: BurstyLimitOptions, redis: RedisLink | null): BurstyRateLimiter {
  return new BurstyRateLimiter(
    createLimiter({ ...rate, keyPrefix }, redis),
    // Its own keys: the two windows must not share counts.
    createLimiter({ ...burst, keyPrefix: `${keyPrefix}:burst` }, redis)
  )
}

/** Takes one point of `key`: null if allowed, else the milliseconds until the window frees one. */
export async function takeOrWait(limiter: Consumable, key: string): Promise<number | null> {
  try {
    await limiter.consume(key)
    return null
  } catch (err) {
    if (err instanceof RateLimiterRes) return err.msBeforeNext
    throw err
  }
}

/** Takes one point of `key`, or throws `rate_limited` ("`what`; try again in N s") with when to retry. */
export async function takeOrRefuse(limiter: Consumable, key: string, what: string): Promise<void> {
  const wait = await takeOrWait(limiter, key)
  if (wait !== null) throw rateLimited(what, wait)
}
