// Who is connected on the other nodes. Each node keeps, in Redis, its own
// users' node-level status (a hash per user: node id → online | away, and a
// set per node of its users) and a heartbeat (a sorted set of node ids scored
// by their last beat, in Redis's own clock so the nodes' clocks do not
// matter). A node counts while its beat is younger than `expiryMs`; the first
// survivor to find an older one reaps it (an atomic script, so exactly one
// does): the dead node's users whom no live node has are offline, last seen at
// its last beat.
//
// A node is dead at most `expiryMs + heartbeatMs` after it stopped: its last
// beat was at most one interval before, and the survivors look once per
// interval. Defaults: 5 s and 15 s, so 20 s.
//
// Redis only hints: while it is down every call falls back to "nobody
// elsewhere" (this node's own knowledge), and the users whose status changed
// meanwhile are told again once it is back, after this node published its
// state anew (a restarted Redis has lost it).
//
// The scripts build key names from their arguments, which a single Redis
// (what docs/scaling.md deploys) allows and Redis Cluster would not.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { ActiveStatus, PresenceStatus } from '../../src/shared/schemas/presence'
import { REDIS_RETRY_MAX_MS, type RedisLink } from './redis'

export const DEFAULT_PRESENCE_HEARTBEAT_MS = 5000
export const DEFAULT_PRESENCE_EXPIRY_MS = 15_000

/** What the tracker learns from, and answers to, the directory. */
export interface DirectoryPeer {
  /** This node's users and their node-level status, to publish again. */
  snapshot(): Map<string, ActiveStatus>
  /** A dead node's users whom no live node has: offline, last seen at `lastSeenAt`. */
  gone(userIds: string[], lastSeenAt: Date): void
  /** Users whose status the other nodes may have missed (Redis was away, or this node was counted dead): tell it again. */
  resync(userIds: string[]): void
}

/** Which nodes are alive, by this directory's heartbeats: for other per-node records in Redis (the socket counts). */
export interface NodeLiveness {
  readonly nodeId: string
  /** The sorted set of node ids scored by their last beat (ms, Redis's clock). */
  readonly nodesKey: string
  /** A node whose last beat is older than this is dead. */
  readonly expiryMs: number
  /** Called after this node (re)joined the set: its first beat, Redis back, or counted dead and beating again. */
  onJoined(listener: () => void): void
}

/** The presence of this node's users as the other nodes see it, and theirs as this one sees it. */
export interface PresenceDirectory {
  /** With Redis: how to tell live nodes from dead ones; none for one node alone. */
  readonly liveness?: NodeLiveness
  /**
   * Publishes this node's status of a user (offline: no socket of theirs
   * here) and answers, in the same step, their status on the other live
   * nodes: of two nodes changing at once, the second sees the first's change.
   */
  publish(userId: string, status: PresenceStatus): Promise<PresenceStatus>
  /** The users' status on the other live nodes (offline where none has them). */
  elsewhere(userIds: string[]): Promise<PresenceStatus[]>
  /** Starts beating and reaping; `peer` is told what it needs to hear. */
  start(peer: DirectoryPeer): void
  /** Leaves the directory (a clean stop is not a death to wait for). */
  close(): Promise<void>
}

/** One node alone (or no Redis): nobody elsewhere. */
export const LOCAL_DIRECTORY: PresenceDirectory = {
  publish: () => Promise.resolve('offline'),
  elsewhere: (userIds) => Promise.resolve(userIds.map(() => 'offline' as const)),
  start: () => undefined,
  close: () => Promise.resolve()
}

export interface RedisDirectoryOptions {
  heartbeatMs?: number
  expiryMs?: number
  /** Key prefix; tests give each directory set its own. */
  prefix?: string
  /** Random per process by default. */
  nodeId?: string
}

// Shared by the scripts: Redis's clock, and a user's best status on live nodes but one.
const LIB = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function elsewhere(nodes, userKey, except, cutoff)
  local entries = redis.call('HGETALL', userKey)
  local best = 'offline'
  for i = 1, #entries, 2 do
    local beat = redis.call('ZSCORE', nodes, entries[i])
    if entries[i] ~= except and beat and tonumber(beat) >= cutoff then
      if entries[i + 1] == 'online' then return 'online' end
      best = 'away'
    end
  end
  return best
end
`

// KEYS[1] is always the nodes' sorted set; ARGV[1] the prefix, ARGV[2] a node id.
const SCRIPTS = {
  // ARGV: prefix, me, expiryMs, userId, status ('' = offline here) → status elsewhere
  messengerPresenceSet: `${LIB}
local userKey = ARGV[1] .. 'user:' .. ARGV[4]
local nodeKey = ARGV[1] .. 'node:' .. ARGV[2]
if ARGV[5] == '' then
  redis.call('HDEL', userKey, ARGV[2])
  redis.call('SREM', nodeKey, ARGV[4])
else
  redis.call('HSET', userKey, ARGV[2], ARGV[5])
  redis.call('SADD', nodeKey, ARGV[4])
end
return elsewhere(KEYS[1], userKey, ARGV[2], nowMs() - tonumber(ARGV[3]))`,
  // ARGV: prefix, me, expiryMs, userId… → a status per user
  messengerPresenceElsewhere: `${LIB}
local cutoff = nowMs() - tonumber(ARGV[3])
local out = {}
for i = 4, #ARGV do out[#out + 1] = elsewhere(KEYS[1], ARGV[1] .. 'user:' .. ARGV[i], ARGV[2], cutoff) end
return out`,
  // ARGV: prefix, me, expiryMs → { 1 if this node was still counted (and now beat) else 0, dead node ids }
  messengerPresenceBeat: `${LIB}
local now = nowMs()
local present = redis.call('ZSCORE', KEYS[1], ARGV[2])
if present then redis.call('ZADD', KEYS[1], now, ARGV[2]) end
local dead = redis.call('ZRANGE', KEYS[1], '-inf', string.format('(%d', now - tonumber(ARGV[3])), 'BYSCORE')
return { present and 1 or 0, dead }`,
  // ARGV: prefix, me, userId, status, userId, status… → 1 if this node was not counted before
  messengerPresenceRepublish: `${LIB}
local nodeKey = ARGV[1] .. 'node:' .. ARGV[2]
for _, u in ipairs(redis.call('SMEMBERS', nodeKey)) do redis.call('HDEL', ARGV[1] .. 'user:' .. u, ARGV[2]) end
redis.call('DEL', nodeKey)
for i = 3, #ARGV, 2 do
  redis.call('HSET', ARGV[1] .. 'user:' .. ARGV[i], ARGV[2], ARGV[i + 1])
  redis.call('SADD', nodeKey, ARGV[i])
end
return redis.call('ZADD', KEYS[1], nowMs(), ARGV[2])`,
  // ARGV: prefix, dead node, expiryMs → nil if it beat meanwhile (or another node took it), else { last beat, users gone }
  messengerPresenceReap: `${LIB}
local cutoff = nowMs() - tonumber(ARGV[3])
local beat = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not beat or tonumber(beat) >= cutoff then return false end
redis.call('ZREM', KEYS[1], ARGV[2])
local nodeKey = ARGV[1] .. 'node:' .. ARGV[2]
local gone = {}
for _, u in ipairs(redis.call('SMEMBERS', nodeKey)) do
  local userKey = ARGV[1] .. 'user:' .. u
  redis.call('HDEL', userKey, ARGV[2])
  if elsewhere(KEYS[1], userKey, '', cutoff) == 'offline' then gone[#gone + 1] = u end
end
redis.call('DEL', nodeKey)
return { beat, gone }`,
  // ARGV: prefix, me → leaves
  messengerPresenceLeave: `
local nodeKey = ARGV[1] .. 'node:' .. ARGV[2]
for _, u in ipairs(redis.call('SMEMBERS', nodeKey)) do redis.call('HDEL', ARGV[1] .. 'user:' .. u, ARGV[2]) end
redis.call('DEL', nodeKey)
return redis.call('ZREM', KEYS[1], ARGV[2])`
} as const

type Arg = string | number
type Scripts = {
  messengerPresenceSet(nodes: string, ...args: Arg[]): Promise<PresenceStatus>
  messengerPresenceElsewhere(nodes: string, ...args: Arg[]): Promise<PresenceStatus[]>
  messengerPresenceBeat(nodes: string, ...args: Arg[]): Promise<[0 | 1, string[]]>
  messengerPresenceRepublish(nodes: string, ...args: Arg[]): Promise<0 | 1>
  messengerPresenceReap(nodes: string, ...args: Arg[]): Promise<[string, string[]] | null>
  messengerPresenceLeave(nodes: string, ...args: Arg[]): Promise<number>
}

export function createRedisDirectory(link: RedisLink, log: Logger, options: RedisDirectoryOptions = {}): PresenceDirectory {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_PRESENCE_HEARTBEAT_MS
  const expiryMs = options.expiryMs ?? DEFAULT_PRESENCE_EXPIRY_MS
  const prefix = options.prefix ?? 'messenger:presence:'
  const me = options.nodeId ?? randomUUID()
  const nodes = `${prefix}nodes`
  const redis = link.command as Redis & Scripts
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua })

  /** Users whose change could not be published: told again once Redis is back. */
  const dirty = new Set<string>()
  const joined = new Set<() => void>()
  let peer: DirectoryPeer | null = null
  let registered = false
  let degraded = false
  let beating: Promise<void> | null = null
  let recoverAfter = false
  let timer: NodeJS.Timeout | null = null
  const repeats = new Set<NodeJS.Timeout>()
  let closed = false

  const fellBack = (err: unknown): void => {
    if (degraded) return
    degraded = true
    log.warn({ err, node: me }, "presence falls back to this node's own knowledge until Redis is back")
  }

  async function republish(): Promise<void> {
    if (!peer) return
    const snapshot = peer.snapshot()
    const missed = [...dirty]
    dirty.clear()
    let wasMissing: 0 | 1
    try {
      wasMissing = await redis.messengerPresenceRepublish(nodes, prefix, me, ...[...snapshot].flat())
    } catch (err) {
      for (const userId of missed) dirty.add(userId)
      throw err
    }
    if (degraded) log.info({ node: me }, 'presence is shared between nodes again')
    degraded = false
    for (const listener of joined) listener()
    const first = !registered
    registered = true
    // Counted dead meanwhile: the others announced this node's users offline.
    const again = new Set(first || !wasMissing ? missed : [...missed, ...snapshot.keys()])
    if (again.size === 0) return
    peer.resync([...again])
    // Pub/sub keeps nothing: a node whose subscriber reconnects after this one's announcement missed it. Every
    // node retries within REDIS_RETRY_MAX_MS, so one more announcement after that reaches them all (a repeat is harmless).
    const repeat = setTimeout(() => {
      repeats.delete(repeat)
      peer?.resync([...again])
    }, REDIS_RETRY_MAX_MS + heartbeatMs)
    repeat.unref()
    repeats.add(repeat)
  }

  async function reap(node: string): Promise<void> {
    const reaped = await redis.messengerPresenceReap(nodes, prefix, node, expiryMs)
    if (!reaped) return
    const [lastBeat, gone] = reaped
    log.warn({ node: me, dead: node, users: gone.length }, 'a node stopped beating: its users are offline unless connected elsewhere')
    if (gone.length > 0) peer?.gone(gone, new Date(Number(lastBeat)))
  }

  async function beat(recovered: boolean): Promise<void> {
    if (closed) return
    try {
      const [present, dead] = await redis.messengerPresenceBeat(nodes, prefix, me, expiryMs)
      if (!present || recovered || dirty.size > 0) await republish()
      for (const node of dead) if (node !== me) await reap(node)
    } catch (err) {
      fellBack(err)
    }
  }

  /** One beat at a time; a recovery during a beat asks for another (it must republish). */
  function beatNow(recovered = false): void {
    if (beating) {
      recoverAfter ||= recovered
      return
    }
    beating = beat(recovered).finally(() => {
      beating = null
      if (recoverAfter) {
        recoverAfter = false
        beatNow(true)
      }
    })
  }

  return {
    liveness: { nodeId: me, nodesKey: nodes, expiryMs, onJoined: (listener) => void joined.add(listener) },
    async publish(userId, status) {
      try {
        return await redis.messengerPresenceSet(nodes, prefix, me, expiryMs, userId, status === 'offline' ? '' : status)
      } catch (err) {
        dirty.add(userId)
        fellBack(err)
        return 'offline'
      }
    },
    async elsewhere(userIds) {
      if (userIds.length === 0) return []
      try {
        return await redis.messengerPresenceElsewhere(nodes, prefix, me, expiryMs, ...userIds)
      } catch (err) {
        fellBack(err)
        return userIds.map(() => 'offline' as const)
      }
    },
    start(p) {
      peer = p
      beatNow()
      timer = setInterval(() => beatNow(), heartbeatMs)
      timer.unref()
      link.onRecovered(() => beatNow(true))
    },
    async close() {
      closed = true
      if (timer) clearInterval(timer)
      for (const repeat of repeats) clearTimeout(repeat)
      await beating
      try {
        await redis.messengerPresenceLeave(nodes, prefix, me)
      } catch (err) {
        // The others reap it once its beat is old enough.
        log.warn({ err, node: me }, 'could not leave the presence directory')
      }
    }
  }
}
