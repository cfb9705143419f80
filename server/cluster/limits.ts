// Rate limits that hold across nodes: with several nodes a client could
// otherwise try N times as often by reaching each one in turn (the balancer
// spreads its connections). Counted in Redis when the nodes share one; while
// Redis is down each node counts on its own, in memory, so limits never fail
// open and never answer 5xx; without Redis, in memory as on one machine.
//
// This is the one factory for such limits: the sign-in and join-code failure
// limits, the socket event windows, and the coming send limits per user
// ("abuse") all take theirs from here.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
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

/** Takes one point of `key`: true if allowed, false once the window's points are spent. */
export async function take(limiter: Limiter, key: string): Promise<boolean> {
  return (await takeOrWait(limiter, key)) === null
}

/** Takes one point of `key`: null if allowed, else the milliseconds until the window frees one. */
export async function takeOrWait(limiter: Limiter, key: string): Promise<number | null> {
  try {
    await limiter.consume(key)
    return null
  } catch (err) {
    if (err instanceof RateLimiterRes) return err.msBeforeNext
    throw err
  }
}
