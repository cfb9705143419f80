// Presence over real sockets: several devices, last seen (kept across a
// restart, hideable), away, and who is told (only people who share a
// conversation). Waits on events; "nothing arrived" is asserted after a round
// trip on the socket that should not have heard.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/errors'
import { PRESENCE_LIST_MAX, type Presence, type PresenceList } from '../../src/shared/schemas/presence'
import { CHANGES_PER_WINDOW } from '../../server/realtime/presence-hub'
import { collectWhere, record } from '../helpers/events'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collect, connect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'

let srv: TestServer
const pool = new SocketPool()

function online(user: TestUser, server = srv): Promise<ClientSocket> {
  return pool.connect(server.url, user.accessToken)
}

const people = (n: number, server = srv): Promise<TestUser[]> => Promise.all(Array.from({ length: n }, () => register(server.url)))

async function chat(a: TestUser, b: TestUser, server = srv): Promise<string> {
  const res = await api(server.url, 'POST', '/conversations', { token: a.accessToken, body: { kind: 'direct', userId: b.user.id } })
  return res.body.conversation.id as string
}

async function group(owner: TestUser, others: TestUser[]): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', {
    token: owner.accessToken,
    body: { kind: 'group', title: 'Presence', memberIds: others.map((u) => u.user.id) }
  })
  return res.body.conversation.id as string
}

async function list(socket: ClientSocket, payload: { userIds?: string[] }): Promise<Presence[]> {
  const res = await emitAck<PresenceList>(socket, 'presence:list', payload)
  if (!res.ok) throw new Error(JSON.stringify(res.error))
  return res.data.presence
}

async function setStatus(socket: ClientSocket, status: string): Promise<Result<{ status: string }>> {
  return emitAck<{ status: string }>(socket, 'presence:set', { status })
}

async function hideLastSeen(user: TestUser, hide: boolean): Promise<void> {
  const res = await api(srv.url, 'PATCH', '/me', { token: user.accessToken, body: { hideLastSeen: hide } })
  expect(res.status).toBe(200)
  expect(res.body.user.hideLastSeen).toBe(hide)
}

/** The next `count` presence updates about one user that a socket hears. */
const about = (socket: ClientSocket, user: TestUser, count = 1): Promise<Presence[]> =>
  collectWhere(socket, 'presence:update', count, (p) => p.userId === user.user.id)

const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/)

beforeAll(async () => {
  srv = await startServer()
})
afterEach(() => {
  pool.closeAll()
})
afterAll(() => srv.destroy())

describe('presence', () => {
  it('a user is online while any device is connected and offline, with a last seen, after the last one goes', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    const conversationId = await chat(alice, bob)
    const watcher = await online(bob)
    expect(await list(watcher, { userIds: [alice.user.id] })).toEqual([{ userId: alice.user.id, status: 'offline', lastSeenAt: null }])

    const cameOnline = collect(watcher, 'presence:update', 1)
    const laptop = await online(alice)
    expect((await cameOnline)[0]).toEqual({ userId: alice.user.id, status: 'online', lastSeenAt: null })

    const updates = record(watcher, 'presence:update')
    const phone = await online(alice)
    // The laptop types, so the server's handling of its disconnect is visible to bob (typing stops at once).
    const typingStarted = collect(watcher, 'typing:update', 1)
    expect((await emitAck(laptop, 'typing:start', { conversationId })).ok).toBe(true)
    await typingStarted
    const typingStopped = collect(watcher, 'typing:update', 1)
    laptop.close()
    expect((await typingStopped)[0]).toEqual({ conversationId, userId: alice.user.id, typing: false })
    expect(updates).toEqual([])
    expect(await list(watcher, { userIds: [alice.user.id] })).toEqual([{ userId: alice.user.id, status: 'online', lastSeenAt: null }])

    const before = Date.now()
    const wentOffline = collect(watcher, 'presence:update', 1)
    phone.close()
    const [offline] = await wentOffline
    expect(offline).toEqual({ userId: alice.user.id, status: 'offline', lastSeenAt: isoTime })
    const seen = Date.parse(offline!.lastSeenAt!)
    expect(seen).toBeGreaterThanOrEqual(before - 1000)
    expect(seen).toBeLessThanOrEqual(Date.now())
    expect(await list(watcher, { userIds: [alice.user.id] })).toEqual([offline])
  })

  it('the last seen survives a restart of the server', async () => {
    const first = await startServer()
    try {
      const [alice, bob] = (await people(2, first)) as [TestUser, TestUser]
      await chat(alice, bob, first)
      const watcher = await online(bob, first)
      const cameOnline = about(watcher, alice)
      const device = await online(alice, first)
      await cameOnline
      const wentOffline = about(watcher, alice)
      device.close()
      const [{ lastSeenAt }] = (await wentOffline) as [Presence]
      expect(lastSeenAt).toEqual(isoTime)
      watcher.close()
      await first.stop()

      const second = await startServer({}, first.dataDir)
      try {
        const again = await online(bob, second)
        expect(await list(again, { userIds: [alice.user.id] })).toEqual([{ userId: alice.user.id, status: 'offline', lastSeenAt }])
      } finally {
        await second.stop()
      }
    } finally {
      await first.destroy()
    }
  })

  it('someone who hides their last seen shows none, and sees no one else’s; their status stays visible', async () => {
    const [alice, bob, carol, dave] = (await people(4)) as [TestUser, TestUser, TestUser, TestUser]
    await group(alice, [bob, carol, dave])
    await hideLastSeen(alice, true)
    await hideLastSeen(carol, true)
    const me = await api(srv.url, 'GET', '/me', { token: alice.accessToken })
    expect(me.body.user).toMatchObject({ id: alice.user.id, hideLastSeen: true })
    const bobSocket = await online(bob)
    const carolSocket = await online(carol)
    const daveSocket = await online(dave)

    // Alice hides hers: everyone sees her come and go, nobody sees when.
    const toBob = about(bobSocket, alice, 2)
    const aliceSocket = await online(alice)
    aliceSocket.close()
    expect(await toBob).toEqual([
      { userId: alice.user.id, status: 'online', lastSeenAt: null },
      { userId: alice.user.id, status: 'offline', lastSeenAt: null }
    ])
    expect(await list(daveSocket, { userIds: [alice.user.id] })).toEqual([{ userId: alice.user.id, status: 'offline', lastSeenAt: null }])

    // Bob shows his, but Carol hides hers, so she does not see his; Dave does.
    const toCarol = about(carolSocket, bob)
    const toDave = about(daveSocket, bob)
    bobSocket.close()
    const [seenByDave] = await toDave
    expect(seenByDave).toEqual({ userId: bob.user.id, status: 'offline', lastSeenAt: isoTime })
    expect((await toCarol)[0]).toEqual({ userId: bob.user.id, status: 'offline', lastSeenAt: null })
    expect(await list(carolSocket, { userIds: [bob.user.id] })).toEqual([{ userId: bob.user.id, status: 'offline', lastSeenAt: null }])

    // Showing it again reveals the real times, which were kept all along.
    await hideLastSeen(carol, false)
    expect(await list(carolSocket, { userIds: [bob.user.id] })).toEqual([seenByDave])
    await hideLastSeen(alice, false)
    const [aliceSeen] = await list(daveSocket, { userIds: [alice.user.id] })
    expect(aliceSeen).toEqual({ userId: alice.user.id, status: 'offline', lastSeenAt: isoTime })
  })

  it('away is reported by the client; a user is away only when every device is', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    await chat(alice, bob)
    const watcher = await online(bob)
    const cameOnline = about(watcher, alice)
    const laptop = await online(alice)
    const phone = await online(alice)
    await cameOnline
    const updates = record(watcher, 'presence:update')

    expect(await setStatus(laptop, 'away')).toEqual({ ok: true, data: { status: 'online' } })
    expect(await list(watcher, { userIds: [alice.user.id] })).toEqual([{ userId: alice.user.id, status: 'online', lastSeenAt: null }])
    expect(updates).toEqual([])

    const away = collect(watcher, 'presence:update', 1)
    expect(await setStatus(phone, 'away')).toEqual({ ok: true, data: { status: 'away' } })
    expect((await away)[0]).toEqual({ userId: alice.user.id, status: 'away', lastSeenAt: null })
    // Saying it again changes nothing and tells no one.
    expect(await setStatus(phone, 'away')).toEqual({ ok: true, data: { status: 'away' } })

    const back = collect(watcher, 'presence:update', 1)
    expect(await setStatus(laptop, 'online')).toEqual({ ok: true, data: { status: 'online' } })
    expect((await back)[0]).toEqual({ userId: alice.user.id, status: 'online', lastSeenAt: null })
    await list(watcher, {})
    expect(updates.map((u) => u.status)).toEqual(['away', 'online'])
  })

  it('only people who share a conversation are told or can ask; a new conversation makes a new contact', async () => {
    const [alice, bob, stranger] = (await people(3)) as [TestUser, TestUser, TestUser]
    await chat(alice, bob)
    const bobSocket = await online(bob)
    const strangerSocket = await online(stranger)
    const leaked = record(strangerSocket, 'presence:update')

    const toBob = collect(bobSocket, 'presence:update', 3)
    const aliceSocket = await online(alice)
    await setStatus(aliceSocket, 'away')
    aliceSocket.close()
    expect((await toBob).map((u) => u.status)).toEqual(['online', 'away', 'offline'])
    expect(await list(strangerSocket, { userIds: [alice.user.id, bob.user.id] })).toEqual([])
    expect(await list(strangerSocket, {})).toEqual([])
    expect(leaked).toEqual([])

    // Without userIds: everyone the caller shares a conversation with, and no one else.
    expect((await list(bobSocket, {})).map((p) => p.userId)).toEqual([alice.user.id])
    // Asking for oneself is allowed.
    expect(await list(bobSocket, { userIds: [bob.user.id] })).toEqual([{ userId: bob.user.id, status: 'online', lastSeenAt: null }])

    await chat(stranger, alice)
    const nowKnown = collect(strangerSocket, 'presence:update', 1)
    await online(alice)
    expect((await nowKnown)[0]).toEqual({ userId: alice.user.id, status: 'online', lastSeenAt: null })
  })

  it('a client cannot flood its contacts with status changes', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    await chat(alice, bob)
    const watcher = await online(bob)
    const cameOnline = about(watcher, alice)
    const device = await online(alice)
    await cameOnline
    const heard = collect(watcher, 'presence:update', CHANGES_PER_WINDOW)
    for (let i = 0; i < CHANGES_PER_WINDOW; i++) {
      expect((await setStatus(device, i % 2 === 0 ? 'away' : 'online')).ok).toBe(true)
    }
    expect(await heard).toHaveLength(CHANGES_PER_WINDOW)
    const refused = await setStatus(device, 'away')
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } })
    // Repeating the current status is not a change, so it is still answered.
    expect(await setStatus(device, 'online')).toEqual({ ok: true, data: { status: 'online' } })
  })

  it('PATCH /me refuses a hideLastSeen that is not a boolean, naming the field', async () => {
    const [alice] = (await people(1)) as [TestUser]
    const res = await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: { hideLastSeen: 'yes' } })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining('hideLastSeen') })
  })
})

describe('presence events refuse bad payloads with an ack error naming the field', () => {
  let socket: ClientSocket
  beforeAll(async () => {
    const [user] = (await people(1)) as [TestUser]
    socket = await connect(srv.url, user.accessToken)
  })
  afterAll(() => {
    socket.close()
  })

  const tooMany = Array.from({ length: PRESENCE_LIST_MAX + 1 }, () => randomUUID())
  const cases: { name: string; event: string; args: unknown[]; field: string }[] = [
    { name: 'set: empty object', event: 'presence:set', args: [{}], field: 'status' },
    { name: 'set: unknown status', event: 'presence:set', args: [{ status: 'busy' }], field: 'status' },
    { name: 'set: offline (the server decides that)', event: 'presence:set', args: [{ status: 'offline' }], field: 'status' },
    { name: 'set: status a number', event: 'presence:set', args: [{ status: 1 }], field: 'status' },
    { name: 'set: unknown field', event: 'presence:set', args: [{ status: 'away', until: 5 }], field: 'until' },
    { name: 'set: payload a string', event: 'presence:set', args: ['away'], field: 'payload' },
    { name: 'set: no payload', event: 'presence:set', args: [], field: 'payload' },
    { name: 'list: userIds a string', event: 'presence:list', args: [{ userIds: 'all' }], field: 'userIds' },
    { name: 'list: a user id not a UUID', event: 'presence:list', args: [{ userIds: ['bob'] }], field: 'userIds.0' },
    { name: 'list: too many user ids', event: 'presence:list', args: [{ userIds: tooMany }], field: 'userIds' },
    { name: 'list: unknown field', event: 'presence:list', args: [{ ids: [] }], field: 'ids' },
    { name: 'list: payload null', event: 'presence:list', args: [null], field: 'payload' },
    { name: 'list: no payload', event: 'presence:list', args: [], field: 'payload' }
  ]

  it.for(cases)('$name', async (c) => {
    const result = await emitAck(socket, c.event, ...c.args)
    expect(result).toEqual({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining(c.field) } })
    expect(socket.connected).toBe(true)
  })
})
