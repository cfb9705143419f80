import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import { api, register, type TestUser } from '../helpers/http'
import { collect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'
import { recordsAtRest, startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let now = Date.now()
let alice: TestUser
let bob: TestUser
let carol: TestUser
let dave: TestUser
const pool = new SocketPool()

/** Whether a conversation's history is at rest: its directory (data-dir engine), or `text` in the database (postgres engine). */
async function historyAtRest(id: string, text: string): Promise<boolean> {
  return srv.databaseUrl ? (await recordsAtRest(srv)).includes(text) : existsSync(join(srv.dataDir, 'messages', id))
}

function online(user: TestUser): Promise<ClientSocket> {
  return pool.connect(srv.url, user.accessToken)
}

async function newGroup(owner: TestUser, members: TestUser[], title = 'Group'): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', {
    token: owner.accessToken,
    body: { kind: 'group', title, memberIds: members.map((m) => m.user.id) }
  })
  expect(res.status).toBe(201)
  return res.body.conversation.id as string
}

async function history(user: TestUser, id: string): Promise<Message[]> {
  const res = await api(srv.url, 'GET', `/conversations/${id}/messages?limit=200`, { token: user.accessToken })
  expect(res.status).toBe(200)
  return res.body.messages as Message[]
}

const systemTypes = (messages: Message[]): string[] => messages.filter((m) => m.kind === 'system').map((m) => m.system!.type)
const roles = (c: Conversation): Record<string, string> => Object.fromEntries(c.members.map((m) => [m.user.id, m.role]))

beforeAll(async () => {
  srv = await startServer({ clock: () => now, loginLimit: { windowMs: 60_000, max: 1000 } })
  ;[alice, bob, carol, dave] = (await Promise.all([1, 2, 3, 4].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser, TestUser]
})
afterEach(() => {
  pool.closeAll()
})
afterAll(() => srv.destroy())

describe('group administration', () => {
  it('an admin adds people: they get the group and its history at once, the others see who was added', async () => {
    const id = await newGroup(alice, [bob])
    const bobSocket = await online(bob)
    const carolSocket = await online(carol)
    const bobHears = collect(bobSocket, 'message:new', 1)
    const bobUpdated = collect(bobSocket, 'conversation:updated', 1)
    const carolGets = collect(carolSocket, 'conversation:new', 1)
    await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: bob.accessToken, body: { clientId: randomUUID(), text: 'before carol' } })
    await bobHears // bob's own REST send
    const bobHearsAdd = collect(bobSocket, 'message:new', 1)

    const res = await api(srv.url, 'POST', `/conversations/${id}/members`, { token: alice.accessToken, body: { userIds: [carol.user.id, bob.user.id] } })
    expect(res.status).toBe(200)
    expect(roles(res.body.conversation)).toEqual({ [alice.user.id]: 'admin', [bob.user.id]: 'member', [carol.user.id]: 'member' })
    const [{ message }] = (await bobHearsAdd) as [{ message: Message }]
    expect(message).toMatchObject({ kind: 'system', senderId: alice.user.id, system: { type: 'members_added', userIds: [carol.user.id] } })
    expect(roles((await bobUpdated)[0]!.conversation)).toHaveProperty(carol.user.id, 'member')
    expect((await carolGets)[0]!.conversation.id).toBe(id)
    expect((await history(carol, id)).map((m) => m.text)).toContain('before carol')

    // Carol now hears the group live.
    const carolHears = collect(carolSocket, 'message:new', 1)
    await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: bob.accessToken, body: { clientId: randomUUID(), text: 'hi carol' } })
    expect((await carolHears)[0]!.message.text).toBe('hi carol')
  })

  it('a removed member loses the conversation at once: no more events, no reading, no writing', async () => {
    const id = await newGroup(alice, [bob, carol])
    const carolSocket = await online(carol)
    const removed = collect(carolSocket, 'conversation:removed', 1)
    let leaked = 0
    carolSocket.on('message:new', (p) => p.message.conversationId === id && leaked++)

    const res = await api(srv.url, 'DELETE', `/conversations/${id}/members/${carol.user.id}`, { token: alice.accessToken })
    expect(res.status).toBe(204)
    expect((await removed)[0]).toEqual({ conversationId: id, reason: 'removed' })

    await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: bob.accessToken, body: { clientId: randomUUID(), text: 'after carol left' } })
    await emitAck(carolSocket, 'conversation:list', {})
    expect(leaked).toBe(0)
    expect((await api(srv.url, 'GET', `/conversations/${id}/messages`, { token: carol.accessToken })).status).toBe(403)
    const send = await emitAck(carolSocket, 'message:send', { conversationId: id, clientId: randomUUID(), text: 'still here?' })
    expect(send).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(systemTypes(await history(bob, id))).toEqual(['group_created', 'member_removed'])
  })

  it('only admins manage the group; members get 403 for every admin action', async () => {
    const id = await newGroup(alice, [bob, carol])
    const attempts = [
      api(srv.url, 'PATCH', `/conversations/${id}`, { token: bob.accessToken, body: { title: 'mine now' } }),
      api(srv.url, 'DELETE', `/conversations/${id}`, { token: bob.accessToken }),
      api(srv.url, 'POST', `/conversations/${id}/members`, { token: bob.accessToken, body: { userIds: [dave.user.id] } }),
      api(srv.url, 'DELETE', `/conversations/${id}/members/${carol.user.id}`, { token: bob.accessToken }),
      api(srv.url, 'PATCH', `/conversations/${id}/members/${bob.user.id}`, { token: bob.accessToken, body: { role: 'admin' } }),
      api(srv.url, 'GET', `/conversations/${id}/join-code`, { token: bob.accessToken }),
      api(srv.url, 'POST', `/conversations/${id}/join-code`, { token: bob.accessToken, body: {} }),
      api(srv.url, 'DELETE', `/conversations/${id}/join-code`, { token: bob.accessToken })
    ]
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    // Strangers cannot even see it.
    expect((await api(srv.url, 'PATCH', `/conversations/${id}`, { token: dave.accessToken, body: { title: 'x' } })).status).toBe(403)
    const after = (await api(srv.url, 'GET', `/conversations/${id}`, { token: alice.accessToken })).body.conversation
    expect(after.title).toBe('Group')
    expect(after.members).toHaveLength(3)
  })

  it('promotes and demotes admins, and never leaves a group without one', async () => {
    const id = await newGroup(alice, [bob])
    const promoted = await api(srv.url, 'PATCH', `/conversations/${id}/members/${bob.user.id}`, { token: alice.accessToken, body: { role: 'admin' } })
    expect(roles(promoted.body.conversation)[bob.user.id]).toBe('admin')
    // Bob, now admin, can rename; then demotes alice.
    expect((await api(srv.url, 'PATCH', `/conversations/${id}`, { token: bob.accessToken, body: { title: 'Bob runs this' } })).status).toBe(200)
    await api(srv.url, 'PATCH', `/conversations/${id}/members/${alice.user.id}`, { token: bob.accessToken, body: { role: 'member' } })
    const lastAdmin = await api(srv.url, 'PATCH', `/conversations/${id}/members/${bob.user.id}`, { token: bob.accessToken, body: { role: 'member' } })
    expect(lastAdmin.status).toBe(409)
    expect(lastAdmin.body.error.message).toMatch(/at least one admin/)
    expect(systemTypes(await history(alice, id))).toEqual(['group_created', 'role_changed', 'group_renamed', 'role_changed'])
  })

  it('renames, describes and sets an avatar, each recorded once; a no-op records nothing', async () => {
    const id = await newGroup(alice, [bob])
    const avatar = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    const res = await api(srv.url, 'PATCH', `/conversations/${id}`, {
      token: alice.accessToken,
      body: { title: 'Renamed', description: 'Our team\nline two', avatar }
    })
    expect(res.body.conversation).toMatchObject({ title: 'Renamed', description: 'Our team\nline two', avatar })
    await api(srv.url, 'PATCH', `/conversations/${id}`, { token: alice.accessToken, body: { title: 'Renamed' } })
    await api(srv.url, 'PATCH', `/conversations/${id}`, { token: alice.accessToken, body: { avatar: null } })
    const events = (await history(bob, id)).filter((m) => m.kind === 'system').map((m) => m.system)
    expect(events).toEqual([
      { type: 'group_created', title: 'Group' },
      { type: 'group_renamed', title: 'Renamed' },
      { type: 'description_changed', description: 'Our team\nline two' },
      { type: 'avatar_changed', removed: false },
      { type: 'avatar_changed', removed: true }
    ])
  })

  it('when the last admin leaves, the longest-standing member becomes admin; the last one out deletes the group', async () => {
    const id = await newGroup(alice, [bob])
    await api(srv.url, 'POST', `/conversations/${id}/members`, { token: alice.accessToken, body: { userIds: [carol.user.id] } })
    const left = await api(srv.url, 'DELETE', `/conversations/${id}/members/${alice.user.id}`, { token: alice.accessToken })
    expect(left.status).toBe(204)
    const group = (await api(srv.url, 'GET', `/conversations/${id}`, { token: bob.accessToken })).body.conversation
    expect(roles(group)).toEqual({ [bob.user.id]: 'admin', [carol.user.id]: 'member' })
    const last = (await history(bob, id)).filter((m) => m.kind === 'system').slice(-2).map((m) => m.system)
    expect(last).toEqual([
      { type: 'member_left', userId: alice.user.id },
      { type: 'role_changed', userId: bob.user.id, role: 'admin' }
    ])
    expect((await api(srv.url, 'GET', `/conversations/${id}`, { token: alice.accessToken })).status).toBe(403)

    await api(srv.url, 'DELETE', `/conversations/${id}/members/${carol.user.id}`, { token: carol.accessToken })
    await api(srv.url, 'DELETE', `/conversations/${id}/members/${bob.user.id}`, { token: bob.accessToken })
    expect((await api(srv.url, 'GET', `/conversations/${id}`, { token: bob.accessToken })).status).toBe(404)
  })

  it('an admin deletes the group: every member is told, and its history is gone from disk', async () => {
    const id = await newGroup(alice, [bob])
    const text = `soon gone ${id}`
    await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: bob.accessToken, body: { clientId: randomUUID(), text } })
    expect(await historyAtRest(id, text)).toBe(true)
    const bobSocket = await online(bob)
    const told = collect(bobSocket, 'conversation:removed', 1)
    expect((await api(srv.url, 'DELETE', `/conversations/${id}`, { token: alice.accessToken })).status).toBe(204)
    expect((await told)[0]).toEqual({ conversationId: id, reason: 'deleted' })
    expect((await api(srv.url, 'GET', `/conversations/${id}/messages`, { token: bob.accessToken })).status).toBe(404)
    const list = (await api(srv.url, 'GET', '/conversations', { token: bob.accessToken })).body.conversations
    expect(list.map((c: { id: string }) => c.id)).not.toContain(id)
    expect(await historyAtRest(id, text)).toBe(false)
  })

  it('direct chats have no admins: group actions are refused with 409', async () => {
    const direct = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: dave.user.id } })).body
      .conversation.id as string
    const res = await api(srv.url, 'POST', `/conversations/${direct}/members`, { token: alice.accessToken, body: { userIds: [bob.user.id] } })
    expect(res.status).toBe(409)
    expect((await api(srv.url, 'DELETE', `/conversations/${direct}/members/${alice.user.id}`, { token: alice.accessToken })).status).toBe(409)
  })
})

describe('join codes', () => {
  it('an admin makes a code; anyone with it joins once; a new code replaces the old; revoking ends it', async () => {
    const id = await newGroup(alice, [])
    expect((await api(srv.url, 'GET', `/conversations/${id}/join-code`, { token: alice.accessToken })).body.joinCode).toBeNull()
    const made = await api(srv.url, 'POST', `/conversations/${id}/join-code`, { token: alice.accessToken, body: {} })
    expect(made.status).toBe(201)
    const code = made.body.joinCode.code as string
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)
    expect((await api(srv.url, 'GET', `/conversations/${id}/join-code`, { token: alice.accessToken })).body.joinCode.code).toBe(code)

    // Typed loosely, as people do: lower case, with a dash and spaces.
    const loose = ` ${code.slice(0, 5).toLowerCase()}-${code.slice(5)} `
    const joined = await api(srv.url, 'POST', '/join', { token: bob.accessToken, body: { code: loose } })
    expect(joined.status).toBe(201)
    expect(joined.body.conversation.id).toBe(id)
    expect((await api(srv.url, 'POST', '/join', { token: bob.accessToken, body: { code } })).status).toBe(200)
    expect((await api(srv.url, 'GET', `/conversations/${id}/join-code`, { token: alice.accessToken })).body.joinCode.uses).toBe(1)

    const regenerated = await api(srv.url, 'POST', `/conversations/${id}/join-code`, { token: alice.accessToken, body: {} })
    const fresh = regenerated.body.joinCode.code as string
    expect(fresh).not.toBe(code)
    const old = await api(srv.url, 'POST', '/join', { token: carol.accessToken, body: { code } })
    expect(old.status).toBe(404)
    expect(old.body.error.message).toMatch(/revoked, replaced, or mistyped/)

    expect((await api(srv.url, 'DELETE', `/conversations/${id}/join-code`, { token: alice.accessToken })).status).toBe(204)
    expect((await api(srv.url, 'POST', '/join', { token: carol.accessToken, body: { code: fresh } })).status).toBe(404)
    const events = (await history(alice, id)).filter((m) => m.kind === 'system').map((m) => m.system)
    expect(events).toEqual([
      { type: 'group_created', title: 'Group' },
      { type: 'join_code_changed', enabled: true },
      { type: 'member_joined', userId: bob.user.id, via: 'join_code' },
      { type: 'join_code_changed', enabled: true },
      { type: 'join_code_changed', enabled: false }
    ])
  })

  it('an expired or used-up code says so (410)', async () => {
    const id = await newGroup(alice, [])
    const timed = (await api(srv.url, 'POST', `/conversations/${id}/join-code`, { token: alice.accessToken, body: { expiresInSeconds: 60 } })).body
      .joinCode
    expect(Date.parse(timed.expiresAt) - Date.parse(timed.createdAt)).toBe(60_000)
    now += 61_000
    const expired = await api(srv.url, 'POST', '/join', { token: carol.accessToken, body: { code: timed.code } })
    expect(expired.status).toBe(410)
    expect(expired.body.error).toMatchObject({ code: 'join_code_expired' })
    expect(expired.body.error.message).toMatch(/expired/)

    const once = (await api(srv.url, 'POST', `/conversations/${id}/join-code`, { token: alice.accessToken, body: { maxUses: 1 } })).body.joinCode
    expect((await api(srv.url, 'POST', '/join', { token: carol.accessToken, body: { code: once.code } })).status).toBe(201)
    const usedUp = await api(srv.url, 'POST', '/join', { token: dave.accessToken, body: { code: once.code } })
    expect(usedUp.status).toBe(410)
    expect(usedUp.body.error.message).toMatch(/used as many times/)
  })

  it('a member who joined by code is announced to the members online', async () => {
    const id = await newGroup(alice, [bob])
    const code = (await api(srv.url, 'POST', `/conversations/${id}/join-code`, { token: alice.accessToken, body: {} })).body.joinCode.code as string
    const bobSocket = await online(bob)
    const daveSocket = await online(dave)
    const bobHears = collect(bobSocket, 'message:new', 1)
    const daveGets = collect(daveSocket, 'conversation:new', 1)
    await api(srv.url, 'POST', '/join', { token: dave.accessToken, body: { code } })
    expect((await bobHears)[0]!.message.system).toEqual({ type: 'member_joined', userId: dave.user.id, via: 'join_code' })
    expect((await daveGets)[0]!.conversation.id).toBe(id)
  })
})
