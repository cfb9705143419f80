// Calls across nodes: the call state lives in Redis, so a call between people
// connected to different nodes rings, is answered, relays its signals and
// ends as on one server; busy is seen across nodes; two people calling each
// other at once from two nodes end up in one call; and a node killed with
// kill -9 takes its participants out (once the others count it dead, after
// the rejoin grace), ending a call it leaves alone instead of keeping it
// running forever.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/errors'
import type { CallEnded, CallJoined } from '../../src/shared/schemas/calls'
import type { Message } from '../../src/shared/schemas/messages'
import type { Cluster } from '../helpers/cluster'
import { collectWhere, record } from '../helpers/events'
import { emitAck, type ClientSocket } from '../helpers/socket'
import { directOf, nodeUser, type NodeUser } from './senders'
import { clusterSuite } from './suite'

const NODES = 3
/** As in the presence tests: short, yet no busy machine's starved node is taken for dead. */
const EXPIRY_SECONDS = 5
const GRACE_MS = 1000
/** Far beyond expiry + beat + grace + a sweep on a loaded machine; the test waits on the event. */
const ENDED_LIMIT_MS = 60_000

let cluster: Cluster

const ARGS = ['--presence-expiry-seconds', String(EXPIRY_SECONDS), '--call-rejoin-grace-ms', String(GRACE_MS), '--call-ring-ms', '60000']
const pool = clusterSuite({ nodes: NODES, args: ARGS }, (c) => (cluster = c))

const on = (u: NodeUser, node: number): Promise<ClientSocket> => pool.connect(cluster.node(node).url, u.tokens[node]!)

const chat = (a: NodeUser, b: NodeUser): Promise<string> => directOf(cluster, a, b)

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.data
}
const start = (s: ClientSocket, conversationId: string, peerId = randomUUID()) =>
  emitAck<CallJoined>(s, 'call:start', { conversationId, media: 'video', peerId })
const ended = (s: ClientSocket, callId: string, timeoutMs?: number): Promise<CallEnded> =>
  collectWhere(s, 'call:ended', 1, (e) => e.callId === callId, timeoutMs).then(([e]) => e!)

describe('calls across nodes', () => {
  it('ring, answer, signal, busy and hang-up work between people on different nodes', async () => {
    const [alice, bob, carol] = await Promise.all([nodeUser(cluster), nodeUser(cluster), nodeUser(cluster)])
    const [aliceBob, carolBob] = [await chat(alice, bob), await chat(carol, bob)]
    const [a, b1, b2, c] = await Promise.all([on(alice, 0), on(bob, 1), on(bob, 2), on(carol, 2)])
    const rings = [b1, b2].map((s) => collectWhere(s, 'call:ring', 1, (r) => r.call.conversationId === aliceBob))
    const alicePeer = randomUUID()
    const callId = ok(await start(a, aliceBob, alicePeer)).call.id
    for (const [ring] of await Promise.all(rings)) expect(ring!.call.id).toBe(callId)

    const bobPeer = randomUUID()
    const heardOnB2 = collectWhere(b2, 'call:updated', 1, (u) => u.call.id === callId && u.call.answeredAt !== null)
    expect(ok(await emitAck<CallJoined>(b1, 'call:join', { callId, peerId: bobPeer })).call.answeredAt).not.toBeNull()
    await heardOnB2

    // Signals cross nodes to the one window they are for.
    const toBob = collectWhere(b1, 'call:signal', 1, (s) => s.from === alicePeer)
    const toAlice = collectWhere(a, 'call:signal', 1, (s) => s.from === bobPeer)
    ok(await emitAck(a, 'call:signal', { callId, from: alicePeer, to: bobPeer, description: { type: 'offer', sdp: 'v=0 offer' } }))
    ok(await emitAck(b1, 'call:signal', { callId, from: bobPeer, to: alicePeer, description: { type: 'answer', sdp: 'v=0 answer' } }))
    expect((await toBob)[0]).toMatchObject({ fromUserId: alice.user.user.id, description: { type: 'offer' } })
    expect((await toAlice)[0]).toMatchObject({ fromUserId: bob.user.user.id, description: { type: 'answer' } })
    expect((await emitAck(b2, 'call:signal', { callId, from: bobPeer, to: alicePeer, candidate: null })).ok).toBe(false)

    // Bob is busy, as node 2 sees it.
    const bobRings = record(b2, 'call:ring')
    const busy = ok(await start(c, carolBob))
    expect(await ended(c, busy.call.id)).toMatchObject({ reason: 'busy' })
    expect(bobRings).toEqual([])

    // Bob hangs up on node 1: the call ends for Alice on node 0, with its message.
    const end = ended(a, callId)
    const message = collectWhere(a, 'message:new', 1, (m) => m.message.system?.type === 'call_ended')
    ok(await emitAck(b1, 'call:leave', { callId, peerId: bobPeer }))
    expect(await end).toMatchObject({ reason: 'completed', durationMs: expect.any(Number) })
    const stored: Message = (await message)[0]!.message
    expect(stored.system).toMatchObject({ callId, reason: 'completed', participantIds: [alice.user.user.id, bob.user.user.id] })
  })

  it('two people calling each other at once from two nodes end up in one call', async () => {
    const [dave, erin] = await Promise.all([nodeUser(cluster), nodeUser(cluster)])
    const conversationId = await chat(dave, erin)
    const [d, e] = await Promise.all([on(dave, 1), on(erin, 2)])
    const [fromDave, fromErin] = (await Promise.all([start(d, conversationId), start(e, conversationId)])).map(ok)
    expect(fromDave!.call.id).toBe(fromErin!.call.id)
    const both = [fromDave!, fromErin!].sort((x, y) => x.call.participants.length - y.call.participants.length)
    expect(both[1]!.call.participants.map((p) => p.userId).sort()).toEqual([dave.user.user.id, erin.user.user.id].sort())
    expect(both[1]!.call.answeredAt).not.toBeNull()
  })

  it('a node killed takes its participants out after the grace; the call it leaves alone ends failed', async () => {
    const [frank, gina] = await Promise.all([nodeUser(cluster), nodeUser(cluster)])
    const conversationId = await chat(frank, gina)
    const [f, g] = await Promise.all([on(frank, 0), on(gina, 1)])
    const callId = ok(await start(f, conversationId)).call.id
    ok(await emitAck(g, 'call:join', { callId, peerId: randomUUID() }))
    const end = ended(f, callId, ENDED_LIMIT_MS)
    const message = collectWhere(f, 'message:new', 1, (m) => m.message.system?.type === 'call_ended', ENDED_LIMIT_MS)
    await cluster.kill(1)
    expect(await end).toMatchObject({ callId, reason: 'failed', durationMs: expect.any(Number) })
    expect((await message)[0]!.message.system).toMatchObject({ callId, reason: 'failed' })
    expect(ok(await emitAck<{ calls: unknown[] }>(f, 'call:list', {})).calls).toEqual([])
  })
})
