import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ChangesPage, Message } from '../../src/shared/schemas/messages'
import { api, register, type TestUser } from '../helpers/http'
import { collect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
const pool = new SocketPool()

function online(user: TestUser): Promise<ClientSocket> {
  return pool.connect(srv.url, user.accessToken)
}

async function direct(a: TestUser, b: TestUser): Promise<string> {
  return (await api(srv.url, 'POST', '/conversations', { token: a.accessToken, body: { kind: 'direct', userId: b.user.id } })).body.conversation
    .id as string
}

async function send(user: TestUser, conversationId: string, text: string, extra: Record<string, unknown> = {}): Promise<Message> {
  const res = await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, {
    token: user.accessToken,
    body: { clientId: randomUUID(), text, ...extra }
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.message as Message
}

const path = (id: string, seq: number, rest = ''): string => `/conversations/${id}/messages/${seq}${rest}`

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
})
afterEach(() => {
  pool.closeAll()
})
afterAll(() => srv.destroy())

describe('editing', () => {
  it('the sender edits their message: everyone sees the new text marked edited, live and in history', async () => {
    const id = await direct(alice, bob)
    const original = await send(alice, id, 'helo wrold')
    const bobSocket = await online(bob)
    const heard = collect(bobSocket, 'message:updated', 1)
    const res = await api(srv.url, 'PATCH', path(id, original.seq), { token: alice.accessToken, body: { text: 'hello world' } })
    expect(res.status).toBe(200)
    expect(res.body.message).toMatchObject({ id: original.id, seq: original.seq, text: 'hello world', version: 1 })
    expect(res.body.message.editedAt).toEqual(expect.any(String))
    expect((await heard)[0]!.message).toEqual(res.body.message)
    const page = await api(srv.url, 'GET', `/conversations/${id}/messages`, { token: bob.accessToken })
    expect(page.body.messages.at(-1)).toEqual(res.body.message)
  })

  it('nobody edits someone else’s message, a system message or a deleted one', async () => {
    const id = await direct(alice, bob)
    const mine = await send(alice, id, 'mine')
    const other = await api(srv.url, 'PATCH', path(id, mine.seq), { token: bob.accessToken, body: { text: 'hijacked' } })
    expect(other.status).toBe(403)
    expect(other.body.error.message).toMatch(/your own/)
    const group = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'g', memberIds: [] } })).body
      .conversation.id as string
    expect((await api(srv.url, 'PATCH', path(group, 1), { token: alice.accessToken, body: { text: 'x' } })).status).toBe(409)
    await api(srv.url, 'DELETE', path(id, mine.seq), { token: alice.accessToken })
    const deleted = await api(srv.url, 'PATCH', path(id, mine.seq), { token: alice.accessToken, body: { text: 'back' } })
    expect(deleted.status).toBe(409)
    expect((await api(srv.url, 'PATCH', path(id, 999), { token: alice.accessToken, body: { text: 'x' } })).status).toBe(404)
    expect((await api(srv.url, 'PATCH', path(id, mine.seq), { token: carol.accessToken, body: { text: 'x' } })).status).toBe(403)
  })
})

describe('deleting for everyone', () => {
  it('leaves a tombstone with nothing of the message but who sent it and when', async () => {
    const id = await direct(alice, bob)
    const m = await send(alice, id, 'oops, wrong chat', { mentions: [bob.user.id] })
    await api(srv.url, 'POST', path(id, m.seq, '/reactions'), { token: bob.accessToken, body: { emoji: '😮' } })
    const res = await api(srv.url, 'DELETE', path(id, m.seq), { token: alice.accessToken })
    expect(res.status).toBe(200)
    const tomb = res.body.message as Message
    expect(tomb).toMatchObject({ id: m.id, seq: m.seq, senderId: alice.user.id, text: '', createdAt: m.createdAt })
    expect(tomb.deletedAt).toEqual(expect.any(String))
    expect(tomb.mentions).toBeUndefined()
    expect(tomb.reactions).toBeUndefined()
    expect((await api(srv.url, 'DELETE', path(id, m.seq), { token: alice.accessToken })).status).toBe(200)
    const other = await send(bob, id, 'not yours to delete')
    expect((await api(srv.url, 'DELETE', path(id, other.seq), { token: alice.accessToken })).status).toBe(403)
  })

  it('group admins may delete anyone’s message; members may not', async () => {
    const group = (await api(srv.url, 'POST', '/conversations', {
      token: alice.accessToken,
      body: { kind: 'group', title: 'moderated', memberIds: [bob.user.id, carol.user.id] }
    })).body.conversation.id as string
    const spam = await send(bob, group, 'buy now')
    expect((await api(srv.url, 'DELETE', path(group, spam.seq), { token: carol.accessToken })).status).toBe(403)
    expect((await api(srv.url, 'DELETE', path(group, spam.seq), { token: alice.accessToken })).body.message.deletedAt).toBeTruthy()
  })
})

describe('replies, mentions and reactions', () => {
  it('a reply quotes the original; mentions keep member ids only', async () => {
    const id = (await api(srv.url, 'POST', '/conversations', {
      token: alice.accessToken,
      body: { kind: 'group', title: 'talk', memberIds: [bob.user.id] }
    })).body.conversation.id as string
    const question = await send(alice, id, 'Who has the keys to the server room? '.repeat(10))
    const answer = await send(bob, id, 'I do', { replyTo: question.seq, mentions: [alice.user.id, carol.user.id, alice.user.id] })
    expect(answer.replyTo).toEqual({ seq: question.seq, senderId: alice.user.id, preview: question.text.slice(0, 120) })
    expect(answer.mentions).toEqual([alice.user.id])
    const missing = await api(srv.url, 'POST', `/conversations/${id}/messages`, {
      token: bob.accessToken,
      body: { clientId: randomUUID(), text: 'to what?', replyTo: 999 }
    })
    expect(missing.status).toBe(400)
    expect(missing.body.error.message).toMatch(/replyTo/)
    // Renaming someone does not break a mention: it is an id.
    await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: { displayName: 'Alice Renamed' } })
    const page = await api(srv.url, 'GET', `/conversations/${id}/messages`, { token: bob.accessToken })
    expect(page.body.messages.at(-1).mentions).toEqual([alice.user.id])
  })

  it('reactions toggle per person and emoji, in the order people reacted', async () => {
    const id = await direct(alice, bob)
    const m = await send(alice, id, 'lunch?')
    const react = (user: TestUser, emoji: string) => api(srv.url, 'POST', path(id, m.seq, '/reactions'), { token: user.accessToken, body: { emoji } })
    await react(alice, '👍')
    const both = await react(bob, '👍')
    expect(both.body.message.reactions).toEqual({ '👍': [alice.user.id, bob.user.id] })
    await react(bob, '🍕')
    const off = await react(alice, '👍')
    expect(off.body.message.reactions).toEqual({ '👍': [bob.user.id], '🍕': [bob.user.id] })
    const bad = await react(bob, 'yes')
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toMatch(/body.emoji/)
  })
})

describe('catching up on changes', () => {
  it('a client that was away fetches what changed since its version, in order, page by page', async () => {
    const id = await direct(bob, carol)
    const a = await send(bob, id, 'first')
    const b = await send(bob, id, 'second')
    const start = (await api(srv.url, 'GET', `/conversations/${id}`, { token: carol.accessToken })).body.conversation.version as number
    expect(start).toBe(0)
    await api(srv.url, 'PATCH', path(id, a.seq), { token: bob.accessToken, body: { text: 'first (edited)' } })
    await api(srv.url, 'POST', path(id, b.seq, '/reactions'), { token: carol.accessToken, body: { emoji: '🎉' } })
    await api(srv.url, 'PATCH', path(id, a.seq), { token: bob.accessToken, body: { text: 'first (edited twice)' } })
    expect((await api(srv.url, 'GET', `/conversations/${id}`, { token: carol.accessToken })).body.conversation.version).toBe(3)

    const page1 = await api(srv.url, 'GET', `/conversations/${id}/changes?since=0&limit=1`, { token: carol.accessToken })
    expect(page1.body).toMatchObject({ hasMore: true, version: 2 })
    expect(page1.body.messages.map((m: Message) => m.seq)).toEqual([b.seq])
    const page2 = await api(srv.url, 'GET', `/conversations/${id}/changes?since=${page1.body.version}`, { token: carol.accessToken })
    expect(page2.body).toMatchObject({ hasMore: false, version: 3 })
    expect(page2.body.messages.map((m: Message) => m.text)).toEqual(['first (edited twice)'])

    const socket = await online(carol)
    const viaSocket = await emitAck<ChangesPage>(socket, 'message:changes', { conversationId: id, since: 0 })
    expect(viaSocket.ok && viaSocket.data.messages.map((m) => m.version)).toEqual([2, 3])
    expect((await api(srv.url, 'GET', `/conversations/${id}/changes?since=0`, { token: alice.accessToken })).status).toBe(403)
  })

  it('works over the socket, and changes survive a restart', async () => {
    const id = await direct(alice, carol)
    const socket = await online(alice)
    const sent = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId: id, clientId: randomUUID(), text: 'draft' })
    expect(sent.ok).toBe(true)
    if (!sent.ok) return
    const seq = sent.data.message.seq
    expect(await emitAck(socket, 'message:edit', { conversationId: id, seq, text: 'final' })).toMatchObject({ ok: true, data: { message: { text: 'final' } } })
    expect(await emitAck(socket, 'message:react', { conversationId: id, seq, emoji: '✅' })).toMatchObject({ ok: true })
    expect(await emitAck(socket, 'message:react', { conversationId: id, seq, emoji: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', message: expect.stringContaining('payload.emoji') }
    })
    const other = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId: id, clientId: randomUUID(), text: 'gone soon' })
    if (!other.ok) throw new Error('send failed')
    expect(await emitAck(socket, 'message:delete', { conversationId: id, seq: other.data.message.seq })).toMatchObject({ ok: true })
    socket.close()

    await srv.stop()
    srv = await startServer({}, srv.dataDir)
    const page = await api(srv.url, 'GET', `/conversations/${id}/messages`, { token: carol.accessToken })
    const [edited, deleted] = page.body.messages as Message[]
    expect(edited).toMatchObject({ text: 'final', reactions: { '✅': [alice.user.id] }, version: 2 })
    expect(deleted).toMatchObject({ text: '', version: 3 })
    expect(deleted!.deletedAt).toBeTruthy()
  })
})
