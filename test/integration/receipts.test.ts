import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import type { ReceiptUpdate } from '../../src/shared/schemas/receipts'
import { api, register, type TestUser } from '../helpers/http'
import { collect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let now = Date.parse('2026-11-22T09:00:00.000Z')
let alice: TestUser
let bob: TestUser
let carol: TestUser
const pool = new SocketPool()

function online(user: TestUser): Promise<ClientSocket> {
  return pool.connect(srv.url, user.accessToken)
}

async function sendAll(from: TestUser, conversationId: string, texts: string[]): Promise<Message[]> {
  const out: Message[] = []
  for (const text of texts) {
    const res = await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: from.accessToken, body: { clientId: randomUUID(), text } })
    out.push(res.body.message as Message)
  }
  return out
}

beforeAll(async () => {
  srv = await startServer({ clock: () => now })
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
})
afterEach(() => {
  pool.closeAll()
})
afterAll(() => srv.destroy())

describe('read and delivery receipts', () => {
  it('delivered, then read: the sender sees both with times, the reader’s devices agree on unread', async () => {
    const id = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })).body
      .conversation.id as string
    const aliceSocket = await online(alice)
    const bobLaptop = await online(bob)
    const bobPhone = await online(bob)
    await sendAll(alice, id, ['one', 'two', 'three'])

    const laptopHears = collect(bobLaptop, 'receipt:update', 2)
    const aliceSeesDelivery = collect(aliceSocket, 'receipt:update', 1)
    const delivered = await emitAck<{ readSeq: number; deliveredSeq: number }>(bobPhone, 'receipt:delivered', { conversationId: id, seq: 3 })
    expect(delivered).toEqual({ ok: true, data: { readSeq: 0, deliveredSeq: 3 } })
    expect((await aliceSeesDelivery)[0]).toEqual({ conversationId: id, userId: bob.user.id, readSeq: 0, deliveredSeq: 3, at: '2026-11-22T09:00:00.000Z' })

    now += 60_000
    const aliceSeesRead = collect(aliceSocket, 'receipt:update', 1)
    const read = await emitAck(bobPhone, 'receipt:read', { conversationId: id, seq: 2 })
    expect(read).toEqual({ ok: true, data: { readSeq: 2, deliveredSeq: 3 } })
    const update = (await aliceSeesRead)[0] as ReceiptUpdate
    expect(update).toMatchObject({ userId: bob.user.id, readSeq: 2, at: '2026-11-22T09:01:00.000Z' })
    expect((await laptopHears)[1]).toEqual(update)

    const receipts = (seq: number) => api(srv.url, 'GET', `/conversations/${id}/messages/${seq}/receipts`, { token: alice.accessToken })
    expect((await receipts(1)).body).toEqual({
      readBy: { [bob.user.id]: '2026-11-22T09:01:00.000Z' },
      deliveredTo: { [bob.user.id]: '2026-11-22T09:00:00.000Z' }
    })
    expect((await receipts(3)).body).toEqual({ readBy: {}, deliveredTo: { [bob.user.id]: '2026-11-22T09:00:00.000Z' } })

    // Unread is the same on every device, because it derives from the cursor.
    const list = await emitAck<{ conversations: { id: string; unreadCount: number }[] }>(bobLaptop, 'conversation:list', {})
    expect(list.ok && list.data.conversations.find((c) => c.id === id)?.unreadCount).toBe(1)
    const members = (await api(srv.url, 'GET', `/conversations/${id}`, { token: alice.accessToken })).body.conversation.members
    expect(members.find((m: { user: { id: string } }) => m.user.id === bob.user.id)).toMatchObject({ readSeq: 2, deliveredSeq: 3 })
  })

  it('cursors never move back or past the last message, and an unmoved cursor tells nobody', async () => {
    const id = (await api(srv.url, 'POST', '/conversations', { token: carol.accessToken, body: { kind: 'direct', userId: bob.user.id } })).body
      .conversation.id as string
    await sendAll(carol, id, ['a', 'b'])
    const carolSocket = await online(carol)
    let told = 0
    carolSocket.on('receipt:update', () => told++)
    const high = await api(srv.url, 'POST', `/conversations/${id}/read`, { token: bob.accessToken, body: { seq: 99 } })
    expect(high.body).toEqual({ readSeq: 2, deliveredSeq: 2 })
    const back = await api(srv.url, 'POST', `/conversations/${id}/read`, { token: bob.accessToken, body: { seq: 1 } })
    expect(back.body).toEqual({ readSeq: 2, deliveredSeq: 2 })
    await emitAck(carolSocket, 'conversation:list', {})
    expect(told).toBe(1)
  })

  it('in a group, read_by lists each reader with their own time and leaves the sender out', async () => {
    const id = (await api(srv.url, 'POST', '/conversations', {
      token: alice.accessToken,
      body: { kind: 'group', title: 'receipts', memberIds: [bob.user.id, carol.user.id] }
    })).body.conversation.id as string
    const [message] = await sendAll(alice, id, ['read me'])
    now += 1000
    await api(srv.url, 'POST', `/conversations/${id}/read`, { token: bob.accessToken, body: { seq: message!.seq } })
    now += 1000
    await api(srv.url, 'POST', `/conversations/${id}/read`, { token: carol.accessToken, body: { seq: message!.seq } })
    const res = await api(srv.url, 'GET', `/conversations/${id}/messages/${message!.seq}/receipts`, { token: bob.accessToken })
    expect(Object.keys(res.body.readBy).sort()).toEqual([bob.user.id, carol.user.id].sort())
    expect(Date.parse(res.body.readBy[carol.user.id]) - Date.parse(res.body.readBy[bob.user.id])).toBe(1000)
    expect(res.body.readBy).not.toHaveProperty(alice.user.id)
  })

  it('refuses non-members and unknown messages', async () => {
    const id = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })).body
      .conversation.id as string
    expect((await api(srv.url, 'GET', `/conversations/${id}/messages/1/receipts`, { token: carol.accessToken })).status).toBe(403)
    expect((await api(srv.url, 'GET', `/conversations/${id}/messages/9999/receipts`, { token: alice.accessToken })).status).toBe(404)
    const carolSocket = await online(carol)
    expect(await emitAck(carolSocket, 'receipt:read', { conversationId: id, seq: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await emitAck(carolSocket, 'receipt:delivered', { conversationId: id, seq: -1 })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', message: expect.stringContaining('payload.seq') }
    })
  })

  it('in a public room, only the reader’s own devices hear their receipts', async () => {
    const room = (await api(srv.url, 'POST', '/rooms', { token: alice.accessToken, body: { name: `receipts ${randomUUID()}` } })).body.conversation
    await api(srv.url, 'POST', `/rooms/${room.id}/join`, { token: bob.accessToken })
    await sendAll(alice, room.id, ['hello room'])
    const aliceSocket = await online(alice)
    const bobOther = await online(bob)
    let aliceHeard = 0
    aliceSocket.on('receipt:update', () => aliceHeard++)
    const bobHears = collect(bobOther, 'receipt:update', 1)
    await api(srv.url, 'POST', `/conversations/${room.id}/read`, { token: bob.accessToken, body: { seq: 3 } })
    expect((await bobHears)[0]!.readSeq).toBe(3)
    await emitAck(aliceSocket, 'conversation:list', {})
    expect(aliceHeard).toBe(0)
  })
})
