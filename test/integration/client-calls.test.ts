// Calls through two real client cores and a real server: the callee's core
// hears the ring, joins, the peers' offers, answers and candidates arrive in
// the order they were sent, and both cores hear the end. After a reconnect
// the core lists the calls again, and one that ended meanwhile ends in the window too.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { MessengerEvents } from '../../src/shared/ipc'
import type { CallSignal } from '../../src/shared/schemas/calls'
import type { CallRing } from '../../src/main/core/calls'
import { directChat, signUp, startClient, startProxy, waitSynced, type TestClient, type TcpProxy } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let proxy: TcpProxy
const clients: TestClient[] = []

beforeAll(async () => {
  srv = await startServer()
  proxy = await startProxy(srv.url)
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await proxy.close()
  await srv.destroy()
})

/** Alice (direct to the server) and Bob (through the proxy, so the test can pull his cable), with a direct chat. */
async function pair() {
  const chat = await directChat(srv.url, proxy.url)
  clients.push(chat.a, chat.b)
  return chat
}

type CallsEvent = MessengerEvents['calls']
const upserts = (callId: string, match: (c: CallsEvent['upserted'][number]) => boolean = () => true) => (e: CallsEvent) =>
  e.upserted.some((c) => c.id === callId && match(c))
const ends = (callId: string, reason?: string) => (e: CallsEvent) => e.ended.some((x) => x.callId === callId && (reason === undefined || x.reason === reason))

/** Every signal the client received so far, in order. */
const signalsOf = (client: TestClient): CallSignal[] => client.payloads('callSignals').flat()

async function waitSignals(client: TestClient, count: number): Promise<CallSignal[]> {
  await client.waitFor('callSignals', () => signalsOf(client).length >= count)
  return signalsOf(client)
}

describe('a call between two client cores', () => {
  it('rings on the callee, is joined, relays signals in order both ways, shows media changes, and ends on both when one leaves', async () => {
    const { a, b, aMe, bMe, conversationId } = await pair()
    const [peerA, peerB] = [randomUUID(), randomUUID()]

    const started = await a.call('calls.start', { conversationId, media: 'video', peerId: peerA })
    const callId = started.call.id
    expect(started.call).toMatchObject({ conversationId, startedBy: aMe.id, media: 'video', answeredAt: null, ringing: [bMe.id] })
    expect(started.call.participants.map((p) => p.peerId)).toEqual([peerA])
    expect(Array.isArray(started.iceServers)).toBe(true)

    const rang = await b.waitFor('calls', upserts(callId, (c) => c.ringing.includes(bMe.id)))
    expect(rang.ended).toEqual([])
    expect((await b.call('calls.list')).map((c) => c.id)).toEqual([callId])

    const joined = await b.call('calls.join', { callId, peerId: peerB })
    expect(joined.call.participants.map((p) => p.peerId).sort()).toEqual([peerA, peerB].sort())
    expect(joined.call.answeredAt).not.toBeNull()
    await a.waitFor('calls', upserts(callId, (c) => c.participants.length === 2 && c.ringing.length === 0))

    // An offer and a burst of candidates, sent without waiting for each ack (as a window's ICE gathering does).
    const sent = [
      a.call('calls.signal', { callId, from: peerA, to: peerB, description: { type: 'offer', sdp: 'v=0 offer' } }),
      ...Array.from({ length: 30 }, (_, i) =>
        a.call('calls.signal', { callId, from: peerA, to: peerB, candidate: { candidate: `candidate:${i} 1 udp 2122260223 192.168.1.5 ${50000 + i} typ host`, sdpMid: '0', sdpMLineIndex: 0 } })
      ),
      a.call('calls.signal', { callId, from: peerA, to: peerB, candidate: null })
    ]
    expect(await Promise.all(sent)).toEqual(sent.map(() => null))
    const got = await waitSignals(b, 32)
    expect(got).toHaveLength(32)
    expect(got[0]).toEqual({ callId, from: peerA, fromUserId: aMe.id, to: peerB, description: { type: 'offer', sdp: 'v=0 offer' } })
    expect(got.slice(1, 31).map((s) => s.candidate?.candidate.split(' ')[0])).toEqual(Array.from({ length: 30 }, (_, i) => `candidate:${i}`))
    expect(got[31]).toMatchObject({ from: peerA, fromUserId: aMe.id, candidate: null })

    await b.call('calls.signal', { callId, from: peerB, to: peerA, description: { type: 'answer', sdp: 'v=0 answer' } })
    expect(await waitSignals(a, 1)).toEqual([{ callId, from: peerB, fromUserId: bMe.id, to: peerA, description: { type: 'answer', sdp: 'v=0 answer' } }])

    const changed = await b.call('calls.media', { callId, peerId: peerB, muted: true, camera: false, screen: true })
    expect(changed.participants.find((p) => p.peerId === peerB)).toMatchObject({ userId: bMe.id, muted: true, camera: false, screen: true })
    await a.waitFor('calls', upserts(callId, (c) => c.participants.some((p) => p.peerId === peerB && p.muted && p.screen)))

    await a.call('calls.leave', { callId, peerId: peerA })
    const [endedA, endedB] = await Promise.all([a.waitFor('calls', ends(callId)), b.waitFor('calls', ends(callId))])
    for (const e of [endedA, endedB]) expect(e.ended.find((x) => x.callId === callId)).toMatchObject({ conversationId, reason: 'completed' })
    expect(await a.call('calls.list')).toEqual([])
    // Its system message, stored by the server, comes to both as a message.
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.system?.type === 'call_ended' && x.senderId === aMe.id))
  })

  it('a declined call ends as declined on both; a signal to a call one is not in is refused', async () => {
    const { a, b, bMe, conversationId } = await pair()
    const peerA = randomUUID()
    const { call } = await a.call('calls.start', { conversationId, media: 'audio', peerId: peerA })
    await b.waitFor('calls', upserts(call.id, (c) => c.ringing.includes(bMe.id)))
    const refused = await b.callError('calls.signal', { callId: call.id, from: randomUUID(), to: peerA, candidate: null })
    expect(refused.code).not.toBe('internal')
    await b.call('calls.decline', { callId: call.id })
    await Promise.all([a.waitFor('calls', ends(call.id, 'declined')), b.waitFor('calls', ends(call.id, 'declined'))])
  })
})

describe('reconnecting', () => {
  it('a reconnect lists the running calls again; a call that ended while away ends in the window too (failed)', async () => {
    const { a, b, bMe, conversationId } = await pair()
    const [peerA, peerB] = [randomUUID(), randomUUID()]
    const { call } = await a.call('calls.start', { conversationId, media: 'audio', peerId: peerA })
    await b.waitFor('calls', upserts(call.id, (c) => c.ringing.includes(bMe.id)))
    await b.call('calls.join', { callId: call.id, peerId: peerB })

    // A short network change: the call still runs, and the core says so again once back.
    let since = b.mark()
    proxy.cut()
    await waitSynced(b, since)
    await b.waitFor('calls', upserts(call.id), 10_000, since)
    // The window rejoins with the same peerId (its peer connections survive).
    const rejoined = await b.call('calls.join', { callId: call.id, peerId: peerB })
    expect(rejoined.call.participants.map((p) => p.peerId).sort()).toEqual([peerA, peerB].sort())

    // Away while the call ends: nothing heard then, so the reconnect's list ends it.
    proxy.block()
    await b.waitFor('connection', (c) => c.status !== 'online', 10_000, b.mark())
    await a.call('calls.leave', { callId: call.id, peerId: peerA })
    await a.waitFor('calls', ends(call.id))
    since = b.mark()
    proxy.restore()
    await b.call('connection.retry')
    await waitSynced(b, since)
    const ended = await b.waitFor('calls', ends(call.id), 10_000, since)
    expect(ended.ended.find((x) => x.callId === call.id)).toEqual({ callId: call.id, conversationId, reason: 'failed', durationMs: null })
    expect(await b.call('calls.list')).toEqual([])
  })
})

describe('several accounts', () => {
  it('a call to an account in the background stays out of the window but rings for the host; Decline declines it; a switch shows a ringing call', async () => {
    const { a, b, bMe, conversationId } = await pair()
    const bobAccount = (await b.call('session.get')).accounts[0]!
    const rings: CallRing[] = []
    b.core.onCallRing((ring) => rings.push(ring))
    // Bob signs in to a second account on the same app: it is shown, his first stays signed in behind it.
    await signUp(b, srv.url)

    const since = b.mark()
    const first = await a.call('calls.start', { conversationId, media: 'audio', peerId: randomUUID() })
    await vi.waitFor(() => expect(rings.map((r) => [r.accountId, r.call.id, r.ringing])).toEqual([[bobAccount.id, first.call.id, true]]))
    expect(rings[0]!.conversation?.members.map((m) => m.user.id)).toContain(bMe.id)
    await b.core.declineCall(bobAccount.id, first.call.id)
    await a.waitFor('calls', ends(first.call.id, 'declined'))
    await vi.waitFor(() => expect(rings.at(-1)).toMatchObject({ call: { id: first.call.id }, ringing: false }))
    // Nothing of it reached the window, which shows the other account.
    b.core.events.flush()
    const heard = b.events.slice(since).filter((e) => e.type === 'callSignals' || (e.type === 'calls' && JSON.stringify(e.payload).includes(first.call.id)))
    expect(heard).toEqual([])

    // A second call rings; switching to Bob's first account shows it to the window.
    const second = await a.call('calls.start', { conversationId, media: 'video', peerId: randomUUID() })
    await vi.waitFor(() => expect(rings.at(-1)).toMatchObject({ call: { id: second.call.id }, ringing: true }))
    const switched = b.mark()
    await b.call('session.switchAccount', { accountId: bobAccount.id })
    await b.waitFor('calls', upserts(second.call.id, (c) => c.ringing.includes(bMe.id)), 10_000, switched)
  })
})

describe('the Node host', () => {
  it('has no screen picker of its own: the browser’s getDisplayMedia picks', async () => {
    const client = await startClient()
    clients.push(client)
    expect(await client.call('calls.screenSources')).toBeNull()
    expect(await client.call('calls.chooseScreenSource', { sourceId: null })).toBeNull()
  })
})
