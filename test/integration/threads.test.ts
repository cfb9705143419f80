// Threads (issue 20, item 3) through real HTTP and sockets, on both engines
// (the integration-pg project runs this file on PostgreSQL).
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import type { FollowedThread, ThreadPage } from '../../src/shared/schemas/threads'
import { api, register, type TestUser } from '../helpers/http'
import { collect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
let dave: TestUser
const pool = new SocketPool()

const online = (user: TestUser): Promise<ClientSocket> => pool.connect(srv.url, user.accessToken)

async function group(owner: TestUser, members: TestUser[]): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', {
    token: owner.accessToken,
    body: { kind: 'group', title: 'team', memberIds: members.map((m) => m.user.id) }
  })
  return res.body.conversation.id as string
}

async function send(user: TestUser, conversationId: string, text: string, extra: Record<string, unknown> = {}, clientId = randomUUID()) {
  return api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: user.accessToken, body: { clientId, text, ...extra } })
}

async function post(user: TestUser, conversationId: string, text: string, extra: Record<string, unknown> = {}): Promise<Message> {
  const res = await send(user, conversationId, text, extra)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.message as Message
}

async function thread(user: TestUser, conversationId: string, seq: number, query = ''): Promise<ThreadPage> {
  const res = await api(srv.url, 'GET', `/conversations/${conversationId}/threads/${seq}${query}`, { token: user.accessToken })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body as ThreadPage
}

async function followed(user: TestUser): Promise<FollowedThread[]> {
  const res = await api(srv.url, 'GET', '/threads', { token: user.accessToken })
  expect(res.status).toBe(200)
  return res.body.threads as FollowedThread[]
}

async function conversation(user: TestUser, id: string): Promise<Conversation> {
  const res = await api(srv.url, 'GET', '/conversations', { token: user.accessToken })
  return (res.body.conversations as Conversation[]).find((c) => c.id === id)!
}

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob, carol, dave] = (await Promise.all([1, 2, 3, 4].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser, TestUser]
})
afterEach(() => pool.closeAll())
afterAll(() => srv.destroy())

describe('replying in a thread', () => {
  it('stores the reply as a message of the conversation and updates the root’s summary, live for members and followers', async () => {
    const id = await group(alice, [bob, carol])
    const root = await post(alice, id, 'Lunch at noon?')
    const aliceSocket = await online(alice)
    const rootUpdated = collect(aliceSocket, 'message:updated', 1)
    const aliceThread = collect(aliceSocket, 'thread:updated', 1)
    const newOnes = collect(aliceSocket, 'message:new', 1)
    const reply = await post(bob, id, 'Yes!', { threadRoot: root.seq })
    expect(reply).toMatchObject({ threadRoot: root.seq, seq: root.seq + 1, conversationId: id })
    expect(reply.alsoInConversation).toBeUndefined()
    expect((await newOnes)[0]!.message.seq).toBe(reply.seq)
    const [updated] = await rootUpdated
    expect(updated!.message).toMatchObject({
      seq: root.seq,
      thread: { replyCount: 1, lastReplySeq: reply.seq, lastReplyAt: reply.createdAt, participantIds: [bob.user.id] }
    })
    // The root's author follows from the first reply, and has it unread.
    const [told] = await aliceThread
    expect(told).toMatchObject({ following: true, thread: { conversationId: id, rootSeq: root.seq, unreadCount: 1, readSeq: 0 } })

    // The change feed carries the summary too, for a client catching up.
    const changes = await api(srv.url, 'GET', `/conversations/${id}/changes?since=0`, { token: carol.accessToken })
    expect((changes.body.messages as Message[]).find((m) => m.seq === root.seq)?.thread?.replyCount).toBe(1)

    const second = await post(carol, id, 'Count me in', { threadRoot: root.seq })
    const page = await thread(alice, id, root.seq)
    expect(page.root.thread).toMatchObject({ replyCount: 2, lastReplySeq: second.seq, participantIds: [carol.user.id, bob.user.id] })
    expect(page.replies.map((m) => m.text)).toEqual(['Yes!', 'Count me in'])
    expect(page.hasMore).toBe(false)
  })

  it('a thread-only reply does not raise the conversation’s unread count; one also sent to the conversation does', async () => {
    const id = await group(alice, [bob])
    const root = await post(alice, id, 'Release today')
    expect((await conversation(alice, id)).unreadCount).toBe(0)
    await post(bob, id, 'in the thread only', { threadRoot: root.seq })
    const onlyThread = await conversation(alice, id)
    expect(onlyThread.unreadCount).toBe(0)
    // Nor is it the conversation's last message (the sidebar's preview).
    expect(onlyThread.lastMessage?.text).toBe('Release today')
    await post(bob, id, 'in both', { threadRoot: root.seq, alsoInConversation: true })
    expect((await conversation(alice, id)).unreadCount).toBe(1)
    expect((await conversation(alice, id)).lastMessage?.text).toBe('in both')
    const [mine] = (await followed(alice)).filter((t) => t.conversationId === id)
    expect(mine).toMatchObject({ rootSeq: root.seq, unreadCount: 2 })
    expect((await thread(alice, id, root.seq)).replies.map((m) => m.alsoInConversation ?? false)).toEqual([false, true])
  })

  it('refuses a root that is missing, a system message, deleted, or itself a reply, naming the problem', async () => {
    const id = await group(alice, [bob])
    const root = await post(alice, id, 'root')
    const reply = await post(bob, id, 'reply', { threadRoot: root.seq })
    const missing = await send(bob, id, 'x', { threadRoot: 999 })
    expect(missing.status).toBe(404)
    expect(missing.body.error.message).toMatch(/thread root: message 999/)
    const nested = await send(bob, id, 'x', { threadRoot: reply.seq })
    expect(nested.status).toBe(400)
    expect(nested.body.error).toMatchObject({ code: 'validation_failed' })
    expect(nested.body.error.message).toMatch(/itself a reply/)
    const system = (await api(srv.url, 'GET', `/conversations/${id}/messages`, { token: alice.accessToken })).body.messages.find(
      (m: Message) => m.kind === 'system'
    ) as Message
    const onSystem = await send(bob, id, 'x', { threadRoot: system.seq })
    expect(onSystem.status).toBe(400)
    expect(onSystem.body.error.message).toMatch(/system message/)
    const gone = await post(alice, id, 'to delete')
    await api(srv.url, 'DELETE', `/conversations/${id}/messages/${gone.seq}`, { token: alice.accessToken })
    const onDeleted = await send(bob, id, 'x', { threadRoot: gone.seq })
    expect(onDeleted.status).toBe(400)
    expect(onDeleted.body.error.message).toMatch(/was deleted/)
    // Not a member: the conversation is out of reach, thread or not.
    expect((await send(dave, id, 'x', { threadRoot: root.seq })).status).toBe(403)
    expect((await api(srv.url, 'GET', `/conversations/${id}/threads/${root.seq}`, { token: dave.accessToken })).status).toBe(403)
  })

  it('a retried send finds its reply and counts it once', async () => {
    const id = await group(alice, [bob])
    const root = await post(alice, id, 'root')
    const clientId = randomUUID()
    expect((await send(bob, id, 'once', { threadRoot: root.seq }, clientId)).status).toBe(201)
    const again = await send(bob, id, 'once', { threadRoot: root.seq }, clientId)
    expect(again.status).toBe(200)
    expect((await thread(alice, id, root.seq)).root.thread?.replyCount).toBe(1)
  })

  it('a deleted reply drops from the count, the participants and the follower’s unread', async () => {
    const id = await group(alice, [bob, carol])
    const root = await post(alice, id, 'root')
    await post(bob, id, 'first', { threadRoot: root.seq })
    const second = await post(carol, id, 'second', { threadRoot: root.seq })
    const del = await api(srv.url, 'DELETE', `/conversations/${id}/messages/${second.seq}`, { token: carol.accessToken })
    expect(del.status).toBe(200)
    // The tombstone stays out of the conversation: still a thread reply.
    expect(del.body.message).toMatchObject({ threadRoot: root.seq, text: '' })
    const page = await thread(alice, id, root.seq)
    expect(page.root.thread).toMatchObject({ replyCount: 1, participantIds: [bob.user.id] })
    expect(page.replies.map((m) => m.text)).toEqual(['first'])
    expect((await followed(alice)).find((t) => t.conversationId === id)?.unreadCount).toBe(1)
    expect((await conversation(alice, id)).unreadCount).toBe(0)
  })
})

describe('reading a thread', () => {
  it('pages replies by before, after and limit, oldest first', async () => {
    const id = await group(alice, [bob])
    const root = await post(alice, id, 'root')
    const replies: Message[] = []
    for (let i = 1; i <= 5; i++) replies.push(await post(bob, id, `r${i}`, { threadRoot: root.seq }))
    await post(alice, id, 'not in the thread')
    const newest = await thread(alice, id, root.seq, '?limit=2')
    expect(newest.replies.map((m) => m.text)).toEqual(['r4', 'r5'])
    expect(newest.hasMore).toBe(true)
    const older = await thread(alice, id, root.seq, `?limit=2&before=${replies[3]!.seq}`)
    expect(older.replies.map((m) => m.text)).toEqual(['r2', 'r3'])
    expect(older.hasMore).toBe(true)
    const after = await thread(alice, id, root.seq, `?after=${replies[2]!.seq}`)
    expect(after.replies.map((m) => m.text)).toEqual(['r4', 'r5'])
    expect(after.hasMore).toBe(false)
    const bad = await api(srv.url, 'GET', `/conversations/${id}/threads/${root.seq}?limit=0`, { token: alice.accessToken })
    expect(bad.status).toBe(400)
  })

  it('hides what the reader cleared', async () => {
    const id = await group(alice, [bob])
    const root = await post(alice, id, 'root')
    await post(bob, id, 'before the clear', { threadRoot: root.seq })
    expect((await api(srv.url, 'POST', `/conversations/${id}/clear`, { token: bob.accessToken })).status).toBe(200)
    const gone = await api(srv.url, 'GET', `/conversations/${id}/threads/${root.seq}`, { token: bob.accessToken })
    expect(gone.status).toBe(404)
    expect((await thread(alice, id, root.seq)).replies).toHaveLength(1)
  })

  it('by socket, as the client core pages', async () => {
    const id = await group(alice, [bob])
    const root = await post(alice, id, 'root')
    await post(bob, id, 'hi', { threadRoot: root.seq })
    const socket = await online(alice)
    const page = await emitAck<ThreadPage>(socket, 'thread:get', { conversationId: id, rootSeq: root.seq })
    expect(page.ok && page.data.replies.map((m) => m.text)).toEqual(['hi'])
    const list = await emitAck<{ threads: FollowedThread[] }>(socket, 'thread:list', {})
    expect(list.ok && list.data.threads.some((t) => t.conversationId === id)).toBe(true)
    const bad = await emitAck(socket, 'thread:get', { conversationId: id, rootSeq: 0 })
    expect(bad.ok).toBe(false)
  })
})

describe('following', () => {
  it('the author, whoever replies and whoever a reply mentions follow; a read moves the unread count on every device', async () => {
    const id = await group(alice, [bob, carol, dave])
    const root = await post(alice, id, 'root')
    const reply = await post(bob, id, 'asking carol', { threadRoot: root.seq, mentions: [carol.user.id] })
    const [carols] = (await followed(carol)).filter((t) => t.conversationId === id)
    expect(carols).toMatchObject({ rootSeq: root.seq, unreadCount: 1, mentionCount: 1 })
    expect((await followed(bob)).find((t) => t.conversationId === id)).toMatchObject({ unreadCount: 0, readSeq: reply.seq })
    expect((await followed(dave)).some((t) => t.conversationId === id)).toBe(false)

    const otherDevice = await online(carol)
    const heard = collect(otherDevice, 'thread:updated', 1)
    const read = await api(srv.url, 'POST', `/conversations/${id}/threads/${root.seq}/read`, { token: carol.accessToken, body: { seq: reply.seq } })
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ following: true, thread: { readSeq: reply.seq, unreadCount: 0, mentionCount: 0 } })
    expect((await heard)[0]).toMatchObject({ thread: { readSeq: reply.seq, unreadCount: 0 } })
    // Never back.
    const back = await api(srv.url, 'POST', `/conversations/${id}/threads/${root.seq}/read`, { token: carol.accessToken, body: { seq: 1 } })
    expect(back.body.thread.readSeq).toBe(reply.seq)
  })

  it('follows and unfollows by choice; an unfollowed thread is not listed nor told of new replies', async () => {
    const id = await group(alice, [bob, dave])
    const root = await post(alice, id, 'root')
    await post(bob, id, 'one', { threadRoot: root.seq })
    const follow = await api(srv.url, 'PUT', `/conversations/${id}/threads/${root.seq}/follow`, { token: dave.accessToken, body: { following: true } })
    expect(follow.status).toBe(200)
    expect(follow.body).toMatchObject({ following: true, thread: { unreadCount: 1 } })
    expect((await followed(dave)).some((t) => t.conversationId === id)).toBe(true)

    const unfollow = await api(srv.url, 'PUT', `/conversations/${id}/threads/${root.seq}/follow`, { token: alice.accessToken, body: { following: false } })
    expect(unfollow.body.following).toBe(false)
    const aliceSocket = await online(alice)
    const daveSocket = await online(dave)
    const toAlice: unknown[] = []
    aliceSocket.on('thread:updated', (p) => toAlice.push(p))
    const toDave = collect(daveSocket, 'thread:updated', 1)
    await post(bob, id, 'two', { threadRoot: root.seq })
    expect((await toDave)[0]!.thread.unreadCount).toBe(2)
    expect((await followed(alice)).some((t) => t.conversationId === id)).toBe(false)
    expect(toAlice).toEqual([])

    const bad = await api(srv.url, 'PUT', `/conversations/${id}/threads/${root.seq}/follow`, { token: dave.accessToken, body: { following: 'yes' } })
    expect(bad.status).toBe(400)
  })

  it('lists unread threads first, then by last reply', async () => {
    const id = await group(carol, [alice, bob])
    const a = await post(carol, id, 'first root')
    const b = await post(carol, id, 'second root')
    const c = await post(carol, id, 'third root')
    const ra = await post(bob, id, 'x', { threadRoot: a.seq })
    await post(bob, id, 'y', { threadRoot: b.seq })
    const rc = await post(bob, id, 'z', { threadRoot: c.seq })
    await api(srv.url, 'POST', `/conversations/${id}/threads/${a.seq}/read`, { token: carol.accessToken, body: { seq: ra.seq } })
    await api(srv.url, 'POST', `/conversations/${id}/threads/${c.seq}/read`, { token: carol.accessToken, body: { seq: rc.seq } })
    const order = (await followed(carol)).filter((t) => t.conversationId === id).map((t) => t.rootSeq)
    expect(order).toEqual([b.seq, c.seq, a.seq])
  })
})
