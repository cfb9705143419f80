// Running calls shared by every node, in Redis. A call changes in a WATCH /
// MULTI transaction: the keys it read are watched, its writes go in one
// MULTI, and when another node changed a watched key first the EXEC fails
// and the change runs again on the new state; so two joins racing for the
// last place of a call, or two callers for the same person, cannot both win.
//
// WATCH belongs to a connection, so transactions get their own connection
// and run one at a time on it (a call changes a few times a minute; relayed
// signals only read). Whether a node is alive is the presence directory's
// call: its heartbeats, in Redis's clock.
import type { Redis } from 'ioredis'
import { AppError } from '../errors'
import { OneAtATime } from '../../src/node/one-at-a-time'
import type { CallStore, CallTx } from '../realtime/calls/call-store'
import type { NodeLiveness } from './presence-directory'
import type { RedisLink } from './redis'

/** Past this many lost races in a row the change is refused (never seen short of a storm). */
const MAX_ATTEMPTS = 50

const LIVE_NODES = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGE', KEYS[1], now - tonumber(ARGV[1]), '+inf', 'BYSCORE')`

type WithScripts = Redis & { messengerCallLiveNodes(nodes: string, expiryMs: number): Promise<string[]> }

export function createRedisCallStore(link: RedisLink, liveness: NodeLiveness, prefix = 'messenger:calls:'): CallStore {
  // Same options as the command connection (fails at once while Redis is away); its errors surface through the commands.
  const conn = link.command.duplicate({ connectionName: 'messenger-calls' }) as WithScripts
  conn.on('error', () => undefined)
  conn.defineCommand('messengerCallLiveNodes', { numberOfKeys: 1, lua: LIVE_NODES })
  const ready = conn.connect()
  ready.catch(() => undefined)
  const queue = new OneAtATime()
  const index = `${prefix}index`
  const unreachable = (err: unknown): AppError => {
    if (err instanceof AppError) return err
    return new AppError('unavailable', `calls are shared through Redis, which cannot be reached now (${(err as Error).message}); try again shortly`)
  }

  async function attempt<T>(work: (tx: CallTx) => Promise<T>): Promise<{ done: true; result: T } | { done: false }> {
    const writes = new Map<string, string | null>()
    const read = new Map<string, string | null>()
    let result: T
    try {
      result = await work({
        async read(key) {
          if (writes.has(key)) return writes.get(key) ?? null
          if (read.has(key)) return read.get(key) ?? null
          await conn.watch(prefix + key)
          const value = await conn.get(prefix + key)
          read.set(key, value)
          return value
        },
        write: (key, value) => void writes.set(key, value)
      })
    } catch (err) {
      await conn.unwatch().catch(() => undefined)
      throw err
    }
    // Even with nothing to write, EXEC checks the watched keys: a decision read from
    // two keys (no call in the conversation, the callee in a call: busy) holds only if neither moved.
    const multi = conn.multi()
    for (const [key, value] of writes) {
      if (value === null) multi.del(prefix + key)
      else multi.set(prefix + key, value)
      if (key.startsWith('call:')) {
        if (value === null) multi.srem(index, key)
        else multi.sadd(index, key)
      }
    }
    const replies = await multi.exec()
    if (replies === null) return { done: false }
    const failed = replies.find(([err]) => err)
    if (failed) throw failed[0]!
    return { done: true, result }
  }

  return {
    nodeId: liveness.nodeId,
    transact: (work) =>
      queue.run(async () => {
        try {
          await ready
          for (let i = 0; i < MAX_ATTEMPTS; i++) {
            const outcome = await attempt(work)
            if (outcome.done) return outcome.result
          }
        } catch (err) {
          throw unreachable(err)
        }
        throw new AppError('unavailable', 'the call changed too often at once; try again')
      }),
    async get(key) {
      try {
        await ready
        return await conn.get(prefix + key)
      } catch (err) {
        throw unreachable(err)
      }
    },
    async calls() {
      try {
        await ready
        const keys = await conn.smembers(index)
        if (keys.length === 0) return []
        const values = await conn.mget(...keys.map((k) => prefix + k))
        return values.filter((v): v is string => v !== null)
      } catch (err) {
        throw unreachable(err)
      }
    },
    async liveNodes() {
      try {
        await ready
        return new Set(await conn.messengerCallLiveNodes(liveness.nodesKey, liveness.expiryMs))
      } catch (err) {
        throw unreachable(err)
      }
    },
    close: async () => {
      await queue.idle()
      await conn.quit().catch(() => conn.disconnect())
    }
  }
}
