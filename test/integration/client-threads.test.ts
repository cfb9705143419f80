// Threads through the client core (issue 20, item 3): replies go through the
// outbox, the panel's data comes from the cache (offline too), followed
// threads reach the window as they change, and a thread-only reply does not
// raise the conversation's badge.
import { afterEach, describe, expect, it } from 'vitest'
import { directChat, startClient, type TestClient } from '../helpers/client'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer | null = null
const clients: TestClient[] = []

afterEach(async () => {
  // Newest first, one at a time: a restarted client shares its data directory with the one closed before it.
  for (const c of clients.splice(0).reverse()) await c.destroy()
  await srv?.destroy()
  srv = null
})

describe('threads in the client core', () => {
  it('a reply in a thread: followed, counted in the thread and not in the conversation, and readable offline after a restart', async () => {
    srv = await startServer()
    const { a: alice, b: bob, conversationId } = await directChat(srv.url)
    clients.push(alice, bob)
    const root = await alice.call('messages.send', { conversationId, text: 'Plan for Monday?' })
    const rootMessage = (await bob.waitFor('messages', (m) => m.upserted.some((x) => x.clientId === root.clientId))).upserted.find(
      (x) => x.clientId === root.clientId
    )!
    // Bob has read the root, so only what follows can be unread for Alice.
    const aliceSince = alice.mark()
    const pending = await bob.call('messages.send', { conversationId, text: 'Standup at 10', threadRoot: rootMessage.seq })
    expect(pending).toMatchObject({ threadRoot: rootMessage.seq, state: 'pending' })

    // Alice hears the reply, the root's summary and her followed thread.
    const followed = await alice.waitFor('followedThreads', (f) => f.upserted.some((t) => t.rootSeq === rootMessage.seq && t.unreadCount === 1), 10_000, aliceSince)
    expect(followed.upserted[0]).toMatchObject({ conversationId, rootSeq: rootMessage.seq, unreadCount: 1 })
    await alice.waitFor('messages', (m) => m.upserted.some((x) => x.seq === rootMessage.seq && x.thread?.replyCount === 1), 10_000, aliceSince)
    const conversation = await alice.call('conversations.get', { conversationId })
    expect(conversation.unreadCount).toBe(0)
    expect(conversation.lastMessage?.text).toBe('Plan for Monday?')
    expect(await alice.call('threads.list')).toEqual([expect.objectContaining({ rootSeq: rootMessage.seq, unreadCount: 1 })])

    const view = await alice.call('threads.page', { conversationId, rootSeq: rootMessage.seq })
    expect(view.root).toMatchObject({ text: 'Plan for Monday?', thread: { replyCount: 1 } })
    expect(view.replies.map((m) => m.text)).toEqual(['Standup at 10'])
    const read = await alice.call('threads.read', { conversationId, rootSeq: rootMessage.seq, seq: view.replies[0]!.seq })
    expect(read).toMatchObject({ unreadCount: 0, readSeq: view.replies[0]!.seq })

    // Offline after a restart: the thread and the followed list come from the cache.
    await alice.close()
    await srv.stop()
    const again = await startClient(alice.userDataDir)
    clients.push(again)
    const offline = await again.call('threads.page', { conversationId, rootSeq: rootMessage.seq })
    expect(offline.root?.text).toBe('Plan for Monday?')
    expect(offline.replies.map((m) => m.text)).toEqual(['Standup at 10'])
    expect((await again.call('threads.list')).map((t) => [t.rootSeq, t.unreadCount])).toEqual([[rootMessage.seq, 0]])
  })

  it('a reply also sent to the conversation counts there too', async () => {
    srv = await startServer()
    const { a: alice, b: bob, conversationId } = await directChat(srv.url)
    clients.push(alice, bob)
    const root = await alice.call('messages.send', { conversationId, text: 'root' })
    const seq = (await bob.waitFor('messages', (m) => m.upserted.some((x) => x.clientId === root.clientId))).upserted.find((x) => x.clientId === root.clientId)!.seq
    const since = alice.mark()
    await bob.call('messages.send', { conversationId, text: 'for everyone', threadRoot: seq, alsoInConversation: true })
    await alice.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.unreadCount === 1), 10_000, since)
    const view = await alice.call('threads.page', { conversationId, rootSeq: seq })
    expect(view.replies.map((m) => [m.text, m.alsoInConversation])).toEqual([['for everyone', true]])
  })
})
