// PostgreSQL lost under several nodes: three nodes on a private PostgreSQL,
// raw sockets on every node sending and recording each ack, client cores
// behind the balancer sending through their outboxes. Mid-burst PostgreSQL
// is stopped at once (`pg_ctl stop -m immediate`): every node answers sends
// `unavailable` (never a hang), the cores' outboxes hold what is written
// meanwhile. It is started again, with no node restarted: every acknowledged
// message is stored once at the seq its ack gave, each refused send retried
// with its clientId through another node is stored once, the outboxes
// deliver the rest once, every raw socket heard every other member's message
// live (across nodes), and every core's cache equals the history.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { killChildServers } from '../helpers/child-server'
import type { TestClient } from '../helpers/client'
import { startCluster, type Cluster } from '../helpers/cluster'
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres'
import { killPrivateRedis } from '../helpers/redis'
import { connect, type ClientSocket } from '../helpers/socket'
import { allMessages } from '../reliability/helpers/history'
import { coresInGroup, expectCachesEqual, expectDeliveredOnce, expectSentInOrder, failedInOutbox, OutboxSenders, removedFromOutbox } from './outbox-senders'
import { groupOf, heardWithin, nodeUser, send, type NodeUser } from './senders'

const NODES = 3
/** Raw senders per node, each with one send in flight at a time. */
const RAW_PER_NODE = 2
const CORES = 3
const OUTAGES = 2
/** Refused sends (over all nodes) before PostgreSQL comes back, so every node met the outage. */
const REFUSED_PER_OUTAGE = 30
/** Messages each core writes while PostgreSQL is down (they wait in its outbox). */
const HELD_PER_CORE = 3
/** A refused stream pauses this long before its next send, so an outage is not a busy loop. */
const REFUSED_PAUSE_MS = 20

const runs = privatePostgresAvailable('the multi-node PostgreSQL outage test')

interface RawSend {
  clientId: string
  text: string
  sender: number
  node: number
  state: 'pending' | 'acked' | 'refused'
  seq?: number
}

let pg: PrivatePostgres | undefined
let cluster: Cluster | undefined
const cores: TestClient[] = []
const sockets: ClientSocket[] = []
let stopSending = false

describe.skipIf(!runs)('PostgreSQL outage under several nodes', () => {
  beforeAll(async () => {
    // Each node pools up to 24 connections.
    pg = await startPrivatePostgres({ maxConnections: 150 })
    cluster = await startCluster({ nodes: NODES, databaseUrl: pg.url })
  })
  afterAll(async () => {
    stopSending = true
    for (const s of sockets) s.close()
    await Promise.all(cores.map((c) => c.destroy()))
    await cluster?.destroy()
    killChildServers()
    killPrivateRedis()
    await pg?.destroy()
  })

  it(`${OUTAGES} immediate stops mid-burst: refused as unavailable on every node, nothing acknowledged lost, refused sends and outboxes delivered once`, { timeout: 300_000 }, async () => {
    const c = cluster!
    const db = pg!
    const raws: NodeUser[] = await Promise.all(Array.from({ length: NODES * RAW_PER_NODE }, () => nodeUser(c)))
    const coreUsers: NodeUser[] = await Promise.all(Array.from({ length: CORES }, () => nodeUser(c)))
    const conversationId = await groupOf(c, [...raws, ...coreUsers], 'database outage')
    const nodeOf = (u: number): number => u % NODES
    for (const [u, user] of raws.entries()) sockets.push(await connect(c.node(nodeOf(u)).url, user.tokens[nodeOf(u)]))
    /** clientIds each raw socket heard live, from whichever node sent them. */
    const heard = sockets.map((socket) => {
      const ids = new Set<string>()
      socket.on('message:new', ({ message }) => ids.add(message.clientId))
      return ids
    })
    await coresInGroup(c.balancer.url, coreUsers.map((u) => u.user.user.username), conversationId, cores)

    // ------------------------------------------------------------ raw senders, one per socket
    const raw: RawSend[] = []
    let acks = 0
    const acksOn = Array.from({ length: NODES }, () => 0)
    let refusals = 0
    let surelyDown = false
    const progress = new Set<() => void>()
    const tick = (): void => {
      for (const f of [...progress]) f()
    }
    /** Resolves once `ok()` holds, checked after every ack or refusal. */
    const reach = (ok: () => boolean, what: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          progress.delete(check)
          reject(new Error(`timed out waiting for ${what} (${acks} acks, ${refusals} refusals)`))
        }, 60_000)
        function check(): void {
          if (!ok()) return
          clearTimeout(timer)
          progress.delete(check)
          resolve()
        }
        progress.add(check)
        check()
      })
    const rawStream = async (u: number): Promise<void> => {
      for (let n = 0; !stopSending; n++) {
        const s: RawSend = { clientId: randomUUID(), text: `raw ${u} #${n}`, sender: u, node: nodeOf(u), state: 'pending' }
        raw.push(s)
        const emittedDown = surelyDown
        const ack = await send(sockets[u]!, { conversationId, clientId: s.clientId, text: s.text })
        if (ack === 'hang') throw new Error(`send ${s.text} on node ${s.node} had no answer`)
        if (ack.ok) {
          if (emittedDown && surelyDown) throw new Error(`send ${s.text} on node ${s.node} was acknowledged while PostgreSQL was stopped`)
          s.state = 'acked'
          s.seq = ack.data.message.seq
          acks++
          acksOn[s.node]!++
        } else if (ack.error.code === 'unavailable') {
          s.state = 'refused'
          refusals++
        } else {
          throw new Error(`send ${s.text} on node ${s.node} answered ${ack.error.code}: ${ack.error.message}`)
        }
        tick()
        if (s.state === 'refused') await new Promise((r) => setTimeout(r, REFUSED_PAUSE_MS))
      }
    }
    const streams = Promise.all(raws.map((_, u) => rawStream(u)))
    streams.catch(() => undefined) // reported when awaited below
    const senders = new OutboxSenders(cores, conversationId)

    const refusedOn = new Set<number>()
    for (let cycle = 0; cycle < OUTAGES; cycle++) {
      const before = acks
      await reach(() => acks >= before + 40, `40 acks before outage ${cycle}`)
      await db.stopImmediate()
      surelyDown = true
      const refusedBefore = refusals
      for (let i = 0; i < CORES; i++) for (let h = 0; h < HELD_PER_CORE; h++) await senders.write(i, `core ${i} held ${cycle}.${h}`)
      await reach(() => refusals >= refusedBefore + REFUSED_PER_OUTAGE, `${REFUSED_PER_OUTAGE} refusals in outage ${cycle}`)
      for (const s of raw) if (s.state === 'refused') refusedOn.add(s.node)
      surelyDown = false
      const acksAtStart = [...acksOn]
      await db.start()
      // Every node takes sends again, with no restart.
      await reach(() => acksOn.every((n, i) => n >= acksAtStart[i]! + 10), `10 acks on every node after restart ${cycle}`)
      await senders.deliver(CORES * HELD_PER_CORE, `the outboxes delivered after restart ${cycle}`)
    }
    expect([...refusedOn].sort(), 'nodes that refused sends while PostgreSQL was down').toEqual([...Array(NODES).keys()])

    stopSending = true
    await streams
    await senders.stop()
    expect(failedInOutbox(cores)).toEqual([])
    for (const [i, n] of c.nodes.entries()) expect(n !== null && n.child.exitCode === null && n.child.signalCode === null, `node ${i} is still up`).toBe(true)

    // A refused send is retried with its clientId, as an outbox does, through the next node.
    const stored = async (): Promise<Set<string>> => new Set((await allMessages(c.node(0).url, raws[0]!.tokens[0]!, conversationId)).map((m) => m.clientId))
    const storedBeforeRetry = await stored()
    const refused = raw.filter((s) => s.state === 'refused')
    const committedButRefused = refused.filter((s) => storedBeforeRetry.has(s.clientId)).length
    const retrySockets = await Promise.all(raws.map((user, u) => connect(c.node((nodeOf(u) + 1) % NODES).url, user.tokens[(nodeOf(u) + 1) % NODES])))
    sockets.push(...retrySockets)
    for (const s of refused) {
      const ack = await send(retrySockets[s.sender]!, { conversationId, clientId: s.clientId, text: s.text })
      expect(ack !== 'hang' && ack.ok, `retry of ${s.text}: ${JSON.stringify(ack)}`).toBe(true)
      if (ack !== 'hang' && ack.ok) Object.assign(s, { state: 'acked', seq: ack.data.message.seq })
    }

    const history = await allMessages(c.node(1).url, raws[0]!.tokens[1]!, conversationId)
    const rawIds = new Set(raw.map((s) => s.clientId))
    expectDeliveredOnce(history, senders.written, rawIds)
    expectSentInOrder(cores, history)
    const bySeq = new Map(history.map((m) => [m.seq, m]))
    const wrong = raw.flatMap((s) => {
      const at = s.seq === undefined ? undefined : bySeq.get(s.seq)
      if (s.state === 'acked' && at?.clientId !== s.clientId) return [`acked ${s.text} at seq ${s.seq}: there is ${at?.text ?? 'nothing'}`]
      if (s.state === 'pending' && history.filter((m) => m.clientId === s.clientId).length > 1) return [`unanswered ${s.text} stored twice`]
      return []
    })
    expect(wrong).toEqual([])
    // Every other member heard every message live, across nodes, also one stored as PostgreSQL went
    // (answered unavailable, announced at its retry).
    const senderOf = new Map(raw.map((s) => [s.clientId, s.sender]))
    const missedLive = (): string[] =>
      history.flatMap((m) =>
        m.kind !== 'text' ? [] : raws.flatMap((_, u) => (senderOf.get(m.clientId) === u || heard[u]!.has(m.clientId) ? [] : [`raw ${u} (node ${nodeOf(u)}) never heard ${m.text}`]))
      )
    await heardWithin(raws.map((_, u) => sockets[u]!), () => missedLive().length === 0)
    expect(missedLive()).toEqual([])
    const delivered = cores.map((core) => removedFromOutbox(core).size).reduce((a, b) => a + b, 0)
    await expectCachesEqual(cores, conversationId, history)

    process.stdout.write(
      `multi-node postgres outage: ${OUTAGES} immediate stops under ${NODES} nodes; ${refusals} raw sends refused as unavailable ` +
        `(${committedButRefused} of them committed anyway, found by their retry through another node); ${acks} raw sends acked; ` +
        `${delivered} outbox messages delivered, each stored once; ${history.length} messages, seq 1..n, each heard live by every other raw socket\n`
    )
  })
})
