// Seq and dedupe across nodes, as a property: members of one group, each with
// a socket on two of three nodes, send at once into it (some sends twice at
// the same moment through both nodes, as a client whose ack was lost retries
// through another node). Whatever the schedule, the history, read from every
// node, runs 1..N with nothing twice, holds every acknowledged message at the
// seq its ack gave, and a resend of a clientId through another node answers
// the first message and stores nothing. Then, across nodes, every member's
// socket hears every message live.
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { killChildServers } from '../helpers/child-server'
import { startCluster, type Cluster } from '../helpers/cluster'
import { killPrivateRedis } from '../helpers/redis'
import { connect, type ClientSocket } from '../helpers/socket'
import { allMessages, historyProblems } from '../reliability/helpers/history'
import { acked, groupOf, heardWithin, identity, nodeUser, send, type NodeUser } from './senders'

const NODES = 3
const USERS = 6
/** Schedules tried; each is a new group, so its seq starts at 1. */
const RUNS = Number(process.env['MULTINODE_SEQ_RUNS'] ?? 25)
/** Messages each member sends in the live-delivery test. */
const LIVE_PER_SOCKET = 10

let cluster: Cluster
let users: NodeUser[]
/** Per user: a socket on its home node and one on the next node. */
let sockets: { home: ClientSocket; away: ClientSocket }[]
const homeOf = (u: number): number => u % NODES
const awayOf = (u: number): number => (u + 1) % NODES

beforeAll(async () => {
  cluster = await startCluster({ nodes: NODES })
  users = await Promise.all(Array.from({ length: USERS }, () => nodeUser(cluster)))
  sockets = await Promise.all(
    users.map(async (u, i) => ({
      home: await connect(cluster.node(homeOf(i)).url, u.tokens[homeOf(i)]),
      away: await connect(cluster.node(awayOf(i)).url, u.tokens[awayOf(i)])
    }))
  )
})
afterAll(async () => {
  for (const s of sockets ?? []) {
    s.home.close()
    s.away.close()
  }
  await cluster?.destroy()
  killChildServers()
  killPrivateRedis()
})

/** The history as each node answers it; they must all be the same. */
async function historyOnEveryNode(conversationId: string): Promise<Message[][]> {
  return Promise.all(cluster.nodes.map((_, i) => allMessages(cluster.node(i).url, users[0]!.tokens[i]!, conversationId)))
}

const Send = fc.record({
  sender: fc.nat({ max: USERS - 1 }),
  /** Through the sender's other node instead of its home. */
  viaAway: fc.boolean(),
  /** Also sent, same clientId, at the same moment through the sender's other node. */
  twin: fc.boolean()
})

describe('seq across nodes', () => {
  it('concurrent sends through three nodes: seq 1..N, nothing twice, every ack stored, resends through another node answer the first', async () => {
    let run = 0
    const tally = { sends: 0, twins: 0, resends: 0 }
    await fc.assert(
      fc.asyncProperty(
        fc.array(Send, { minLength: 1, maxLength: 60, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (schedule, resendPicks) => {
          const conversationId = await groupOf(cluster, users, `seq run ${run++}`)
          const sends = schedule.map((s, k) => ({ ...s, clientId: randomUUID(), text: `u${s.sender} #${k}` }))
          tally.sends += sends.length
          tally.twins += sends.filter((s) => s.twin).length
          tally.resends += resendPicks.length
          // Every send (and twin) emitted at once, on six users' sockets over three nodes.
          const acks = await Promise.all(
            sends.map(async (s) => {
              const socket = (away: boolean): ClientSocket => (away ? sockets[s.sender]!.away : sockets[s.sender]!.home)
              const payload = { conversationId, clientId: s.clientId, text: s.text }
              const [first, twin] = await Promise.all([send(socket(s.viaAway), payload), s.twin ? send(socket(!s.viaAway), payload) : null])
              const message = acked(first, `send ${s.text}`)
              if (twin) expect(identity(acked(twin, `twin of ${s.text}`)), `the twin of ${s.text} answers the same message`).toEqual(identity(message))
              return { ...s, message }
            })
          )

          const histories = await historyOnEveryNode(conversationId)
          const history = histories[0]!
          for (const [i, h] of histories.entries()) expect(h.map(identity), `node ${i} answers the same history as node 0`).toEqual(history.map(identity))
          expect(historyProblems(history)).toEqual([])
          const texts = history.filter((m) => m.kind === 'text')
          expect(texts.length, 'one stored message per clientId sent').toBe(sends.length)
          for (const a of acks) {
            expect(a.message.text).toBe(a.text)
            expect(identity(history[a.message.seq - 1]!), `${a.text} is stored at the seq its ack gave`).toEqual(identity(a.message))
          }

          // Resends of acknowledged messages, each through the node its first send did not use.
          for (const pick of resendPicks) {
            const a = acks[pick % acks.length]!
            const socket = a.viaAway ? sockets[a.sender]!.home : sockets[a.sender]!.away
            const again = acked(await send(socket, { conversationId, clientId: a.clientId, text: a.text }), `resend of ${a.text}`)
            expect(again, `a resend of ${a.text} through another node answers the first message`).toEqual(a.message)
          }
          const after = await historyOnEveryNode(conversationId)
          for (const h of after) expect(h.map(identity), 'resends stored nothing').toEqual(history.map(identity))
        }
      ),
      { numRuns: RUNS }
    )
    process.stdout.write(`seq: ${run} schedules, ${tally.sends} sends (${tally.twins} also sent at once through a second node), ${tally.resends} resends through another node\n`)
  })

  it('every member socket, on whichever node, hears every message it did not send itself once it knows the group', async () => {
    const all = sockets.flatMap((s, u) => [
      { u, node: homeOf(u), socket: s.home },
      { u, node: awayOf(u), socket: s.away }
    ])
    const told = all.map(({ socket }) => {
      const ids = new Set<string>()
      socket.on('conversation:new', ({ conversation }) => ids.add(conversation.id))
      return ids
    })
    const conversationId = await groupOf(cluster, users, 'live')
    // A member's devices learn of the group by conversation:new (a client fetches its history then):
    // what is sent from then on must reach them live, on whichever node they are.
    await heardWithin(all.map((a) => a.socket), () => told.every((ids) => ids.has(conversationId)))
    expect(all.filter((_, k) => !told[k]!.has(conversationId)).map(({ u, node }) => `user ${u} on node ${node}`), 'sockets told of the group').toEqual([])
    const heard = all.map(({ socket }) => {
      const ids = new Map<string, number>()
      socket.on('message:new', ({ message }) => {
        if (message.conversationId === conversationId) ids.set(message.id, (ids.get(message.id) ?? 0) + 1)
      })
      return ids
    })
    const sent = await Promise.all(
      all.map(async ({ u, socket }, k) => {
        const mine: Message[] = []
        for (let n = 0; n < LIVE_PER_SOCKET; n++) {
          mine.push(acked(await send(socket, { conversationId, clientId: randomUUID(), text: `live u${u} s${k} #${n}` }), `live send ${k}.${n}`))
        }
        return mine
      })
    )
    const expected = (k: number): string[] => sent.flatMap((mine, j) => (j === k ? [] : mine.map((m) => m.id)))
    const missing = (): string[] =>
      all.flatMap(({ u, node }, k) => {
        const gone = expected(k).filter((id) => !heard[k]!.has(id))
        return gone.length ? [`user ${u}'s socket on node ${node} missed ${gone.length} of ${expected(k).length}`] : []
      })
    // Waits for the last broadcasts to arrive; then says what never did.
    await heardWithin(all.map((a) => a.socket), () => missing().length === 0)
    expect(missing()).toEqual([])
    const twice = all.flatMap((_, k) => [...heard[k]!].filter(([, n]) => n > 1).map(([id, n]) => `socket ${k} heard ${id} ${n} times`))
    expect(twice).toEqual([])
    const own = all.flatMap((_, k) => sent[k]!.filter((m) => heard[k]!.has(m.id)).map((m) => `socket ${k} heard its own ${m.text}`))
    expect(own).toEqual([])
  })
})
