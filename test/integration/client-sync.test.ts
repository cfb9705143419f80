// The client core keeps its cache equal to the server across disconnects
// and restarts: the outbox delivers exactly once (after a restart, after a
// lost ack), a long absence is caught up without gaps or duplicates, and
// edits, deletions and reactions made meanwhile arrive too.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, register } from '../helpers/http'
import { connect, emitAck } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'
import { directChat, pageAll, PASSWORD, signUp, startClient, startProxy, waitSynced, type TestClient } from '../helpers/client'

let srv: TestServer
const clients: TestClient[] = []

function track<T extends TestClient[]>(...list: T): T {
  clients.push(...list)
  return list
}

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

describe('the outbox', () => {
  it('a message written while the server is down survives a restart of the app and is delivered exactly once', async () => {
    const own = await startServer()
    const port = Number(new URL(own.url).port)
    let again: TestServer | null = null
    try {
      const { a, b, conversationId } = await directChat(own.url)
      track(a, b)
      await own.stop()
      await a.waitFor('connection', (c) => c.status !== 'online' && c.status !== 'connecting')

      const pending = await a.call('messages.send', { conversationId, text: 'written offline' })
      expect(pending).toMatchObject({ conversationId, text: 'written offline', state: 'pending', error: null })
      const connection = await a.call('connection.get')
      expect(connection.status).not.toBe('online')
      expect(connection.queued).toBe(1)
      await a.waitFor('outbox', (o) => o.upserted.some((p) => p.clientId === pending.clientId))
      await a.close()

      // The app starts again, still offline: the message waits in the outbox.
      const a2 = await startClient(a.userDataDir)
      track(a2)
      const offlinePage = await a2.call('messages.page', { conversationId })
      expect(offlinePage.messages).toEqual([])
      expect(offlinePage.pending).toEqual([pending])
      expect(await a2.call('connection.get')).toMatchObject({ queued: 1 })

      again = await startServer({ port }, own.dataDir)
      await Promise.all([a2.call('connection.retry'), b.call('connection.retry')])
      await a2.waitFor('outbox', (o) => o.removed.includes(pending.clientId), 20_000)
      await b.waitFor('messages', (m) => m.upserted.some((x) => x.clientId === pending.clientId), 20_000)
      await Promise.all([waitSynced(a2), waitSynced(b)])

      const mine = await a2.call('messages.page', { conversationId })
      expect(mine.pending).toEqual([])
      expect(mine.messages.map((m) => [m.clientId, m.text])).toEqual([[pending.clientId, 'written offline']])
      expect(await a2.call('connection.get')).toMatchObject({ status: 'online', queued: 0 })
      const theirs = await b.call('messages.page', { conversationId })
      expect(theirs.messages.map((m) => [m.clientId, m.text])).toEqual([[pending.clientId, 'written offline']])
      const seqsOnB = new Set(b.payloads('messages').flatMap((m) => m.upserted.filter((x) => x.clientId === pending.clientId).map((x) => x.seq)))
      expect([...seqsOnB]).toEqual([1])
    } finally {
      await again?.destroy()
      await own.destroy()
    }
  })

  it('a send whose ack was lost is sent again with the same clientId and never duplicated', async () => {
    const proxy = await startProxy(srv.url)
    try {
      const { a, b, conversationId } = await directChat(proxy.url, srv.url)
      track(a, b)
      // The server hears the send, but its answer never reaches the sender.
      proxy.dropReplies()
      const sent = await a.call('messages.send', { conversationId, text: 'ack lost' })
      await b.waitFor('messages', (m) => m.upserted.some((x) => x.clientId === sent.clientId))
      expect(await a.call('messages.page', { conversationId })).toMatchObject({ messages: [], pending: [{ clientId: sent.clientId }] })
      const since = a.mark()
      proxy.cut()
      await a.waitFor('outbox', (o) => o.removed.includes(sent.clientId), 15_000, since)
      await waitSynced(a, since)

      const mine = await a.call('messages.page', { conversationId })
      expect(mine.messages.map((m) => [m.seq, m.clientId])).toEqual([[1, sent.clientId]])
      expect(mine.pending).toEqual([])
      // One more message proves the conversation moved on with no duplicate in between.
      await a.call('messages.send', { conversationId, text: 'next' })
      await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'next'))
      const theirs = await b.call('messages.page', { conversationId })
      expect(theirs.messages.map((m) => [m.seq, m.text])).toEqual([
        [1, 'ack lost'],
        [2, 'next']
      ])
    } finally {
      await proxy.close()
    }
  })
})

describe('live messages', () => {
  it('a burst of first messages in a new chat is cached whole: a later edit of the first reaches the renderer, and it shows offline', async () => {
    const proxy = await startProxy(srv.url)
    const sender = await register(srv.url)
    const socket = await connect(srv.url, sender.accessToken)
    try {
      const [b] = track(await startClient())
      const { me: bMe } = await signUp(b, proxy.url)
      const conversationId = (await api(srv.url, 'POST', '/conversations', { token: sender.accessToken, body: { kind: 'direct', userId: bMe.id } }))
        .body.conversation.id as string
      await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId))
      // A burst, as when someone pastes several lines at once.
      const acks = await Promise.all(
        Array.from({ length: 10 }, (_, i) => emitAck(socket, 'message:send', { conversationId, clientId: randomUUID(), text: `line ${i + 1}` }))
      )
      expect(acks.every((r) => r.ok)).toBe(true)
      await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.lastSeq === 10 && x.unreadCount === 10))

      const since = b.mark()
      expect(await emitAck(socket, 'message:edit', { conversationId, seq: 1, text: 'line 1, edited' })).toMatchObject({ ok: true })
      await emitAck(socket, 'message:send', { conversationId, clientId: randomUUID(), text: 'after the edit' })
      await b.waitFor('messages', (m) => m.upserted.some((x) => x.seq === 11), 10_000, since)
      const seen = b.events.slice(since).flatMap((e) => (e.type === 'messages' ? e.payload.upserted : []))
      expect(seen.filter((m) => m.seq === 1).map((m) => m.text)).toEqual(['line 1, edited'])

      // Every one is in the cache: with the network gone the whole chat still shows.
      proxy.block()
      await b.waitFor('connection', (c) => c.status !== 'online', 10_000, since)
      const page = await b.call('messages.page', { conversationId })
      expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1))
      expect(page.messages[0]!.text).toBe('line 1, edited')
      expect(page.hasMore).toBe(false)
    } finally {
      socket.close()
      await proxy.close()
    }
  })
})

describe('read positions', () => {
  it('a read marked offline clears the badge at once, reaches the server on reconnect, and the unread count stays right', async () => {
    const proxy = await startProxy(srv.url)
    try {
      const { a, b, bMe, conversationId } = await directChat(srv.url, proxy.url)
      track(a, b)
      for (const text of ['one', 'two', 'three']) await a.call('messages.send', { conversationId, text })
      await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.lastSeq === 3 && x.unreadCount === 3))

      proxy.block()
      await b.waitFor('connection', (c) => c.status !== 'online', 10_000, b.mark())
      expect(await b.call('conversations.markRead', { conversationId, seq: 2 })).toEqual({ readSeq: 2 })
      expect((await b.call('conversations.list')).find((c) => c.id === conversationId)).toMatchObject({ readSeq: 2, unreadCount: 1 })

      const since = b.mark()
      proxy.restore()
      await b.call('connection.retry')
      await waitSynced(b, since)
      const readBy = (c: { members: Array<{ user: { id: string }; readSeq: number }> }) => c.members.find((m) => m.user.id === bMe.id)?.readSeq
      await a.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && readBy(x) === 2))
      // The server's answer to the read came back to this device too; the count did not jump back.
      await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && readBy(x) === 2), 5_000, since)
      expect((await b.call('conversations.list')).find((c) => c.id === conversationId)).toMatchObject({ readSeq: 2, unreadCount: 1 })
    } finally {
      await proxy.close()
    }
  })
})

describe('catching up', () => {
  it('after missing 5,000 messages, a restart caches every one in order with no gap or duplicate, in few event batches', async () => {
    const TOTAL = 5_000
    const sender = await register(srv.url)
    const [b] = track(await startClient())
    const { me: bMe } = await signUp(b, srv.url)
    const conversationId = (await api(srv.url, 'POST', '/conversations', { token: sender.accessToken, body: { kind: 'direct', userId: bMe.id } }))
      .body.conversation.id as string
    await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: sender.accessToken, body: { clientId: randomUUID(), text: 'm0' } })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'm0'))
    await b.close()

    const socket = await connect(srv.url, sender.accessToken)
    try {
      const BATCH = 100
      for (let i = 1; i <= TOTAL; i += BATCH) {
        const acks = await Promise.all(
          Array.from({ length: Math.min(BATCH, TOTAL - i + 1) }, (_, k) =>
            emitAck(socket, 'message:send', { conversationId, clientId: randomUUID(), text: `m${i + k}` })
          )
        )
        expect(acks.every((r) => r.ok)).toBe(true)
      }
    } finally {
      socket.close()
    }

    const b2 = await startClient(b.userDataDir)
    track(b2)
    await waitSynced(b2, 0, 30_000)
    const all = await pageAll(b2, conversationId)
    const last = TOTAL + 1
    expect(all.length).toBe(last)
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1))
    // Sent in parallel, so texts may be in any order across seqs; each exactly once.
    expect(new Set(all.map((m) => m.text)).size).toBe(last)
    expect(all.map((m) => m.text).sort()).toEqual(Array.from({ length: last }, (_, i) => `m${i}`).sort())
    const conversation = (await b2.call('conversations.list')).find((c) => c.id === conversationId)
    expect(conversation).toMatchObject({ lastSeq: last, unreadCount: last })
    // Events leave in batches per frame, and catch-up pages merge: far fewer than one per message.
    const messageEvents = b2.payloads('messages').filter((m) => m.conversationId === conversationId)
    expect(new Set(messageEvents.flatMap((m) => m.upserted.map((x) => x.seq))).size).toBe(TOTAL)
    expect(messageEvents.length).toBeLessThan(100)
    expect(b2.batches).toBeLessThan(100)

    // A new device of the same person starts with the newest page and fetches older ones as the user scrolls up.
    const [laptop] = track(await startClient())
    await laptop.call('session.login', { serverUrl: srv.url, username: bMe.username, password: PASSWORD })
    await waitSynced(laptop)
    expect((await laptop.call('messages.page', { conversationId, limit: 10 })).messages.map((m) => m.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => last - 9 + i)
    )
    const scrolled = await pageAll(laptop, conversationId)
    expect(scrolled.map((m) => m.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1))
    expect(scrolled.map((m) => m.id)).toEqual(all.map((m) => m.id))
  })

  it('edits, deletions and reactions made while offline arrive after reconnecting; live ones at once', async () => {
    const proxy = await startProxy(srv.url)
    try {
      const { a, b, aMe, bMe, conversationId } = await directChat(srv.url, proxy.url)
      track(a, b)
      const sent: string[] = []
      for (const text of ['one', 'two', 'three']) sent.push((await a.call('messages.send', { conversationId, text })).clientId)
      await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'three'))
      for (const clientId of sent) await a.waitFor('outbox', (o) => o.removed.includes(clientId))

      proxy.block()
      await b.waitFor('connection', (c) => c.status !== 'online', 10_000, b.mark())
      const edited = await a.call('messages.edit', { conversationId, seq: 1, text: 'one, edited' })
      expect(edited).toMatchObject({ seq: 1, text: 'one, edited', editedAt: expect.any(String) })
      expect(await a.call('messages.delete', { conversationId, seq: 2 })).toMatchObject({ seq: 2, deletedAt: expect.any(String) })
      expect(await a.call('messages.react', { conversationId, seq: 3, emoji: '👍' })).toMatchObject({ reactions: { '👍': [aMe.id] } })
      // The sender's own cache follows its actions.
      const aPage = await a.call('messages.page', { conversationId })
      expect(aPage.messages.map((m) => m.text)).toEqual(['one, edited', '', 'three'])

      const since = b.mark()
      proxy.restore()
      await b.call('connection.retry')
      await waitSynced(b, since)
      const page = await b.call('messages.page', { conversationId })
      expect(page.messages.map((m) => ({ seq: m.seq, text: m.text, edited: !!m.editedAt, deleted: !!m.deletedAt, reactions: m.reactions ?? {} }))).toEqual([
        { seq: 1, text: 'one, edited', edited: true, deleted: false, reactions: {} },
        { seq: 2, text: '', edited: false, deleted: true, reactions: {} },
        { seq: 3, text: 'three', edited: false, deleted: false, reactions: { '👍': [aMe.id] } }
      ])
      const changed = b.events.slice(since).flatMap((e) => (e.type === 'messages' ? [e.payload] : [])).flatMap((m) => m.upserted)
      expect(changed.some((m) => m.seq === 1 && m.text === 'one, edited')).toBe(true)
      const list = await b.call('conversations.list')
      expect(list.find((c) => c.id === conversationId)?.lastMessage).toMatchObject({ seq: 3, reactions: { '👍': [aMe.id] } })

      // Live: each side sees the other's change as it happens.
      await a.call('messages.edit', { conversationId, seq: 3, text: 'three, edited live' })
      await b.waitFor('messages', (m) => m.upserted.some((x) => x.seq === 3 && x.text === 'three, edited live'))
      await b.call('messages.react', { conversationId, seq: 1, emoji: '🎉' })
      await a.waitFor('messages', (m) => m.upserted.some((x) => x.seq === 1 && x.reactions?.['🎉']?.includes(bMe.id) === true))
      await b.call('messages.react', { conversationId, seq: 1, emoji: '🎉' })
      await a.waitFor('messages', (m) => m.upserted.some((x) => x.seq === 1 && !x.reactions?.['🎉']))
      expect((await a.call('messages.page', { conversationId })).messages[0]!.reactions?.['🎉']).toBeUndefined()
      expect((await b.call('messages.page', { conversationId })).messages[2]!.text).toBe('three, edited live')
    } finally {
      await proxy.close()
    }
  })
})
