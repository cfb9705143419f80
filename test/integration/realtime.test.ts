import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Message, MessagePage } from '../../src/shared/schemas/messages'
import type { Conversation } from '../../src/shared/schemas/conversations'
import { api, register, type TestUser } from '../helpers/http'
import { collect, connect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
const pool = new SocketPool()

function online(user: TestUser): Promise<ClientSocket> {
  return pool.connect(srv.url, user.accessToken)
}

async function startChat(a: TestUser, b: TestUser): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', { token: a.accessToken, body: { kind: 'direct', userId: b.user.id } })
  return res.body.conversation.id as string
}

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
})
afterEach(() => {
  pool.closeAll()
})
afterAll(() => srv.destroy())

describe('realtime delivery', () => {
  it('two people exchange messages in real time; every device of the recipient gets them', async () => {
    const conversationId = await startChat(alice, bob)
    const aliceSocket = await online(alice)
    const bobLaptop = await online(bob)
    const bobPhone = await online(bob)
    const aliceOtherDevice = await online(alice)

    const onLaptop = collect(bobLaptop, 'message:new', 1)
    const onPhone = collect(bobPhone, 'message:new', 1)
    const onAliceOther = collect(aliceOtherDevice, 'message:new', 1)
    const ack = await emitAck<{ message: Message }>(aliceSocket, 'message:send', { conversationId, clientId: randomUUID(), text: 'hello bob' })
    expect(ack.ok).toBe(true)
    if (!ack.ok) return
    expect(ack.data.message).toMatchObject({ text: 'hello bob', senderId: alice.user.id, conversationId })
    for (const got of [await onLaptop, await onPhone, await onAliceOther]) expect(got[0]!.message).toEqual(ack.data.message)

    const reply = collect(aliceSocket, 'message:new', 1)
    const back = await emitAck<{ message: Message }>(bobPhone, 'message:send', { conversationId, clientId: randomUUID(), text: 'hi alice' })
    expect(back.ok).toBe(true)
    expect((await reply)[0]!.message.text).toBe('hi alice')
  })

  it('the sender socket gets an ack, not an echo; a retry is acked with the original and announced again to the others, never echoed', async () => {
    const conversationId = await startChat(alice, carol)
    const aliceSocket = await online(alice)
    const carolSocket = await online(carol)
    let echoes = 0
    aliceSocket.on('message:new', () => echoes++)
    const received: Message[] = []
    carolSocket.on('message:new', ({ message }) => received.push(message))
    const clientId = randomUUID()
    const first = await emitAck<{ message: Message }>(aliceSocket, 'message:send', { conversationId, clientId, text: 'once' })
    const retry = await emitAck<{ message: Message }>(aliceSocket, 'message:send', { conversationId, clientId, text: 'once' })
    expect(first.ok && retry.ok).toBe(true)
    if (!first.ok || !retry.ok) return
    expect(retry.data.message).toEqual(first.data.message)
    // A round trip on carol's socket orders after any broadcast already sent to her.
    await emitAck(carolSocket, 'conversation:list', {})
    // Again at the retry (whoever stored it may have died before announcing it): one message, heard twice.
    expect(received).toEqual([first.data.message, first.data.message])
    expect(echoes).toBe(0)
  })

  it('a group message reaches every member and nobody else', async () => {
    const outsider = await register(srv.url)
    const group = await api(srv.url, 'POST', '/conversations', {
      token: alice.accessToken,
      body: { kind: 'group', title: 'Realtime team', memberIds: [bob.user.id, carol.user.id] }
    })
    const conversationId = group.body.conversation.id as string
    const [a, b, c, o] = await Promise.all([alice, bob, carol, outsider].map(online))
    let leaked = 0
    o!.on('message:new', () => leaked++)
    const toAlice = collect(a!, 'message:new', 1)
    const toBob = collect(b!, 'message:new', 1)
    const toCarol = collect(c!, 'message:new', 1)
    await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, {
      token: alice.accessToken,
      body: { clientId: randomUUID(), text: 'sent over REST' }
    })
    expect((await toBob)[0]!.message.text).toBe('sent over REST')
    expect((await toCarol)[0]!.message.text).toBe('sent over REST')
    // REST sends reach the sender's sockets too: they have no other way to learn of it.
    expect((await toAlice)[0]!.message.text).toBe('sent over REST')
    await emitAck(o!, 'conversation:list', {})
    expect(leaked).toBe(0)
  })

  it('announces a new conversation to its members already online, who then receive its messages', async () => {
    const dave = await register(srv.url)
    const daveSocket = await online(dave)
    const announced = collect(daveSocket, 'conversation:new', 1)
    const conversationId = await startChat(alice, dave)
    const [{ conversation }] = (await announced) as [{ conversation: Conversation }]
    expect(conversation.id).toBe(conversationId)
    expect(conversation.members.map((m) => m.user.id).sort()).toEqual([alice.user.id, dave.user.id].sort())
    const incoming = collect(daveSocket, 'message:new', 1)
    await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, {
      token: alice.accessToken,
      body: { clientId: randomUUID(), text: 'welcome' }
    })
    expect((await incoming)[0]!.message.text).toBe('welcome')
  })

  it('a client that was offline catches up from its cursor without gaps or repeats', async () => {
    const conversationId = await startChat(bob, carol)
    const carolSocket = await online(carol)
    const first = collect(carolSocket, 'message:new', 1)
    await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: bob.accessToken, body: { clientId: randomUUID(), text: 'm1' } })
    const cursor = (await first)[0]!.message.seq
    carolSocket.close()

    for (let i = 2; i <= 12; i++) {
      await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: bob.accessToken, body: { clientId: randomUUID(), text: `m${i}` } })
    }

    const back = await online(carol)
    const list = await emitAck<{ conversations: Conversation[] }>(back, 'conversation:list', {})
    expect(list.ok).toBe(true)
    if (!list.ok) return
    const summary = list.data.conversations.find((c) => c.id === conversationId)!
    expect(summary.lastSeq).toBe(12)
    const seen: string[] = []
    let after = cursor
    for (;;) {
      const page = await emitAck<MessagePage>(back, 'message:list', { conversationId, after, limit: 5 })
      expect(page.ok).toBe(true)
      if (!page.ok) return
      seen.push(...page.data.messages.map((m) => m.text))
      after = page.data.messages.at(-1)?.seq ?? after
      if (!page.data.hasMore) break
    }
    expect(seen).toEqual(Array.from({ length: 11 }, (_, i) => `m${i + 2}`))
  })

  it('refuses a handshake without a valid token', async () => {
    await expect(connect(srv.url, undefined)).rejects.toMatchObject({ data: { code: 'unauthorized' } })
    await expect(connect(srv.url, 'not-a-jwt')).rejects.toMatchObject({ data: { code: 'invalid_token' } })
  })

  it('a non-member gets forbidden over the socket too', async () => {
    const conversationId = await startChat(alice, bob)
    const carolSocket = await online(carol)
    const send = await emitAck(carolSocket, 'message:send', { conversationId, clientId: randomUUID(), text: 'sneaky' })
    const read = await emitAck(carolSocket, 'message:list', { conversationId })
    expect(send).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(read).toMatchObject({ ok: false, error: { code: 'forbidden' } })
  })
})
