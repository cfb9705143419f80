// Issue 20 (mentions): what a member's conversation says of the messages that
// mention them (mentionCount), @here and @all with the group's setting, and
// what a sent message stores. Runs on both engines (integration and integration-pg).
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import { api, register, type TestUser } from '../helpers/http'
import { collect, SocketPool } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
const pool = new SocketPool()

beforeAll(async () => {
  srv = await startServer({ loginLimit: { windowMs: 60_000, max: 1000 } })
  // Alice first: the first account is the server's admin, who makes user groups.
  alice = await register(srv.url)
  ;[bob, carol] = (await Promise.all([1, 2].map(() => register(srv.url)))) as [TestUser, TestUser]
})
afterEach(() => pool.closeAll())
afterAll(() => srv.destroy())

async function newGroup(): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', {
    token: alice.accessToken,
    body: { kind: 'group', title: 'Team', memberIds: [bob.user.id, carol.user.id] }
  })
  expect(res.status).toBe(201)
  return res.body.conversation.id as string
}

async function send(user: TestUser, id: string, body: Record<string, unknown>): Promise<{ status: number; body: { message: Message; error?: { code: string; message: string } } }> {
  return api(srv.url, 'POST', `/conversations/${id}/messages`, { token: user.accessToken, body: { clientId: randomUUID(), ...body } })
}

async function conversation(user: TestUser, id: string): Promise<Conversation> {
  const res = await api(srv.url, 'GET', '/conversations', { token: user.accessToken })
  return (res.body.conversations as Conversation[]).find((c) => c.id === id)!
}

const counts = async (id: string): Promise<[number, number]> => [(await conversation(bob, id)).mentionCount, (await conversation(carol, id)).mentionCount]

describe('mentionCount', () => {
  it('counts the unread messages that mention each member, by name or @all, and drops them as the member reads', async () => {
    const id = await newGroup()
    expect(await counts(id)).toEqual([0, 0])
    const first = await send(alice, id, { text: '@bob look', mentions: [bob.user.id] })
    expect(first.body.message.mentions).toEqual([bob.user.id])
    await send(alice, id, { text: 'nobody named' })
    const all = await send(alice, id, { text: '@all standup', mentionAll: 'all' })
    expect(all.body.message.mentionAll).toBe('all')
    expect(await counts(id)).toEqual([2, 1])
    // The sender never counts their own mention.
    expect((await conversation(alice, id)).mentionCount).toBe(0)

    // Bob reads up to the first: one left; up to the end: none.
    expect((await api(srv.url, 'POST', `/conversations/${id}/read`, { token: bob.accessToken, body: { seq: first.body.message.seq } })).status).toBe(200)
    expect(await counts(id)).toEqual([1, 1])
    await api(srv.url, 'POST', `/conversations/${id}/read`, { token: bob.accessToken, body: { seq: all.body.message.seq } })
    expect(await counts(id)).toEqual([0, 1])
    // Writing in the conversation reads it too.
    await send(carol, id, { text: 'here' })
    expect(await counts(id)).toEqual([0, 0])
  })

  it('an edit that takes a mention out, or a deletion, no longer counts; an edit that adds one does', async () => {
    const id = await newGroup()
    const sent = await send(alice, id, { text: '@bob hi', mentions: [bob.user.id] })
    const seq = sent.body.message.seq
    expect(await counts(id)).toEqual([1, 0])
    const edit = (body: Record<string, unknown>) => api(srv.url, 'PATCH', `/conversations/${id}/messages/${seq}`, { token: alice.accessToken, body })
    expect((await edit({ text: '@carol hi', mentions: [carol.user.id] })).status).toBe(200)
    expect(await counts(id)).toEqual([0, 1])
    expect((await api(srv.url, 'DELETE', `/conversations/${id}/messages/${seq}`, { token: alice.accessToken })).status).toBe(200)
    expect(await counts(id)).toEqual([0, 0])
  })

  it('mentions of people outside the conversation are dropped', async () => {
    const res = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })
    const sent = await send(alice, res.body.conversation.id as string, { text: '@carol', mentions: [carol.user.id, bob.user.id] })
    expect(sent.body.message.mentions).toEqual([bob.user.id])
  })
})

describe('@here and @all', () => {
  it('@here lists the members online when it was sent, and only they count it', async () => {
    const id = await newGroup()
    await pool.connect(srv.url, bob.accessToken)
    const sent = await send(alice, id, { text: '@here lunch?', mentionAll: 'here' })
    expect(sent.body.message).toMatchObject({ mentionAll: 'here', mentioned: [bob.user.id] })
    expect(await counts(id)).toEqual([1, 0])
  })

  it('a group set to admins-only refuses @here and @all from members (403 naming the rule) and takes them from admins', async () => {
    const id = await newGroup()
    const bobSocket = await pool.connect(srv.url, bob.accessToken)
    const bobUpdated = collect(bobSocket, 'conversation:updated', 1)
    const patch = await api(srv.url, 'PATCH', `/conversations/${id}`, { token: alice.accessToken, body: { broadcastMentions: 'admins' } })
    expect(patch.status).toBe(200)
    expect(patch.body.conversation.broadcastMentions).toBe('admins')
    // No system message tells it: members get the conversation again.
    expect((await bobUpdated)[0]!.conversation.broadcastMentions).toBe('admins')
    expect((await conversation(carol, id)).broadcastMentions).toBe('admins')

    const refused = await send(bob, id, { text: '@all hello', mentionAll: 'all' })
    expect(refused.status).toBe(403)
    expect(refused.body.error).toMatchObject({ code: 'forbidden' })
    expect(refused.body.error!.message).toMatch(/only admins .* @here and @all/)
    expect((await send(alice, id, { text: '@all hello', mentionAll: 'all' })).status).toBe(201)
    // A member may still mention people by name.
    expect((await send(bob, id, { text: '@carol', mentions: [carol.user.id] })).status).toBe(201)

    // Only admins change it.
    const byMember = await api(srv.url, 'PATCH', `/conversations/${id}`, { token: bob.accessToken, body: { broadcastMentions: 'everyone' } })
    expect(byMember.status).toBe(403)
    await api(srv.url, 'PATCH', `/conversations/${id}`, { token: alice.accessToken, body: { broadcastMentions: 'everyone' } })
    expect((await send(bob, id, { text: '@all now', mentionAll: 'all' })).status).toBe(201)
  })

  it('a user group reaches its members who are in the conversation: mentioned lists them and they count it; unknown groups are dropped', async () => {
    const direct = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Pair', memberIds: [bob.user.id] } })
    const made = await api(srv.url, 'POST', '/user-groups', { token: alice.accessToken, body: { handle: `team${Date.now()}`, name: 'Team', memberIds: [bob.user.id, carol.user.id, alice.user.id] } })
    expect(made.status).toBe(201)
    const groupId = made.body.userGroup.id as string
    const sent = await send(alice, direct.body.conversation.id as string, { text: '@team', mentionGroups: [groupId, randomUUID()] })
    // Carol is not in this chat, and Alice sent it.
    expect(sent.body.message).toMatchObject({ mentionGroups: [groupId], mentioned: [bob.user.id] })
    expect((await conversation(bob, direct.body.conversation.id as string)).mentionCount).toBe(1)
  })

  it('direct chats always allow @all', async () => {
    const res = await api(srv.url, 'POST', '/conversations', { token: bob.accessToken, body: { kind: 'direct', userId: carol.user.id } })
    expect(res.body.conversation.broadcastMentions).toBe('everyone')
    expect((await send(bob, res.body.conversation.id as string, { text: '@all', mentionAll: 'all' })).status).toBe(201)
  })
})
