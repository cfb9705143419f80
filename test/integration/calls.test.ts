// Calls over real sockets: ringing on every device of the callee, answering,
// the signalling relayed only between the call's own windows, media state,
// the ways a call ends (completed, declined, missed, busy, cancelled, failed)
// each with its system message, group calls (join, leave, rejoin with the
// same peerId, the cap of 8), and a window that vanished leaving after the
// rejoin grace. "Nothing arrived" is asserted after a round trip.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/errors'
import { CALL_SIGNAL_WINDOW_MS, CALL_SIGNALS_PER_WINDOW, CALL_STARTS_PER_WINDOW } from '../../server/realtime/calls/calls'
import { CALL_PARTICIPANTS_MAX, type Call, type CallEnded, type CallJoined } from '../../src/shared/schemas/calls'
import type { Message } from '../../src/shared/schemas/messages'
import { collectWhere, record } from '../helpers/events'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { emitAck, SocketPool, type ClientSocket } from '../helpers/socket'

const ICE = [{ urls: 'stun:stun.example.lan:3478' }]
/** The short server: ringing and the grace run out within the test. */
const SHORT_MS = 300

let srv: TestServer
let short: TestServer
const pool = new SocketPool()

const online = (user: TestUser, server = srv): Promise<ClientSocket> => pool.connect(server.url, user.accessToken)
const people = (n: number, server = srv): Promise<TestUser[]> => Promise.all(Array.from({ length: n }, () => register(server.url)))

async function conversation(owner: TestUser, others: TestUser[], server = srv): Promise<string> {
  const body = others.length === 1 ? { kind: 'direct', userId: others[0]!.user.id } : { kind: 'group', title: 'Call', memberIds: others.map((u) => u.user.id) }
  return (await api(server.url, 'POST', '/conversations', { token: owner.accessToken, body })).body.conversation.id as string
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.data
}
const code = (result: Result<unknown>): string => (result.ok ? 'ok' : result.error.code)

const start = (s: ClientSocket, conversationId: string, peerId = randomUUID(), media: 'audio' | 'video' = 'audio') =>
  emitAck<CallJoined>(s, 'call:start', { conversationId, media, peerId })
const join = (s: ClientSocket, callId: string, peerId = randomUUID()) => emitAck<CallJoined>(s, 'call:join', { callId, peerId })
const leave = (s: ClientSocket, callId: string, peerId: string) => emitAck(s, 'call:leave', { callId, peerId })
const ended = (s: ClientSocket, callId: string, timeoutMs?: number): Promise<CallEnded> =>
  collectWhere(s, 'call:ended', 1, (e) => e.callId === callId, timeoutMs).then(([e]) => e!)
const updated = (s: ClientSocket, callId: string, match: (c: Call) => boolean): Promise<Call> =>
  collectWhere(s, 'call:updated', 1, (u) => u.call.id === callId && match(u.call)).then(([u]) => u!.call)
const systemMessage = (s: ClientSocket, callId: string): Promise<Message> =>
  collectWhere(s, 'message:new', 1, (m) => m.message.system?.type === 'call_ended' && m.message.system.callId === callId).then(([m]) => m!.message)
/** A direct call Alice started and Bob answered, each with one window. */
async function answered() {
  const [alice, bob] = await people(2)
  const conversationId = await conversation(alice!, [bob!])
  const [a, b] = await Promise.all([online(alice!), online(bob!)])
  const [alicePeer, bobPeer] = [randomUUID(), randomUUID()]
  const callId = ok(await start(a, conversationId, alicePeer)).call.id
  ok(await join(b, callId, bobPeer))
  return { a, b, alicePeer, bobPeer, callId }
}

/** The i-th ICE candidate from one peer to another (its foundation names i). */
const candidate = (s: ClientSocket, callId: string, from: string, to: string, i: number) =>
  emitAck(s, 'call:signal', { callId, from, to, candidate: { candidate: `candidate:${i} 1 udp 1 192.0.2.1 ${5000 + i} typ host` } })

/** Everything the server sent this socket before now has arrived. */
const roundTrip = async (s: ClientSocket): Promise<void> => {
  expect((await emitAck(s, 'call:list', {})).ok).toBe(true)
}

beforeAll(async () => {
  srv = await startServer({ iceServers: ICE, callRingMs: 30_000, callRejoinGraceMs: 30_000 })
  short = await startServer({ callRingMs: SHORT_MS, callRejoinGraceMs: SHORT_MS })
})
afterEach(() => pool.closeAll())
afterAll(async () => {
  await srv.destroy()
  await short.destroy()
})

describe('a direct call', () => {
  it('rings every device of the callee, is answered, relays signals between its windows only, shows media, and ends completed with its message', async () => {
    const [alice, bob, outsider] = (await people(3)) as [TestUser, TestUser, TestUser]
    const conversationId = await conversation(alice, [bob])
    const [a, b1, b2, out] = await Promise.all([online(alice), online(bob), online(bob), online(outsider)])
    const rings = [b1, b2].map((s) => collectWhere(s, 'call:ring', 1, (r) => r.call.conversationId === conversationId))
    const alicePeer = randomUUID()
    const started = ok(await start(a, conversationId, alicePeer, 'video'))
    expect(started.iceServers).toEqual(ICE)
    expect(started.call).toMatchObject({ startedBy: alice.user.id, media: 'video', answeredAt: null, ringing: [bob.user.id] })
    expect(started.call.participants).toEqual([expect.objectContaining({ peerId: alicePeer, userId: alice.user.id, camera: true, muted: false })])
    const callId = started.call.id
    for (const [ring] of await Promise.all(rings)) expect(ring!.call.id).toBe(callId)

    // Bob answers on his first device: ringing stops on both (the update says nobody rings).
    const stopped = updated(b2, callId, (c) => c.ringing.length === 0)
    const bobPeer = randomUUID()
    const answered = ok(await join(b1, callId, bobPeer))
    expect(answered.iceServers).toEqual(ICE)
    expect(answered.call.answeredAt).not.toBeNull()
    expect((await stopped).participants.map((p) => p.userId).sort()).toEqual([alice.user.id, bob.user.id].sort())

    // Signals: to the target window only, both ways.
    const onB1 = record(b1, 'call:signal')
    const onB2 = record(b2, 'call:signal')
    const onOut = record(out, 'call:signal')
    const offer = { type: 'offer' as const, sdp: 'v=0 offer' }
    const atAlice = collectWhere(a, 'call:signal', 2, (s) => s.from === bobPeer)
    ok(await emitAck(a, 'call:signal', { callId, from: alicePeer, to: bobPeer, description: offer }))
    ok(await emitAck(b1, 'call:signal', { callId, from: bobPeer, to: alicePeer, description: { type: 'answer', sdp: 'v=0 answer' } }))
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 192.168.1.5 54321 typ host', sdpMid: '0', sdpMLineIndex: 0 }
    ok(await emitAck(b1, 'call:signal', { callId, from: bobPeer, to: alicePeer, candidate }))
    const [answer, cand] = await atAlice
    expect(answer).toEqual({ callId, from: bobPeer, fromUserId: bob.user.id, to: alicePeer, description: { type: 'answer', sdp: 'v=0 answer' } })
    expect(cand).toEqual({ callId, from: bobPeer, fromUserId: bob.user.id, to: alicePeer, candidate })
    // Refused: bob's other device speaking as his peer, alice speaking as bob, to a peer not in the call, an outsider.
    expect(code(await emitAck(b2, 'call:signal', { callId, from: bobPeer, to: alicePeer, candidate: null }))).toBe('forbidden')
    expect(code(await emitAck(a, 'call:signal', { callId, from: bobPeer, to: alicePeer, candidate: null }))).toBe('forbidden')
    expect(code(await emitAck(a, 'call:signal', { callId, from: alicePeer, to: randomUUID(), candidate: null }))).toBe('not_found')
    expect(code(await emitAck(out, 'call:signal', { callId, from: alicePeer, to: bobPeer, candidate: null }))).toBe('forbidden')
    await Promise.all([b1, b2, out].map(roundTrip))
    expect(onB1).toEqual([{ callId, from: alicePeer, fromUserId: alice.user.id, to: bobPeer, description: offer }])
    expect(onB2).toEqual([])
    expect(onOut).toEqual([])

    // Media state reaches the other side.
    const muted = updated(a, callId, (c) => c.participants.some((p) => p.peerId === bobPeer && p.muted))
    ok(await emitAck(b1, 'call:media', { callId, peerId: bobPeer, muted: true, camera: false, screen: true }))
    expect((await muted).participants.find((p) => p.peerId === bobPeer)).toMatchObject({ muted: true, camera: false, screen: true })
    expect(code(await emitAck(a, 'call:media', { callId, peerId: bobPeer, muted: false, camera: false, screen: false }))).toBe('forbidden')

    // Bob hangs up: one side left, the call is over for everyone in the conversation.
    const ends = [a, b2].map((s) => ended(s, callId))
    const message = systemMessage(a, callId)
    ok(await leave(b1, callId, bobPeer))
    for (const end of await Promise.all(ends)) expect(end).toEqual({ callId, conversationId, reason: 'completed', durationMs: expect.any(Number) })
    const m = await message
    expect(m.senderId).toBe(alice.user.id)
    expect(m.system).toEqual({
      type: 'call_ended',
      callId,
      media: 'video',
      reason: 'completed',
      durationMs: expect.any(Number),
      participantIds: [alice.user.id, bob.user.id]
    })
    // Kept in the history, and the call is gone.
    const page = ok(await emitAck<{ messages: Message[] }>(b1, 'message:list', { conversationId }))
    expect(page.messages.map((x) => x.id)).toContain(m.id)
    expect(ok(await emitAck<{ calls: Call[] }>(a, 'call:list', {})).calls).toEqual([])
    expect(code(await join(b1, callId))).toBe('not_found')
  })

  it('relays a burst of candidates sent without waiting for answers in the order they were sent', async () => {
    const { a, b, alicePeer, bobPeer, callId } = await answered()
    const n = 60
    const arrived = collectWhere(b, 'call:signal', n, (s) => s.from === alicePeer)
    // Every emit at once: each relay awaits a look-up of the call, and none may overtake another.
    const acks = Array.from({ length: n }, (_, i) => candidate(a, callId, alicePeer, bobPeer, i))
    for (const ack of await Promise.all(acks)) ok(ack)
    expect((await arrived).map((s) => s.candidate?.candidate.split(' ')[0])).toEqual(Array.from({ length: n }, (_, i) => `candidate:${i}`))
  })

  it(`refuses a window's call:signal past ${CALL_SIGNALS_PER_WINDOW} in ${CALL_SIGNAL_WINDOW_MS / 1000} s with rate_limited, relaying none of the extra`, async () => {
    const { a, b, alicePeer, bobPeer, callId } = await answered()
    const heard = record(b, 'call:signal')
    const answers = await Promise.all(Array.from({ length: CALL_SIGNALS_PER_WINDOW + 1 }, (_, i) => candidate(a, callId, alicePeer, bobPeer, i)))
    expect(answers.slice(0, -1).every((r) => r.ok)).toBe(true)
    const refused = answers.at(-1)!
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
    await roundTrip(b)
    expect(heard).toHaveLength(CALL_SIGNALS_PER_WINDOW)
    // Bob's window has its own budget.
    ok(await emitAck(b, 'call:signal', { callId, from: bobPeer, to: alicePeer, candidate: null }))
  })

  it('ends declined when the callee declines on any device', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    const conversationId = await conversation(alice, [bob])
    const [a, b1, b2] = await Promise.all([online(alice), online(bob), online(bob)])
    const callId = ok(await start(a, conversationId)).call.id
    const ends = [a, b1].map((s) => ended(s, callId))
    const message = systemMessage(a, callId)
    ok(await emitAck(b2, 'call:decline', { callId }))
    for (const end of await Promise.all(ends)) expect(end).toMatchObject({ reason: 'declined', durationMs: null })
    expect((await message).system).toMatchObject({ reason: 'declined', durationMs: null, participantIds: [alice.user.id] })
  })

  it('ends cancelled when the caller hangs up before an answer', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    const conversationId = await conversation(alice, [bob])
    const [a, b] = await Promise.all([online(alice), online(bob)])
    const peerId = randomUUID()
    const callId = ok(await start(a, conversationId, peerId)).call.id
    const end = ended(b, callId)
    const message = systemMessage(b, callId)
    ok(await leave(a, callId, peerId))
    expect(await end).toMatchObject({ reason: 'cancelled', durationMs: null })
    expect((await message).system).toMatchObject({ reason: 'cancelled' })
  })

  it('ends busy at once when the callee is in another call, ringing nothing', async () => {
    const [alice, bob, carol] = (await people(3)) as [TestUser, TestUser, TestUser]
    const [bobCarol, aliceBob] = [await conversation(carol, [bob]), await conversation(alice, [bob])]
    const [a, b, c] = await Promise.all([online(alice), online(bob), online(carol)])
    const first = ok(await start(c, bobCarol)).call.id
    ok(await join(b, first))
    const rings = record(b, 'call:ring')
    const end = collectWhere(a, 'call:ended', 1, (e) => e.conversationId === aliceBob)
    const message = collectWhere(a, 'message:new', 1, (m) => m.message.conversationId === aliceBob)
    const busy = ok(await start(a, aliceBob))
    expect(busy.call.ringing).toEqual([])
    expect((await end)[0]).toEqual({ callId: busy.call.id, conversationId: aliceBob, reason: 'busy', durationMs: null })
    expect((await message)[0]!.message.system).toMatchObject({ type: 'call_ended', reason: 'busy', participantIds: [alice.user.id] })
    await roundTrip(b)
    expect(rings).toEqual([])
    // Bob's own call runs on.
    expect(ok(await emitAck<{ calls: Call[] }>(b, 'call:list', {})).calls.map((x) => x.id)).toEqual([first])
  })

  it('ends missed when nobody answers within the ring time', async () => {
    const [alice, bob] = (await people(2, short)) as [TestUser, TestUser]
    const conversationId = await conversation(alice, [bob], short)
    const [a, b] = await Promise.all([online(alice, short), online(bob, short)])
    const callId = ok(await start(a, conversationId)).call.id
    const message = systemMessage(b, callId)
    expect(await ended(b, callId)).toMatchObject({ reason: 'missed', durationMs: null })
    expect((await message).system).toMatchObject({ reason: 'missed' })
  })

  it('takes out a window that vanished and did not rejoin within the grace', async () => {
    const [alice, bob] = (await people(2, short)) as [TestUser, TestUser]
    const conversationId = await conversation(alice, [bob], short)
    const [a, b] = await Promise.all([online(alice, short), online(bob, short)])
    const callId = ok(await start(a, conversationId)).call.id
    ok(await join(b, callId))
    const end = ended(a, callId)
    b.close()
    expect(await end).toMatchObject({ reason: 'completed', durationMs: expect.any(Number) })
  })

  it(`refuses a caller's call:start past ${CALL_STARTS_PER_WINDOW} a minute, ringing nobody`, async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    const conversationId = await conversation(alice, [bob])
    const [a, b] = await Promise.all([online(alice), online(bob)])
    // Each call's ring is announced before its end: once Bob heard every end, he heard every ring.
    const allEnded = collectWhere(b, 'call:ended', CALL_STARTS_PER_WINDOW, (e) => e.conversationId === conversationId)
    for (let i = 0; i < CALL_STARTS_PER_WINDOW; i++) {
      const peerId = randomUUID()
      ok(await leave(a, ok(await start(a, conversationId, peerId)).call.id, peerId))
    }
    await allEnded
    const rings = record(b, 'call:ring')
    const refused = await start(a, conversationId)
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } })
    await roundTrip(b)
    expect(rings).toEqual([])
  })

  it('moves to the device that answers last: a user is in a call with one window', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    const conversationId = await conversation(alice, [bob])
    const [a, b1, b2] = await Promise.all([online(alice), online(bob), online(bob)])
    const callId = ok(await start(a, conversationId)).call.id
    ok(await join(b1, callId))
    const phone = randomUUID()
    const call = ok(await join(b2, callId, phone)).call
    expect(call.participants.filter((p) => p.userId === bob.user.id).map((p) => p.peerId)).toEqual([phone])
  })
})

describe('a group call', () => {
  it('lets people join, leave and rejoin with the same peerId, keeps running while anyone is in it, and lists for a reconnect', async () => {
    const [alice, bob, carol, dave] = (await people(4)) as [TestUser, TestUser, TestUser, TestUser]
    const conversationId = await conversation(alice, [bob, carol, dave])
    const [a, b, c, d] = await Promise.all([online(alice), online(bob), online(carol), online(dave)])
    const alicePeer = randomUUID()
    const started = ok(await start(a, conversationId, alicePeer))
    expect([...started.call.ringing].sort()).toEqual([bob.user.id, carol.user.id, dave.user.id].sort())
    const callId = started.call.id
    const bobPeer = randomUUID()
    ok(await join(b, callId, bobPeer))
    // Starting in a conversation whose call runs joins it.
    const carolPeer = randomUUID()
    const three = ok(await start(c, conversationId, carolPeer)).call
    expect(three.id).toBe(callId)
    expect(three.participants.map((p) => p.peerId)).toEqual([alicePeer, bobPeer, carolPeer])
    // Someone else's peerId is not Dave's to take.
    expect(code(await join(d, callId, carolPeer))).toBe('forbidden')
    ok(await emitAck(d, 'call:decline', { callId }))

    // Carol's connection drops; her new socket lists the call and rejoins as the same peer.
    c.close()
    const c2 = await online(carol)
    expect(ok(await emitAck<{ calls: Call[] }>(c2, 'call:list', {})).calls.map((x) => x.id)).toEqual([callId])
    const rejoined = ok(await join(c2, callId, carolPeer)).call
    expect(rejoined.participants.map((p) => p.peerId)).toEqual([alicePeer, bobPeer, carolPeer])
    const toCarol = collectWhere(c2, 'call:signal', 1, (s) => s.from === bobPeer)
    ok(await emitAck(b, 'call:signal', { callId, from: bobPeer, to: carolPeer, candidate: null }))
    expect((await toCarol)[0]).toMatchObject({ from: bobPeer, to: carolPeer, candidate: null })

    // Leaving and coming back; the call runs while one person is left.
    ok(await leave(c2, callId, carolPeer))
    ok(await join(c2, callId, carolPeer))
    ok(await leave(a, callId, alicePeer))
    ok(await leave(b, callId, bobPeer))
    const alone = ok(await emitAck<{ calls: Call[] }>(c2, 'call:list', {})).calls
    expect(alone.map((x) => x.participants.map((p) => p.peerId))).toEqual([[carolPeer]])
    const end = ended(d, callId)
    const message = systemMessage(d, callId)
    ok(await leave(c2, callId, carolPeer))
    expect(await end).toMatchObject({ reason: 'completed', durationMs: expect.any(Number) })
    expect((await message).system).toMatchObject({ participantIds: [alice.user.id, bob.user.id, carol.user.id] })
  })

  it('takes out someone removed from the group, and ends when the group is deleted', async () => {
    const [alice, bob, carol] = (await people(3)) as [TestUser, TestUser, TestUser]
    const conversationId = await conversation(alice, [bob, carol])
    const [a, b, c] = await Promise.all([online(alice), online(bob), online(carol)])
    const callId = ok(await start(a, conversationId)).call.id
    ok(await join(b, callId))
    const carolPeer = randomUUID()
    ok(await join(c, callId, carolPeer))
    const without = updated(b, callId, (call) => call.participants.every((p) => p.userId !== carol.user.id))
    expect((await api(srv.url, 'DELETE', `/conversations/${conversationId}/members/${carol.user.id}`, { token: alice.accessToken })).status).toBe(204)
    expect(ok(await emitAck<{ calls: Call[] }>(b, 'call:list', {})).calls[0]!.participants.map((p) => p.userId)).toEqual([alice.user.id, bob.user.id])
    expect((await without).participants.map((p) => p.userId)).toEqual([alice.user.id, bob.user.id])
    expect(code(await emitAck(c, 'call:signal', { callId, from: carolPeer, to: randomUUID(), candidate: null }))).toBe('forbidden')

    // Its members hear conversation:removed; the call is gone by the time the deletion is answered.
    expect((await api(srv.url, 'DELETE', `/conversations/${conversationId}`, { token: alice.accessToken })).status).toBe(204)
    expect(ok(await emitAck<{ calls: Call[] }>(a, 'call:list', {})).calls).toEqual([])
    expect(code(await join(b, callId))).toBe('not_found')
  })

  it(`holds ${CALL_PARTICIPANTS_MAX} people and refuses the next with call_full`, async () => {
    const users = await people(CALL_PARTICIPANTS_MAX + 1)
    const conversationId = await conversation(users[0]!, users.slice(1))
    const sockets = await Promise.all(users.map((u) => online(u)))
    const callId = ok(await start(sockets[0]!, conversationId)).call.id
    for (const s of sockets.slice(1, CALL_PARTICIPANTS_MAX)) ok(await join(s, callId))
    expect(code(await join(sockets[CALL_PARTICIPANTS_MAX]!, callId))).toBe('call_full')
    expect(code(await start(sockets[CALL_PARTICIPANTS_MAX]!, conversationId))).toBe('call_full')
  })
})

describe("a public room's call", () => {
  it('rings nobody, runs while anyone is in it, and ends completed when the last one leaves', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    const room = (await api(srv.url, 'POST', '/rooms', { token: alice.accessToken, body: { name: `calls${randomUUID().slice(0, 8)}` } })).body.conversation.id as string
    expect((await api(srv.url, 'POST', `/rooms/${room}/join`, { token: bob.accessToken })).status).toBeLessThan(300)
    const [a, b] = await Promise.all([online(alice), online(bob)])
    const rings = record(b, 'call:ring')
    const alicePeer = randomUUID()
    const started = ok(await start(a, room, alicePeer)).call
    expect(started.ringing).toEqual([])
    const callId = started.id
    // Alone and unanswered, it waits for people to come.
    expect(ok(await emitAck<{ calls: Call[] }>(b, 'call:list', {})).calls.map((c) => c.id)).toEqual([callId])
    const bobPeer = randomUUID()
    expect(ok(await join(b, callId, bobPeer)).call.answeredAt).not.toBeNull()
    ok(await leave(a, callId, alicePeer))
    expect(ok(await emitAck<{ calls: Call[] }>(b, 'call:list', {})).calls.map((c) => c.id)).toEqual([callId])
    const end = ended(b, callId)
    ok(await leave(b, callId, bobPeer))
    expect(await end).toMatchObject({ reason: 'completed' })
    expect(rings).toEqual([])
  })
})

describe('ICE servers', () => {
  it('a server given an invalid list does not start, naming the problem', async () => {
    await expect(startServer({ iceServers: [{ urls: 'turn:turn.lan:3478' }] })).rejects.toThrow(/ICE servers are not valid: .*a TURN server needs a username and a credential/)
  })
})

describe('a server that stops', () => {
  it('ends its running calls failed, with their message', async () => {
    const own = await startServer()
    try {
      const [alice, bob] = (await people(2, own)) as [TestUser, TestUser]
      const conversationId = await conversation(alice, [bob], own)
      const [a, b] = await Promise.all([online(alice, own), online(bob, own)])
      const callId = ok(await start(a, conversationId)).call.id
      ok(await join(b, callId))
      const end = ended(a, callId)
      await own.stop()
      expect(await end).toMatchObject({ reason: 'failed', durationMs: expect.any(Number) })
      const again = await startServer({}, own.dataDir)
      try {
        const page = await api(again.url, 'GET', `/conversations/${conversationId}/messages`, { token: alice.accessToken })
        const last = (page.body.messages as Message[]).at(-1)
        expect(last?.system).toMatchObject({ type: 'call_ended', callId, reason: 'failed' })
      } finally {
        await again.destroy()
      }
    } finally {
      await own.destroy()
    }
  })
})
