// The calls of one server node: their store (this process, or Redis shared by
// every node), the hub that changes them, the sweep that runs out ringing and
// rejoin graces, and the announcements.
import type { Logger } from 'pino'
import { CALL_REJOIN_GRACE_MS, CALL_RING_MS } from '../../../src/shared/schemas/calls'
import { createRedisCallStore } from '../../cluster/call-store'
import type { NodeLiveness } from '../../cluster/presence-directory'
import type { RedisLink } from '../../cluster/redis'
import type { Services } from '../../services'
import type { Broadcaster } from '../broadcaster'
import type { IoServer } from '../types'
import { createCallAnnouncer, type CallAnnouncer } from './announce'
import { createCallHub, type CallHub, type CallOptions } from './call-hub'
import { createMemoryCallStore } from './call-store'
import { socketsFlushed } from '../flushed'

/** How long a stop waits for a client that stopped reading to take its last words. */
const FLUSH_CAP_MS = 2000

export interface Calls {
  hub: CallHub
  announcer: CallAnnouncer
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
  const hub = createCallHub(store, options, log)
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
