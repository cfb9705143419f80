// Issue 20, "mark unread from here": the caller's read position goes back to
// just before a message (REST and socket); the badge counts from there, the
// caller's other devices get their new view, and nobody else is told. Both engines.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Conversation } from '../../src/shared/schemas/conversations'
import { api, register, type TestUser } from '../helpers/http'
import { collect, emitAck, SocketPool } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
const pool = new SocketPool()

async function chatWithFive(): Promise<string> {
  const id = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })).body.conversation
    .id as string
  for (const text of ['one', 'two', 'three', 'four', 'five']) {
    await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text } })
  }
  return id
}

async function bobsView(id: string): Promise<Conversation> {
  return (await api(srv.url, 'GET', `/conversations/${id}`, { token: bob.accessToken })).body.conversation as Conversation
}

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob, carol] = [await register(srv.url), await register(srv.url), await register(srv.url)]
})
afterEach(() => pool.closeAll())
afterAll(() => srv.destroy())

describe('mark unread from here', () => {
  it('moves the read position back over REST; the badge counts from that message and the other devices follow', async () => {
    // The first conversation of a pair may carry system messages: find what the five start at.
    const id = await chatWithFive()
    const last = (await bobsView(id)).lastSeq
    await api(srv.url, 'POST', `/conversations/${id}/read`, { token: bob.accessToken, body: { seq: last } })
    expect(await bobsView(id)).toMatchObject({ readSeq: last, unreadCount: 0 })

    const phone = await pool.connect(srv.url, bob.accessToken)
    const aliceSocket = await pool.connect(srv.url, alice.accessToken)
    const phoneHears = collect(phone, 'conversation:updated', 1)
    const aliceHeard: unknown[] = []
    aliceSocket.on('receipt:update', (u) => aliceHeard.push(u))
    aliceSocket.on('conversation:updated', (u) => aliceHeard.push(u))

    const res = await api(srv.url, 'POST', `/conversations/${id}/unread`, { token: bob.accessToken, body: { seq: last - 1 } })
    expect(res.status).toBe(200)
    expect(res.body.conversation).toMatchObject({ id, readSeq: last - 2, unreadCount: 2 })
    const [update] = (await phoneHears) as [{ conversation: Conversation }]
    expect(update.conversation).toMatchObject({ id, readSeq: last - 2, unreadCount: 2 })
    expect(await bobsView(id)).toMatchObject({ readSeq: last - 2, unreadCount: 2 })
    // The delivered cursor stays: the messages did arrive.
    const receipts = (await api(srv.url, 'GET', `/conversations/${id}/messages/${last}/receipts`, { token: alice.accessToken })).body
    expect(Object.keys(receipts.deliveredTo)).toEqual([bob.user.id])
    expect(receipts.readBy).toEqual({})

    // Reading again moves it forward as before.
    await api(srv.url, 'POST', `/conversations/${id}/read`, { token: bob.accessToken, body: { seq: last } })
    expect(await bobsView(id)).toMatchObject({ readSeq: last, unreadCount: 0 })
    expect(aliceHeard.filter((e) => (e as { conversation?: unknown }).conversation !== undefined)).toEqual([])
  })

  it('over the socket, and a mark at or after the read position changes nothing', async () => {
    const id = await chatWithFive()
    const last = (await bobsView(id)).lastSeq
    const laptop = await pool.connect(srv.url, bob.accessToken)
    await emitAck(laptop, 'receipt:read', { conversationId: id, seq: last - 2 })
    const ack = await emitAck<{ conversation: Conversation }>(laptop, 'receipt:unread', { conversationId: id, seq: last })
    // Already unread from there: the read position stays where it was.
    expect(ack.ok && ack.data.conversation).toMatchObject({ readSeq: last - 2, unreadCount: 2 })
    const back = await emitAck<{ conversation: Conversation }>(laptop, 'receipt:unread', { conversationId: id, seq: last - 4 })
    expect(back.ok && back.data.conversation).toMatchObject({ readSeq: last - 5, unreadCount: 5 })
  })

  it('refuses non-members, unknown messages and bad seqs', async () => {
    const id = await chatWithFive()
    const carolTries = await api(srv.url, 'POST', `/conversations/${id}/unread`, { token: carol.accessToken, body: { seq: 1 } })
    expect(carolTries.status).toBe(403)
    const missing = await api(srv.url, 'POST', `/conversations/${id}/unread`, { token: bob.accessToken, body: { seq: 999 } })
    expect(missing.status).toBe(404)
    const zero = await api(srv.url, 'POST', `/conversations/${id}/unread`, { token: bob.accessToken, body: { seq: 0 } })
    expect(zero.status).toBe(400)
    expect(zero.body.error.message).toMatch(/seq/)
    const socket = await pool.connect(srv.url, carol.accessToken)
    expect(await emitAck(socket, 'receipt:unread', { conversationId: id, seq: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})
