// Issue 20 (mentions), seen through the client core: the cached conversation's
// mentionCount follows messages as they arrive, edits, deletions and reads
// (the sidebar badge, right offline and live), and a send carries @all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Conversation } from '../../src/shared/schemas/conversations'
import { startServer, type TestServer } from '../helpers/server'
import { directChat, type DirectChat } from '../helpers/client'

let srv: TestServer
let chat: DirectChat

beforeAll(async () => {
  srv = await startServer()
  chat = await directChat(srv.url)
})
afterAll(async () => {
  await Promise.all([chat.a.destroy(), chat.b.destroy()])
  await srv.destroy()
})

/** Bob's cached conversation once its mention count is `count`. */
async function bobCounts(count: number, since: number): Promise<Conversation> {
  const seen = await chat.b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === chat.conversationId && x.mentionCount === count), 10_000, since)
  return seen.upserted.find((x) => x.id === chat.conversationId)!
}

describe('mentionCount in the client core', () => {
  it('counts new messages that mention me, follows an edit and a read, and survives a restart of the list', async () => {
    const { a, bMe, conversationId } = chat
    let since = chat.b.mark()
    await a.call('messages.send', { conversationId, text: `@${bMe.username} look`, mentions: [bMe.id] })
    await a.call('messages.send', { conversationId, text: 'plain' })
    await a.call('messages.send', { conversationId, text: '@all hello', mentionAll: 'all' })
    const counted = await bobCounts(2, since)
    expect(counted.unreadCount).toBe(3)
    // The server agrees with what the core counted.
    expect((await chat.b.call('conversations.get', { conversationId })).mentionCount).toBe(2)

    // Alice edits the first one to mention nobody: one left.
    const page = await a.call('messages.page', { conversationId })
    const first = page.messages.find((m) => m.text.endsWith('look'))!
    since = chat.b.mark()
    await a.call('messages.edit', { conversationId, seq: first.seq, text: 'look' })
    await bobCounts(1, since)

    // Bob reads everything: none.
    since = chat.b.mark()
    const last = (await chat.b.call('conversations.get', { conversationId })).lastSeq
    await chat.b.call('conversations.markRead', { conversationId, seq: last })
    await bobCounts(0, since)
    expect((await chat.b.call('conversations.list')).find((c) => c.id === conversationId)?.mentionCount).toBe(0)
  })
})
