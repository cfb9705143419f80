// The call store between nodes, on a private Redis, without servers: two
// stores with their own connections stand for two nodes. A transaction whose
// keys another node changed after it read them runs again on the new state;
// two windows joining the last place of a call from two nodes at once get
// one place between them, the other `call_full`. A decision from reads alone
// (busy) is checked the same way.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisCallStore } from '../../server/cluster/call-store'
import type { NodeLiveness } from '../../server/cluster/presence-directory'
import { connectRedis, type RedisLink } from '../../server/cluster/redis'
import { silentLogger } from '../../server/logger'
import { createCallHub } from '../../server/realtime/calls/call-hub'
import type { CallStore } from '../../server/realtime/calls/call-store'
import { CALL_PARTICIPANTS_MAX } from '../../src/shared/schemas/calls'
import { killPrivateRedis, startPrivateRedis, type PrivateRedis } from '../helpers/redis'

let redis: PrivateRedis
const links: RedisLink[] = []
const stores: CallStore[] = []

beforeAll(async () => {
  redis = await startPrivateRedis()
})
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()))
  await Promise.all(links.map((l) => l.close()))
  await redis?.destroy()
  killPrivateRedis()
})

/** Two nodes' stores under one fresh prefix. */
async function twoNodes(): Promise<[CallStore, CallStore]> {
  const prefix = `test:${randomUUID()}:`
  const made = await Promise.all(
    ['a', 'b'].map(async (nodeId) => {
      const link = await connectRedis(redis.url, silentLogger())
      links.push(link)
      const liveness: NodeLiveness = { nodeId, nodesKey: `${prefix}nodes`, expiryMs: 60_000, onJoined: () => undefined }
      const store = createRedisCallStore(link, liveness, prefix)
      stores.push(store)
      return store
    })
  )
  return made as [CallStore, CallStore]
}

describe('the Redis call store', () => {
  it('runs a transaction again when another node changed what it read', async () => {
    const [a, b] = await twoNodes()
    let runs = 0
    const result = await a.transact(async (tx) => {
      runs++
      const seen = Number((await tx.read('count')) ?? 0)
      // Node b commits between a's read and a's commit, the first time only.
      if (runs === 1) await b.transact(async (other) => other.write('count', String(Number((await other.read('count')) ?? 0) + 1)))
      tx.write('count', String(seen + 1))
      return seen
    })
    expect(runs).toBe(2)
    expect(result).toBe(1)
    expect(await a.get('count')).toBe('2')
  })

  it('runs a transaction that only read again when what it read changed (a decision such as busy holds only then)', async () => {
    const [a, b] = await twoNodes()
    let runs = 0
    const seen = await a.transact(async (tx) => {
      runs++
      const before = await tx.read('user:bob')
      if (runs === 1) await b.transact((other) => Promise.resolve(other.write('user:bob', 'call-1')))
      return before
    })
    expect(runs).toBe(2)
    expect(seen).toBe('call-1')
  })

  it('gives the last place of a call to one of two nodes joining at once', async () => {
    const [a, b] = await twoNodes()
    const [hubA, hubB] = [createCallHub(a, {}, silentLogger()), createCallHub(b, {}, silentLogger())]
    const users = Array.from({ length: CALL_PARTICIPANTS_MAX + 1 }, () => randomUUID())
    const conversation = { kind: 'group' as const, memberIds: users }
    const conversationId = randomUUID()
    const { call } = await hubA.start({ userId: users[0]!, socketId: 's0' }, { conversationId, media: 'audio', peerId: randomUUID() }, conversation)
    for (let i = 1; i < CALL_PARTICIPANTS_MAX - 1; i++) await hubA.join({ userId: users[i]!, socketId: `s${i}` }, { callId: call.id, peerId: randomUUID() })
    const last = CALL_PARTICIPANTS_MAX - 1
    const outcomes = await Promise.allSettled([
      hubA.join({ userId: users[last]!, socketId: 'sa' }, { callId: call.id, peerId: randomUUID() }),
      hubB.join({ userId: users[last + 1]!, socketId: 'sb' }, { callId: call.id, peerId: randomUUID() })
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    const refused = outcomes.find((o) => o.status === 'rejected')
    expect((refused)?.reason).toMatchObject({ code: 'call_full' })
    const stored = await hubB.peek(call.id)
    expect(stored?.call.participants).toHaveLength(CALL_PARTICIPANTS_MAX)
  })
})
