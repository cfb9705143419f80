// A node killed (kill -9) while its clients send: client cores connected
// through the balancer address, as a user would give it, keep writing into
// their outboxes before, during and after the kill. Those on the dead node
// reconnect through the same address to another node and send the rest; the
// node is started again and takes connections. At the end every message an
// outbox held was delivered exactly once (seq 1..n, no clientId twice), every
// message delivered before the kill is there, and every core, on whichever
// node, holds the whole history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killChildServers } from '../helpers/child-server'
import { waitSynced, type TestClient } from '../helpers/client'
import { startCluster, type Cluster } from '../helpers/cluster'
import { killPrivateRedis } from '../helpers/redis'
import { allMessages } from '../reliability/helpers/history'
import { until } from '../reliability/helpers/until'
import { coresInGroup, expectCachesEqual, expectDeliveredOnce, expectSentInOrder, failedInOutbox, OutboxSenders, removedFromOutbox } from './outbox-senders'
import { groupOf, nodeUser, type NodeUser } from './senders'

const NODES = 3
const CORES = 6
/** Cores that only read: they learn of others' messages live (across nodes) or by catching up, never from their own acks. */
const RECEIVERS = 2
/** Messages delivered (over all cores) in each phase: before the kill, after it, after the restart. */
const PER_PHASE = CORES * 5

let cluster: Cluster
const cores: TestClient[] = []

beforeAll(async () => {
  // debug: the nodes log each socket they admit, which tells where each core is connected.
  cluster = await startCluster({ nodes: NODES, args: ['--log-level', 'debug'] })
})
afterAll(async () => {
  await Promise.all(cores.map((c) => c.destroy()))
  await cluster?.destroy()
  killChildServers()
  killPrivateRedis()
})

/** The node each user's newest socket was admitted by (from the nodes' logs). */
function socketNodes(userIds: string[]): (number | null)[] {
  const newest = new Map<string, { node: number; time: number }>()
  for (const [node, n] of cluster.nodes.entries()) {
    for (const line of n?.logs ?? []) {
      if (line['msg'] !== 'socket connected') continue
      const userId = String(line['userId'])
      const time = Number(line['time'])
      if ((newest.get(userId)?.time ?? -1) <= time) newest.set(userId, { node, time })
    }
  }
  return userIds.map((id) => newest.get(id)?.node ?? null)
}

/** Resolves once the core lost its connection after `since` and is connected and caught up again. */
async function reconnected(client: TestClient, since: number, what: string): Promise<void> {
  const lostAt = (): number => client.events.findIndex((e, k) => k >= since && e.type === 'connection' && e.payload.status !== 'online')
  await until(client, () => Promise.resolve(lostAt() >= 0), `${what} lost its connection`)
  await waitSynced(client, lostAt(), 60_000)
}

describe('node failure', () => {
  it('kill -9 of a node while its clients send: they reconnect through the balancer, every outbox message is delivered once, every core has all', { timeout: 300_000 }, async () => {
    const observer: NodeUser = await nodeUser(cluster)
    const members: NodeUser[] = await Promise.all(Array.from({ length: CORES + RECEIVERS }, () => nodeUser(cluster)))
    const conversationId = await groupOf(cluster, [observer, ...members], 'node failure')

    // The cores know the organisation by the balancer's address only.
    await coresInGroup(cluster.balancer.url, members.map((m) => m.user.user.username), conversationId, cores)

    const senders = new OutboxSenders(cores.slice(0, CORES), conversationId)
    await senders.deliver(PER_PHASE, 'messages delivered before the kill')

    // The node holding the most cores' sockets dies, with their sends in flight.
    const where = socketNodes(members.slice(0, CORES).map((m) => m.user.user.id))
    const receiversAt = socketNodes(members.slice(CORES).map((m) => m.user.user.id))
    const counts = cluster.nodes.map((_, i) => where.filter((n) => n === i).length)
    const victim = counts.indexOf(Math.max(...counts))
    const affected = where.flatMap((n, i) => (n === victim ? [i] : []))
    expect(affected.length, `cores on node ${victim} (sockets per node: ${counts.join(', ')})`).toBeGreaterThan(0)
    const marks = cores.map((c) => c.mark())
    const deliveredBeforeKill = cores.map((c) => removedFromOutbox(c))
    const writtenBeforeKill = senders.written.size
    const killedAt = Date.now()
    await cluster.kill(victim)

    await Promise.all(affected.map((i) => reconnected(cores[i]!, marks[i]!, `core ${i}`)))
    const backMs = Date.now() - killedAt
    const movedTo = socketNodes(affected.map((i) => members[i]!.user.user.id))
    expect(movedTo.filter((n) => n === victim), 'cores of the dead node now on a live one').toEqual([])
    await senders.deliver(PER_PHASE, 'messages delivered after the kill')

    await cluster.start(victim)
    await senders.deliver(PER_PHASE, 'messages delivered after the restart')
    await senders.stop()
    expect(failedInOutbox(cores)).toEqual([])

    const reader = (victim + 1) % NODES
    const history = await allMessages(cluster.node(reader).url, observer.tokens[reader]!, conversationId)
    expectDeliveredOnce(history, senders.written)
    expectSentInOrder(cores, history)
    const stored = new Set(history.map((m) => m.clientId))
    const lostAfterAck = deliveredBeforeKill.flatMap((ids, i) => [...ids].filter((id) => !stored.has(id)).map((id) => `core ${i}: ${id}`))
    expect(lostAfterAck, 'delivered before the kill, missing after').toEqual([])
    await expectCachesEqual(cores, conversationId, history)

    process.stdout.write(
      `node failure: node ${victim} killed with ${affected.length} of ${CORES} sending cores on it (sockets per node ${counts.join(', ')}), receivers on nodes ${receiversAt.join(', ')}; its cores back online and synced on other nodes ${backMs} ms after the kill; ` +
        `${writtenBeforeKill} messages written before the kill, ${senders.written.size} in all, each stored once; ${history.length} messages, seq 1..n\n`
    )
  })
})
