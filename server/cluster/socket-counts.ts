// Open sockets per user and per session, over every node. Each node keeps in
// Redis its own counts (a hash per user and per session: node id → sockets
// there) and is the truth for them: every write sets the node's whole count,
// never a delta, so a lost write is mended by the next one, and the node
// publishes all its counts again whenever it (re)joins the presence
// directory (its first beat, Redis back, counted dead and beating again).
//
// Whether a node is alive is the presence directory's call (its heartbeats):
// a node whose beat is older than the presence expiry does not count, and one
// that left the directory (a clean stop, or reaped) has its fields deleted by
// the first admission that reads them.
//
// A check and its write are one script, so two nodes admitting the same
// user's sockets at once cannot both take the last place.
import type { Redis } from 'ioredis'
import type { NodeLiveness } from './presence-directory'
import type { RedisLink } from './redis'

/** This node's sockets of one user and of one of their sessions. */
export interface NodeCounts {
  user: number
  session: number
}

export interface Caps {
  perUser: number
  perSession: number
}

/** Which cap a socket would pass. */
export type FullCap = 'session' | 'user'

export interface SharedSocketCounts {
  /** With `mine` (this node's counts, the new socket included) against the other live nodes': null if it fits (and is recorded), else the full cap. */
  admit(userId: string, sessionId: string, mine: NodeCounts, caps: Caps): Promise<FullCap | null>
  /** Records this node's counts after a socket left (or a reservation was refused). */
  set(userId: string, sessionId: string, mine: NodeCounts): Promise<void>
  /** Replaces everything this node recorded with `snapshot` (user and session counts by key). */
  republish(snapshot: { users: Map<string, number>; sessions: Map<string, number> }): Promise<void>
  /** Removes this node's counts (a clean stop). */
  leave(): Promise<void>
}

const NOW = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`

const LEAVE = `
local nodeKey = ARGV[1] .. 'node:' .. ARGV[2]
for _, key in ipairs(redis.call('SMEMBERS', nodeKey)) do redis.call('HDEL', key, ARGV[2]) end
redis.call('DEL', nodeKey)`

const SET = `
local nodeKey = ARGV[1] .. 'node:' .. ARGV[2]
for i = 3, #ARGV, 2 do
  local key = ARGV[1] .. ARGV[i]
  if tonumber(ARGV[i + 1]) > 0 then
    redis.call('HSET', key, ARGV[2], ARGV[i + 1])
    redis.call('SADD', nodeKey, key)
  else
    redis.call('HDEL', key, ARGV[2])
    redis.call('SREM', nodeKey, key)
  end
end
return 1`

// KEYS[1] is the presence directory's nodes; ARGV[1] the prefix, ARGV[2] this node.
const SCRIPTS = {
  // ARGV: prefix, me, expiryMs, userId, sessionId, mine per user, mine per session, user cap, session cap → '' or the full cap
  messengerSocketsAdmit: `${NOW}
local cutoff = nowMs() - tonumber(ARGV[3])
local function others(key)
  local entries = redis.call('HGETALL', key)
  local total = 0
  for i = 1, #entries, 2 do
    if entries[i] ~= ARGV[2] then
      local beat = redis.call('ZSCORE', KEYS[1], entries[i])
      if not beat then redis.call('HDEL', key, entries[i])
      elseif tonumber(beat) >= cutoff then total = total + tonumber(entries[i + 1]) end
    end
  end
  return total
end
local userKey = ARGV[1] .. 'user:' .. ARGV[4]
local sessionKey = ARGV[1] .. 'session:' .. ARGV[5]
if others(sessionKey) + tonumber(ARGV[7]) > tonumber(ARGV[9]) then return 'session' end
if others(userKey) + tonumber(ARGV[6]) > tonumber(ARGV[8]) then return 'user' end
redis.call('HSET', userKey, ARGV[2], ARGV[6])
redis.call('HSET', sessionKey, ARGV[2], ARGV[7])
redis.call('SADD', ARGV[1] .. 'node:' .. ARGV[2], userKey, sessionKey)
return ''`,
  // ARGV: prefix, me, key, count, key, count… (a count of 0 removes)
  messengerSocketsSet: SET,
  // ARGV: as for Set: this node's counts replaced by these in one step, so nobody reads a half-published node
  messengerSocketsRepublish: `${LEAVE}
${SET}`,
  // ARGV: prefix, me → forgets this node's counts
  messengerSocketsLeave: `${LEAVE}
return 1`
} as const

type Arg = string | number
type Scripts = {
  messengerSocketsAdmit(nodes: string, ...args: Arg[]): Promise<'' | FullCap>
  messengerSocketsSet(nodes: string, ...args: Arg[]): Promise<number>
  messengerSocketsRepublish(nodes: string, ...args: Arg[]): Promise<number>
  messengerSocketsLeave(nodes: string, ...args: Arg[]): Promise<number>
}

export function createSharedSocketCounts(link: RedisLink, liveness: NodeLiveness, prefix = 'messenger:sockets:'): SharedSocketCounts {
  const redis = link.command as Redis & Scripts
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: 1, lua })
  const { nodeId: me, nodesKey, expiryMs } = liveness
  return {
    async admit(userId, sessionId, mine, caps) {
      const full = await redis.messengerSocketsAdmit(nodesKey, prefix, me, expiryMs, userId, sessionId, mine.user, mine.session, caps.perUser, caps.perSession)
      return full === '' ? null : full
    },
    async set(userId, sessionId, mine) {
      await redis.messengerSocketsSet(nodesKey, prefix, me, `user:${userId}`, mine.user, `session:${sessionId}`, mine.session)
    },
    async republish({ users, sessions }) {
      const pairs: Arg[] = []
      for (const [id, n] of users) pairs.push(`user:${id}`, n)
      for (const [id, n] of sessions) pairs.push(`session:${id}`, n)
      await redis.messengerSocketsRepublish(nodesKey, prefix, me, ...pairs)
    },
    async leave() {
      await redis.messengerSocketsLeave(nodesKey, prefix, me)
    }
  }
}
