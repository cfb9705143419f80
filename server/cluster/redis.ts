// The connections a node keeps to Redis when several nodes serve one
// organisation. Redis only carries hints between nodes (events, presence,
// shared limits); PostgreSQL holds the truth. So nothing here queues commands
// while Redis is away: a command fails at once, its caller falls back, and
// when Redis returns the node is told, so it can make up for what was missed.
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from '../logger'

/** Longest wait between reconnection attempts; it bounds how late a node notices Redis is back. */
export const REDIS_RETRY_MAX_MS = 2000

export interface RedisLink {
  /** Presence, rate limits: fails at once while Redis is down. */
  readonly command: Redis
  /** The Socket.IO adapter's publisher (fails at once while down: a stale event replayed later would mislead). */
  readonly pub: Redis
  /** The Socket.IO adapter's subscriber; it subscribes again by itself on reconnection. */
  readonly sub: Redis
  /** All three connections are ready. */
  readonly up: boolean
  /** Redis went away (events between nodes are being lost from now on). */
  onLost(listener: () => void): void
  /** Redis is back after being lost: events between nodes may have been missed meanwhile. */
  onRecovered(listener: () => void): void
  close(): Promise<void>
}

/** `redis://[user:password@]host:port[/db]` or `rediss://…`, with the password hidden, for logs. */
export function describeRedis(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.username ? `${u.username}@` : ''}${u.host}${u.pathname === '/' ? '' : u.pathname}`
  } catch {
    return 'redis (unparseable URL)'
  }
}

/** Connects the three clients; rejects with a clear message if Redis cannot be reached within `timeoutMs`. */
export async function connectRedis(url: string, log: Logger, timeoutMs = 10_000): Promise<RedisLink> {
  const options: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.min(timeoutMs, 5000),
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), REDIS_RETRY_MAX_MS)
  }
  const command = new Redis(url, { ...options, connectionName: 'messenger-command' })
  const pub = new Redis(url, { ...options, connectionName: 'messenger-pub' })
  // The subscriber queues its (re)subscriptions until it is connected.
  const sub = new Redis(url, { ...options, enableOfflineQueue: true, connectionName: 'messenger-sub' })
  const clients = [command, pub, sub]
  const lost = new Set<() => void>()
  const recovered = new Set<() => void>()
  let wasUp = false
  let everLost = false
  let closing = false
  const isUp = (): boolean => clients.every((c) => c.status === 'ready')

  const onReady = (): void => {
    if (!isUp() || wasUp) return
    wasUp = true
    if (everLost) {
      log.info({ redis: describeRedis(url) }, 'Redis is back; nodes catch up on what they missed')
      for (const listener of recovered) listener()
    }
  }
  const onDown = (): void => {
    if (closing || !wasUp) return
    wasUp = false
    everLost = true
    log.warn({ redis: describeRedis(url) }, 'lost Redis: events between nodes stop until it is back; clients catch up from the database')
    for (const listener of lost) listener()
  }
  for (const client of clients) {
    client.on('ready', onReady)
    client.on('close', onDown)
    // Reported through close and reconnection; without a listener ioredis would print each one.
    client.on('error', (err: Error) => log.debug({ err, client: client.options.connectionName }, 'Redis connection error'))
  }

  try {
    await withTimeout(Promise.all(clients.map((c) => c.connect())), timeoutMs)
  } catch (err) {
    closing = true
    for (const client of clients) client.disconnect()
    throw new Error(`cannot reach Redis at ${describeRedis(url)}: ${(err as Error).message}`, { cause: err })
  }
  onReady()

  return {
    command,
    pub,
    sub,
    get up() {
      return isUp()
    },
    onLost: (listener) => void lost.add(listener),
    onRecovered: (listener) => void recovered.add(listener),
    close: async () => {
      closing = true
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())))
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
