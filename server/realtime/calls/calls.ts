// The calls of one server node: their store (this process, or Redis shared by
// every node), the hub that changes them, the sweep that runs out ringing and
// rejoin graces, and the announcements.
import type { Logger } from 'pino'
import { CALL_REJOIN_GRACE_MS, CALL_RING_MS } from '../../../src/shared/schemas/calls'
import { createRedisCallStore } from '../../cluster/call-store'
import type { NodeLiveness } from '../../cluster/presence-directory'
import type { RedisLink } from '../../cluster/redis'
import { createLimiter, type Limiter } from '../../cluster/limits'
import type { Services } from '../../services'
import type { Broadcaster } from '../broadcaster'
import type { IoServer } from '../types'
import { createCallAnnouncer, type CallAnnouncer } from './announce'
import { createCallHub, type CallHub, type CallOptions } from './call-hub'
import { createMemoryCallStore } from './call-store'
import { socketsFlushed } from '../flushed'

/** How long a stop waits for a client that stopped reading to take its last words. */
const FLUSH_CAP_MS = 2000

/** `call:start` per user per window: each rings a conversation's members and leaves a message, so a script must not repeat it. */
export const CALL_STARTS_PER_WINDOW = 10
export const CALL_START_WINDOW_MS = 60_000
/**
 * `call:signal` per socket per window. Setting up a call with 7 others and
 * restarting ICE on each takes a few dozen signals (an offer or answer and a
 * handful of candidates per connection); this is ten times that, and stops a
 * window that floods the others. Counted in this process: a socket lives on
 * one node, and a Redis round trip per candidate would slow every call setup.
 */
export const CALL_SIGNALS_PER_WINDOW = 400
export const CALL_SIGNAL_WINDOW_MS = 10_000

export interface Calls {
  hub: CallHub
  announcer: CallAnnouncer
  /** Per user, over every node: `call:start`. */
  starts: Limiter
  /** Per socket, on this node: `call:signal`. */
  signals: Limiter
  /** People no longer in a conversation are out of its call too (their signals would be refused anyway). */
  membersRemoved(conversationId: string, userIds: string[]): Promise<void>
  /** Running calls now (the metrics gauge); 0 when the store cannot be read. */
  running(): Promise<number>
  /** Before the sockets close: alone, every call ends `failed` and is announced. */
  close(): Promise<void>
}

/** How often ringing and graces are checked: a fraction of the shorter, within 25 ms .. 1 s (late by at most that). */
export function sweepInterval(ringMs: number, graceMs: number): number {
  return Math.min(1000, Math.max(25, Math.floor(Math.min(ringMs, graceMs) / 5)))
}

export function createCalls(
  io: IoServer,
  services: Services,
  broadcaster: Broadcaster,
  log: Logger,
  options: CallOptions,
  redis: RedisLink | null,
  liveness: NodeLiveness | null
): Calls {
  const store = redis && liveness ? createRedisCallStore(redis, liveness) : createMemoryCallStore()
  const localSockets = io.of('/').sockets
  const hub = createCallHub(store, options, log, (socketId) => localSockets.has(socketId))
  const announcer = createCallAnnouncer(io, services, broadcaster, log)
  let failing = false
  let sweeping: Promise<void> | null = null
  const sweep = (): void => {
    sweeping ??= hub
      .sweep()
      .then(
        (effects) => {
          if (failing) log.info('calls: ringing and rejoin graces are checked again')
          failing = false
          announcer.announce(effects)
        },
        (err: unknown) => {
          if (!failing) log.warn({ err }, 'calls: could not check ringing and rejoin graces; retrying')
          failing = true
        }
      )
      .finally(() => (sweeping = null))
  }
  const timer = setInterval(sweep, sweepInterval(options.callRingMs ?? CALL_RING_MS, options.callRejoinGraceMs ?? CALL_REJOIN_GRACE_MS))
  timer.unref()

  return {
    hub,
    announcer,
    starts: createLimiter({ points: CALL_STARTS_PER_WINDOW, durationMs: CALL_START_WINDOW_MS, keyPrefix: 'call-start' }, redis),
    signals: createLimiter({ points: CALL_SIGNALS_PER_WINDOW, durationMs: CALL_SIGNAL_WINDOW_MS, keyPrefix: 'call-signal' }, null),
    membersRemoved(conversationId, userIds) {
      return hub.membersRemoved(conversationId, userIds).then(
        (effects) => announcer.announce(effects),
        (err: unknown) => log.warn({ err, conversationId }, 'calls: could not take removed members out of a call; they go once their windows leave or vanish')
      )
    },
    running: () => store.calls().then((all) => all.length, () => 0),
    async close() {
      clearInterval(timer)
      await sweeping
      try {
        announcer.announce(await hub.close())
      } catch (err) {
        log.warn({ err }, 'calls: could not end the running calls on the way out')
      }
      await announcer.idle()
      await socketsFlushed(io, FLUSH_CAP_MS)
      await store.close()
    }
  }
}
