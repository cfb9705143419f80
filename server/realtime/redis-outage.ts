// Redis only carries hints between nodes; while it is away, events between
// nodes are lost. So every client is told, within a bounded time, to catch up
// from the database (sync:stale), as it does after a reconnect:
// - while this node has no Redis, every `staleIntervalMs`, its own clients;
// - when Redis is back, once this node's rooms are set again from the
//   database, its clients; and every other node does the same, since a node
//   whose own link never dropped still missed what this one published;
// - while this node has no Redis but the others do, they cannot hear it, so
//   it says so through PostgreSQL (LISTEN/NOTIFY) on each tick, and every
//   node that still has Redis sets its rooms again and tells its clients.
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { SerialJob } from '../../src/node/serial-job'
import type { RedisLink } from '../cluster/redis'
import type { Services } from '../services'
import { readmitLocalSockets } from './readmit'
import type { IoServer } from './types'

/** While Redis is away, a node's clients are told to catch up this often. */
export const STALE_INTERVAL_MS = 10_000

/** The PostgreSQL channel a node without Redis speaks on; the payload is its id, so it can skip its own. */
export const STALE_CHANNEL = 'messenger_redis_stale'

export interface OutageOptions {
  /** Default 10 s: the bound on how late a client hears of an event lost meanwhile (plus its jitter and catch-up). */
  staleIntervalMs?: number
}

/** Watches the node's Redis link; the returned function stops watching. */
export function watchRedisOutages(io: IoServer, services: Services, redis: RedisLink, log: Logger, options: OutageOptions = {}): () => void {
  const tellLocal = (): void => void io.local.emit('sync:stale', { reason: 'redis' })
  const interval = options.staleIntervalMs ?? STALE_INTERVAL_MS
  const nodeId = randomUUID()
  const notices = services.store.notices
  let ticking: NodeJS.Timeout | null = null
  let lastHeard = -Infinity
  // Recoveries asked for during one (several nodes come back together) run once more after it, not once each.
  const recovery = new SerialJob(
    async () => {
      await readmitLocalSockets(io, services, log)
      tellLocal()
    },
    (err) => log.error({ err }, 'could not make up for a Redis outage')
  )

  redis.onLost(() => {
    if (ticking) return
    ticking = setInterval(() => {
      tellLocal()
      notices?.notify(STALE_CHANNEL, nodeId).catch((err: unknown) => log.debug({ err }, 'could not tell the other nodes through PostgreSQL'))
    }, interval)
    ticking.unref()
  })
  redis.onRecovered(() => {
    if (ticking) clearInterval(ticking)
    ticking = null
    void (async () => {
      // The subscriber sends its subscriptions again before it reports ready;
      // a ping answered after them means the other nodes' news reaches us again.
      await redis.sub.ping().catch((err: unknown) => log.debug({ err }, 'Redis subscriber ping failed'))
      io.serverSideEmit('redis:recovered')
      await recovery.run()
    })()
  })
  io.on('redis:recovered', () => void recovery.run())
  // A node cut off from Redis speaks here. Nodes without Redis themselves tell
  // their own clients on their own ticks; several speakers in one interval count once.
  void notices
    ?.listen(STALE_CHANNEL, (from) => {
      if (from === nodeId || !redis.up || Date.now() - lastHeard < interval / 2) return
      lastHeard = Date.now()
      void recovery.run()
    })
    .catch((err: unknown) => log.warn({ err }, 'could not listen for other nodes on PostgreSQL'))

  return () => {
    if (ticking) clearInterval(ticking)
    ticking = null
    void recovery.stop()
  }
}
