// Issue 26: history keeps the names of people who left (pages carry the
// profiles of former members they name), and unread counts leave system
// events out.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { ChangesPage, MessagePage } from '../../src/shared/schemas/messages'
import { api, register, type TestUser } from '../helpers/http'
import { emitAck, SocketPool } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
let dave: TestUser
const pool = new SocketPool()

async function call(user: TestUser, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  return api(srv.url, method, path, { token: user.accessToken, ...(body === undefined ? {} : { body }) })
}

async function newGroup(owner: TestUser, members: TestUser[]): Promise<string> {
  const res = await call(owner, 'POST', '/conversations', { kind: 'group', title: 'Ops', memberIds: members.map((m) => m.user.id) })
  expect(res.status).toBe(201)
  return res.body.conversation.id as string
}

async function unread(user: TestUser, id: string): Promise<number | undefined> {
  const list = (await call(user, 'GET', '/conversations')).body.conversations as Conversation[]
  return list.find((c) => c.id === id)?.unreadCount
}

const names = (people: { id: string; displayName: string }[]): Record<string, string> => Object.fromEntries(people.map((p) => [p.id, p.displayName]))

beforeAll(async () => {
  srv = await startServer({ loginLimit: { windowMs: 60_000, max: 1000 } })
  ;[alice, bob, carol, dave] = (await Promise.all([1, 2, 3, 4].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser, TestUser]
})
afterEach(() => pool.closeAll())
afterAll(() => srv.destroy())

describe('names of former members', () => {
  it('a page names the people it mentions who are no longer members, over REST and the socket; members are not repeated', async () => {
    const id = await newGroup(alice, [bob, carol])
    // Bob writes and reacts, is removed, rejoins by code and leaves; Carol stays.
    const sent = await call(bob, 'POST', `/conversations/${id}/messages`, { clientId: randomUUID(), text: 'hello from bob' })
    await call(carol, 'POST', `/conversations/${id}/messages/${sent.body.message.seq as number}/reactions`, { emoji: '👍' })
    await call(bob, 'POST', `/conversations/${id}/messages/${sent.body.message.seq as number}/reactions`, { emoji: '👍' })
    expect((await call(alice, 'DELETE', `/conversations/${id}/members/${bob.user.id}`)).status).toBe(204)
    const code = (await call(alice, 'POST', `/conversations/${id}/join-code`, {})).body.joinCode.code as string
    expect((await call(bob, 'POST', '/join', { code })).status).toBe(201)
    expect((await call(bob, 'DELETE', `/conversations/${id}/members/${bob.user.id}`)).status).toBe(204)

    const page = (await call(carol, 'GET', `/conversations/${id}/messages?limit=200`)).body as MessagePage
    expect(page.messages.map((m) => m.system?.type ?? m.text)).toEqual(['group_created', 'hello from bob', 'member_removed', 'join_code_changed', 'member_joined', 'member_left'])
    expect(names(page.people)).toEqual({ [bob.user.id]: bob.user.displayName })
    expect(page.people[0]).toEqual({ id: bob.user.id, username: bob.user.username, displayName: bob.user.displayName, statusText: '', avatar: null, createdAt: expect.any(String) })

    const socket = await pool.connect(srv.url, carol.accessToken)
    const viaSocket = await emitAck<MessagePage>(socket, 'message:list', { conversationId: id, limit: 200 })
    expect(viaSocket.ok && names(viaSocket.data.people)).toEqual({ [bob.user.id]: bob.user.displayName })
    // A page naming only members carries nobody.
    const recent = await emitAck<MessagePage>(socket, 'message:list', { conversationId: id, after: 0, limit: 1 })
    expect(recent.ok && recent.data.people).toEqual([])
    // Changes (Bob's reaction) name him too.
    const changes = await emitAck<ChangesPage>(socket, 'message:changes', { conversationId: id, since: 0 })
    expect(changes.ok && names(changes.data.people)).toEqual({ [bob.user.id]: bob.user.displayName })
  })

  it('only members read them: a former member or a stranger gets no page, so no profile', async () => {
    const id = await newGroup(alice, [dave])
    await call(alice, 'DELETE', `/conversations/${id}/members/${dave.user.id}`)
    for (const outsider of [dave, carol]) {
      const res = await call(outsider, 'GET', `/conversations/${id}/messages`)
      expect(res.status).toBe(403)
      expect(JSON.stringify(res.body)).not.toContain(dave.user.displayName)
    }
  })
})

describe('unread counts', () => {
  it('count what people write, not system events; reading up to the last seq clears them', async () => {
    const id = await newGroup(alice, [bob])
    // Being added (group_created) does not count.
    expect(await unread(bob, id)).toBe(0)
    await call(alice, 'POST', `/conversations/${id}/join-code`, {})
    await call(alice, 'PATCH', `/conversations/${id}`, { title: 'Ops 2' })
    expect(await unread(bob, id)).toBe(0)
    await call(alice, 'POST', `/conversations/${id}/messages`, { clientId: randomUUID(), text: 'one' })
    await call(alice, 'POST', `/conversations/${id}/join-code`, {})
    const two = (await call(alice, 'POST', `/conversations/${id}/messages`, { clientId: randomUUID(), text: 'two' })).body.message.seq as number
    await call(alice, 'POST', `/conversations/${id}/members`, { userIds: [carol.user.id] })
    expect(await unread(bob, id)).toBe(2)
    // Read up to 'two': the event after it is not unread.
    expect((await call(bob, 'POST', `/conversations/${id}/read`, { seq: two })).status).toBeLessThan(300)
    expect(await unread(bob, id)).toBe(0)
    // Carol, added last, has everything before her but no message written to her yet.
    expect(await unread(carol, id)).toBe(2)
    const last = (await call(carol, 'GET', `/conversations/${id}`)).body.conversation.lastSeq as number
    await call(carol, 'POST', `/conversations/${id}/read`, { seq: last })
    expect(await unread(carol, id)).toBe(0)
    // The socket's list agrees.
    const socket = await pool.connect(srv.url, bob.accessToken)
    await call(alice, 'POST', `/conversations/${id}/messages`, { clientId: randomUUID(), text: 'three' })
    await call(alice, 'DELETE', `/conversations/${id}/join-code`)
    const list = await emitAck<{ conversations: Conversation[] }>(socket, 'conversation:list', {})
    expect(list.ok && list.data.conversations.find((c) => c.id === id)?.unreadCount).toBe(1)
  })
})
