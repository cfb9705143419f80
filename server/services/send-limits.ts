// Per-user budgets for what costs the server a durable write and a fan-out to
// every member: messages, edits, reactions and new uploads. Counted per user
// (all their sockets, devices and REST calls together) and, with Redis, across
// nodes. Each is a sustained rate with a burst above it, so a person (pasting
// a few lines, typing fast, an outbox flushing a dozen messages after a
// reconnect, dropping 20 files at once) never meets it while a script is held
// to about the rate. Numbers and reasons: docs/server.md "Limits".
import { createBurstyLimiter, takeOrRefuse, type BurstyLimitOptions } from '../cluster/limits'
import type { RedisLink } from '../cluster/redis'

export type SendAction = 'messages' | 'edits' | 'reactions' | 'uploads'
export type SendLimit = Omit<BurstyLimitOptions, 'keyPrefix'>
export type SendLimits = Record<SendAction, SendLimit>
/** Some budgets changed (the rest default), or `false`: no send limits (benchmarks that saturate with few senders). */
export type SendLimitsOption = Partial<SendLimits> | false

export const DEFAULT_SEND_LIMITS: SendLimits = {
  // 1 a second sustained; 30 more for a paste or an outbox flush, refilled each minute.
  messages: { rate: { points: 5, durationMs: 5_000 }, burst: { points: 30, durationMs: 60_000 } },
  // Edits are rarer than messages and each rewrites one for every member.
  edits: { rate: { points: 5, durationMs: 10_000 }, burst: { points: 20, durationMs: 60_000 } },
  // Clicked fast (on, off, another one): 2 a second, 60 more a minute.
  reactions: { rate: { points: 10, durationMs: 5_000 }, burst: { points: 60, durationMs: 60_000 } },
  // Creating uploads (not their bytes): 1 a second, 50 more per 10 minutes for a folder dropped at once.
  uploads: { rate: { points: 10, durationMs: 10_000 }, burst: { points: 50, durationMs: 600_000 } }
}

const WHAT: Record<SendAction, string> = {
  messages: 'you sent too many messages',
  edits: 'you edited too many messages',
  reactions: 'you reacted too often',
  uploads: 'you started too many uploads'
}

/** Takes one of the user's points for `action`, or throws `rate_limited` with when to retry. */
export type SendGate = (action: SendAction, userId: string) => Promise<void>

export const openGate: SendGate = () => Promise.resolve()

export function createSendGate(option: SendLimitsOption, redis: RedisLink | null): SendGate {
  if (option === false) return openGate
  const limiters = Object.fromEntries(
    (Object.keys(DEFAULT_SEND_LIMITS) as SendAction[]).map((action) => [
      action,
      createBurstyLimiter({ ...(option[action] ?? DEFAULT_SEND_LIMITS[action]), keyPrefix: `send:${action}` }, redis)
    ])
  ) as Record<SendAction, ReturnType<typeof createBurstyLimiter>>
  return (action, userId) => takeOrRefuse(limiters[action], userId, WHAT[action])
}

/** The default budgets with every number of points times `factor` (at least 1): an operator's --send-limits. */
export function scaledSendLimits(factor: number): SendLimits {
  const scale = ({ points, durationMs }: SendLimit['rate']) => ({ points: Math.max(1, Math.round(points * factor)), durationMs })
  return Object.fromEntries(
    Object.entries(DEFAULT_SEND_LIMITS).map(([action, { rate, burst }]) => [action, { rate: scale(rate), burst: scale(burst) }])
  ) as SendLimits
}
