// Issue 20, the message menu through the client core: forwarding goes through
// the outbox to each chosen conversation; "mark unread from here" moves the
// badge back on this device and on the user's other devices.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type TestServer } from '../helpers/server'
import { directChat, PASSWORD, startClient, waitSynced, type TestClient } from '../helpers/client'

let srv: TestServer
const clients: TestClient[] = []

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

describe('the message menu in the client core', () => {
  it('forwards a message to two conversations; each shows it as forwarded', async () => {
    const chat = await directChat(srv.url)
    clients.push(chat.a, chat.b)
    const group = await chat.a.call('conversations.createGroup', { title: 'Elsewhere', memberIds: [chat.bMe.id] })
    await chat.b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === group.id))
    const sent = chat.b.mark()
    await chat.a.call('messages.send', { conversationId: chat.conversationId, text: 'pass this on' })
    const original = await chat.b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'pass this on'), 10_000, sent)
    const seq = original.upserted.find((x) => x.text === 'pass this on')!.seq

    const since = chat.a.mark()
    const pending = await chat.b.call('messageMenu.forward', { from: { conversationId: chat.conversationId, seq }, to: [group.id, chat.conversationId] })
    expect(pending.map((p) => [p.conversationId, p.text, p.forward])).toEqual([
      [group.id, 'pass this on', { conversationId: chat.conversationId, seq }],
      [chat.conversationId, 'pass this on', { conversationId: chat.conversationId, seq }]
    ])
    for (const target of [group.id, chat.conversationId]) {
      const got = await chat.a.waitFor('messages', (m) => m.upserted.some((x) => x.conversationId === target && x.forwarded !== undefined), 10_000, since)
      expect(got.upserted.find((x) => x.forwarded)).toMatchObject({
        senderId: chat.bMe.id,
        text: 'pass this on',
        forwarded: { conversationId: chat.conversationId, seq, senderId: chat.aMe.id }
      })
    }
    expect(await chat.b.callError('messageMenu.forward', { from: { conversationId: chat.conversationId, seq }, to: [randomUUID()] })).toMatchObject({
      code: 'not_found'
    })
  })

  it('mark unread from here: the badge comes back here and on the other device', async () => {
    const chat = await directChat(srv.url)
    clients.push(chat.a, chat.b)
    const laptop = await startClient()
    clients.push(laptop)
    // A second device of b's account.
    const synced = laptop.mark()
    expect((await laptop.call('session.login', { serverUrl: srv.url, username: chat.bMe.username, password: PASSWORD })).status).toBe('signed_in')
    await waitSynced(laptop, synced)

    for (const text of ['one', 'two', 'three']) await chat.a.call('messages.send', { conversationId: chat.conversationId, text })
    await chat.b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === chat.conversationId && x.unreadCount === 3))
    const { lastSeq } = await chat.b.call('conversations.get', { conversationId: chat.conversationId })
    await chat.b.call('conversations.markRead', { conversationId: chat.conversationId, seq: lastSeq })
    await laptop.waitFor('conversations', (c) => c.upserted.some((x) => x.id === chat.conversationId && x.unreadCount === 0))

    const since = laptop.mark()
    const after = await chat.b.call('messageMenu.markUnread', { conversationId: chat.conversationId, seq: lastSeq - 1 })
    expect(after).toMatchObject({ readSeq: lastSeq - 2, unreadCount: 2 })
    expect(await chat.b.call('conversations.get', { conversationId: chat.conversationId })).toMatchObject({ unreadCount: 2 })
    await laptop.waitFor('conversations', (c) => c.upserted.some((x) => x.id === chat.conversationId && x.unreadCount === 2), 10_000, since)
  })
})
