// Drafts on the server (both engines): newest wins by the time typed, other
// devices hear draft:updated, a sent message empties the draft on every
// device, only members keep drafts, and leaving drops them.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AuthResponse } from '../../src/shared/schemas/auth'
import type { Draft } from '../../src/shared/schemas/drafts'
import { MAX_DRAFTS_PER_USER } from '../../server/services/drafts.service'
import { record } from '../helpers/events'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'

let srv: TestServer
const pool = new SocketPool()

beforeAll(async () => {
  srv = await startServer()
})
afterEach(() => pool.closeAll())
afterAll(() => srv.destroy())

/** A second device of the same user: its own session. */
async function secondDevice(user: TestUser): Promise<string> {
  const res = await api<AuthResponse>(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
  return res.body.accessToken
}

async function group(owner: TestUser, others: TestUser[]): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', {
    token: owner.accessToken,
    body: { kind: 'group', title: 'Drafts', memberIds: others.map((u) => u.user.id) }
  })
  return res.body.conversation.id as string
}

const put = (token: string, conversationId: string, body: Record<string, unknown>) =>
  api(srv.url, 'PUT', `/drafts/${conversationId}`, { token, body })
const list = async (token: string): Promise<Draft[]> => (await api<{ drafts: Draft[] }>(srv.url, 'GET', '/drafts', { token })).body.drafts
const at = (ms: number): string => new Date(Date.UTC(2026, 0, 1) + ms).toISOString()
const roundTrip = async (s: ClientSocket): Promise<void> => {
  expect((await emitAck(s, 'presence:list', {})).ok).toBe(true)
}

describe('drafts', () => {
  it('keeps one draft per conversation and thread, newest by the time typed', async () => {
    const alice = await register(srv.url)
    const conversationId = await group(alice, [])
    await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: 'root' } })

    const first = await put(alice.accessToken, conversationId, { text: 'Hello wor', updatedAt: at(1000) })
    expect(first.status).toBe(200)
    expect(first.body.draft).toEqual({ conversationId, threadRoot: null, text: 'Hello wor', replyTo: null, updatedAt: at(1000) })
    await put(alice.accessToken, conversationId, { threadRoot: 2, text: 'in the thread', replyTo: 2, updatedAt: at(1500) })
    // An older write arriving late is ignored and answered with the one kept.
    const stale = await put(alice.accessToken, conversationId, { text: 'Hel', updatedAt: at(500) })
    expect(stale.body.draft.text).toBe('Hello wor')
    // An offset is another spelling of the same instant: stored in one.
    const newer = await put(alice.accessToken, conversationId, { text: 'Hello world', updatedAt: '2026-01-01T01:00:02.000+01:00' })
    expect(newer.body.draft).toMatchObject({ text: 'Hello world', updatedAt: at(2000) })

    const drafts = await list(alice.accessToken)
    expect(drafts.sort((a, b) => (a.threadRoot ?? 0) - (b.threadRoot ?? 0))).toEqual([
      { conversationId, threadRoot: null, text: 'Hello world', replyTo: null, updatedAt: at(2000) },
      { conversationId, threadRoot: 2, text: 'in the thread', replyTo: 2, updatedAt: at(1500) }
    ])

    // An empty text without a reply deletes it; a copy typed before cannot bring it back.
    await put(alice.accessToken, conversationId, { text: '', updatedAt: at(3000) })
    await put(alice.accessToken, conversationId, { text: 'Hello world', updatedAt: at(2000) })
    const del = await api(srv.url, 'DELETE', `/drafts/${conversationId}?threadRoot=2`, { token: alice.accessToken })
    expect(del.status).toBe(204)
    expect(await list(alice.accessToken)).toEqual([])
  })

  it("tells the user's other devices, not the one that wrote it, nor anyone else", async () => {
    const [alice, bob] = await Promise.all([register(srv.url), register(srv.url)])
    const conversationId = await group(alice, [bob])
    const laptop = await pool.connect(srv.url, alice.accessToken)
    const phone = await pool.connect(srv.url, await secondDevice(alice))
    const bobSocket = await pool.connect(srv.url, bob.accessToken)
    const heard = { laptop: record(laptop, 'draft:updated'), bob: record(bobSocket, 'draft:updated') }
    const onPhone = collect(phone, 'draft:updated', 1)

    await put(alice.accessToken, conversationId, { text: 'see you at', updatedAt: at(1000) })
    expect((await onPhone)[0]!.draft).toMatchObject({ conversationId, text: 'see you at' })
    // A write that lost (older) tells nobody.
    await put(alice.accessToken, conversationId, { text: 'see', updatedAt: at(10) })
    await Promise.all([roundTrip(laptop), roundTrip(bobSocket), roundTrip(phone)])
    expect(heard.laptop).toEqual([])
    expect(heard.bob).toEqual([])
  })

  it('is emptied on every device when a message is sent from it, by REST or socket', async () => {
    const alice = await register(srv.url)
    const conversationId = await group(alice, [])
    const laptop = await pool.connect(srv.url, alice.accessToken)
    const phone = await pool.connect(srv.url, await secondDevice(alice))

    await put(alice.accessToken, conversationId, { text: 'almost done', replyTo: null, updatedAt: at(1000) })
    const both = Promise.all([collect(laptop, 'draft:updated', 1), collect(phone, 'draft:updated', 1)])
    const sent = await emitAck(laptop, 'message:send', { conversationId, clientId: randomUUID(), text: 'almost done' })
    expect(sent.ok).toBe(true)
    for (const [event] of await both) expect(event!.draft).toEqual({ conversationId, threadRoot: null, text: '', replyTo: null, updatedAt: at(1000) })
    expect(await list(alice.accessToken)).toEqual([])

    // Typed again after the send (later on the same clock): kept, and a REST send empties it too.
    await put(alice.accessToken, conversationId, { text: 'one more', updatedAt: at(2000) })
    expect((await list(alice.accessToken)).map((d) => d.text)).toEqual(['one more'])
    await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: 'one more' } })
    expect(await list(alice.accessToken)).toEqual([])
  })

  it('is only for members, and the drafts of a conversation one leaves are dropped', async () => {
    const [alice, bob, outsider] = await Promise.all([register(srv.url), register(srv.url), register(srv.url)])
    const conversationId = await group(alice, [bob])
    const refused = await put(outsider.accessToken, conversationId, { text: 'let me in', updatedAt: at(1) })
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('forbidden')
    expect((await put(outsider.accessToken, randomUUID(), { text: 'x', updatedAt: at(1) })).status).toBe(404)
    const noRoot = await put(bob.accessToken, conversationId, { threadRoot: 99, text: 'x', updatedAt: at(1) })
    expect(noRoot.status).toBe(404)
    expect(noRoot.body.error.message).toMatch(/thread root/)

    await put(bob.accessToken, conversationId, { text: 'bye all', updatedAt: at(1) })
    expect(await list(bob.accessToken)).toHaveLength(1)
    expect((await api(srv.url, 'DELETE', `/conversations/${conversationId}/members/${bob.user.id}`, { token: bob.accessToken })).status).toBe(204)
    expect(await list(bob.accessToken)).toEqual([])
    // Back in the group: the old draft does not come back.
    await api(srv.url, 'POST', `/conversations/${conversationId}/members`, { token: alice.accessToken, body: { userIds: [bob.user.id] } })
    expect(await list(bob.accessToken)).toEqual([])
  })

  it(`refuses a new draft past ${MAX_DRAFTS_PER_USER} with a message naming the limit`, async () => {
    const alice = await register(srv.url)
    const conversationId = await group(alice, [])
    for (let i = 0; i < MAX_DRAFTS_PER_USER; i++) {
      await api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: `m${i}` } })
    }
    for (let root = 2; root < MAX_DRAFTS_PER_USER + 1; root++) await put(alice.accessToken, conversationId, { threadRoot: root, text: 'x', updatedAt: at(1) })
    await put(alice.accessToken, conversationId, { text: 'main', updatedAt: at(1) })
    const over = await put(alice.accessToken, conversationId, { threadRoot: MAX_DRAFTS_PER_USER + 1, text: 'x', updatedAt: at(1) })
    expect(over.status).toBe(409)
    expect(over.body.error.message).toMatch(new RegExp(`${MAX_DRAFTS_PER_USER} drafts`))
    // Changing one kept is still allowed.
    expect((await put(alice.accessToken, conversationId, { text: 'main, changed', updatedAt: at(2) })).status).toBe(200)
  })
})
