// Typing indicators over real sockets: relayed to the conversation's other
// members only, stopped by a timeout or a disconnect, refused to non-members,
// limited against floods. Waits on events; "nothing arrived" is asserted after
// a round trip on the socket that should not have heard.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { TypingStarted } from '../../src/shared/schemas/presence'
import { CHANGES_PER_WINDOW, DEFAULT_TYPING_TIMEOUT_MS } from '../../server/realtime/presence-hub'
import { record } from '../helpers/events'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collect, connect, emitAck, SocketPool, type ClientSocket } from '../helpers/socket'

/** Short, so the timeout test waits little; the other servers keep the default. */
const SHORT_TIMEOUT_MS = 300

let srv: TestServer
const pool = new SocketPool()

function online(user: TestUser, server = srv): Promise<ClientSocket> {
  return pool.connect(server.url, user.accessToken)
}

const people = (n: number, server = srv): Promise<TestUser[]> => Promise.all(Array.from({ length: n }, () => register(server.url)))

async function conversation(owner: TestUser, others: TestUser[], server = srv): Promise<string> {
  const body =
    others.length === 1
      ? { kind: 'direct', userId: others[0]!.user.id }
      : { kind: 'group', title: 'Typing', memberIds: others.map((u) => u.user.id) }
  const res = await api(server.url, 'POST', '/conversations', { token: owner.accessToken, body })
  return res.body.conversation.id as string
}

const start = (s: ClientSocket, conversationId: string) => emitAck<TypingStarted>(s, 'typing:start', { conversationId })
const stop = (s: ClientSocket, conversationId: string) => emitAck(s, 'typing:stop', { conversationId })
/** A round trip: everything the server sent this socket before it is now received. */
const roundTrip = async (s: ClientSocket): Promise<void> => {
  expect((await emitAck(s, 'presence:list', {})).ok).toBe(true)
}

beforeAll(async () => {
  srv = await startServer()
})
afterEach(() => {
  pool.closeAll()
})
afterAll(() => srv.destroy())

describe('typing', () => {
  it("is relayed to the other members' devices, not to the typist's own devices nor to outsiders", async () => {
    const [alice, bob, carol, outsider] = (await people(4)) as [TestUser, TestUser, TestUser, TestUser]
    const conversationId = await conversation(alice, [bob, carol])
    const laptop = await online(alice)
    const phone = await online(alice)
    const bobSocket = await online(bob)
    const carolSocket = await online(carol)
    const outsiderSocket = await online(outsider)
    const heard = new Map([laptop, phone, bobSocket, carolSocket, outsiderSocket].map((s) => [s, record(s, 'typing:update')]))

    const toBob = collect(bobSocket, 'typing:update', 1)
    const toCarol = collect(carolSocket, 'typing:update', 1)
    expect(await start(laptop, conversationId)).toEqual({ ok: true, data: { timeoutMs: DEFAULT_TYPING_TIMEOUT_MS } })
    const typing = { conversationId, userId: alice.user.id, typing: true }
    expect(await toBob).toEqual([typing])
    expect(await toCarol).toEqual([typing])

    // Renewals and a second device typing too tell no one: Alice already types.
    for (let i = 0; i < 3; i++) expect((await start(laptop, conversationId)).ok).toBe(true)
    expect((await start(phone, conversationId)).ok).toBe(true)
    // She types until both devices stopped.
    expect(await stop(laptop, conversationId)).toEqual({ ok: true, data: {} })
    const stoppedBob = collect(bobSocket, 'typing:update', 1)
    expect((await stop(phone, conversationId)).ok).toBe(true)
    expect(await stoppedBob).toEqual([{ ...typing, typing: false }])
    // Stopping again changes nothing.
    expect((await stop(phone, conversationId)).ok).toBe(true)

    // Bob typing reaches both of Alice's devices.
    const onLaptop = collect(laptop, 'typing:update', 1)
    const onPhone = collect(phone, 'typing:update', 1)
    await start(bobSocket, conversationId)
    const bobTyping = { conversationId, userId: bob.user.id, typing: true }
    expect(await onLaptop).toEqual([bobTyping])
    expect(await onPhone).toEqual([bobTyping])

    for (const s of heard.keys()) await roundTrip(s)
    expect(heard.get(bobSocket)).toEqual([typing, { ...typing, typing: false }])
    expect(heard.get(carolSocket)).toEqual([typing, { ...typing, typing: false }, bobTyping])
    expect(heard.get(laptop)).toEqual([bobTyping])
    expect(heard.get(phone)).toEqual([bobTyping])
    expect(heard.get(outsiderSocket)).toEqual([])
  })

  it('stops by itself when the typist does not renew it in time', async () => {
    const quick = await startServer({ typingTimeoutMs: SHORT_TIMEOUT_MS })
    try {
      const [alice, bob] = (await people(2, quick)) as [TestUser, TestUser]
      const conversationId = await conversation(alice, [bob], quick)
      const aliceSocket = await online(alice, quick)
      const bobSocket = await online(bob, quick)
      const both = collect(bobSocket, 'typing:update', 2)
      expect(await start(aliceSocket, conversationId)).toEqual({ ok: true, data: { timeoutMs: SHORT_TIMEOUT_MS } })
      const startedAt = Date.now()
      const updates = await both
      const elapsed = Date.now() - startedAt
      expect(updates).toEqual([
        { conversationId, userId: alice.user.id, typing: true },
        { conversationId, userId: alice.user.id, typing: false }
      ])
      // Measured from the ack, which left the server just after the timer was set.
      expect(elapsed).toBeGreaterThanOrEqual(SHORT_TIMEOUT_MS - 50)
      // After a timeout a new start is a new start: the others hear it.
      const again = collect(bobSocket, 'typing:update', 1)
      await start(aliceSocket, conversationId)
      expect((await again)[0]!.typing).toBe(true)
    } finally {
      await quick.destroy()
    }
  })

  it('stops at once when the typing device disconnects', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    const conversationId = await conversation(alice, [bob])
    const aliceSocket = await online(alice)
    const bobSocket = await online(bob)
    const started = collect(bobSocket, 'typing:update', 1)
    await start(aliceSocket, conversationId)
    await started
    // Far sooner than the 6 s timeout.
    const stopped = collect(bobSocket, 'typing:update', 1, DEFAULT_TYPING_TIMEOUT_MS / 2)
    const closedAt = Date.now()
    aliceSocket.close()
    expect(await stopped).toEqual([{ conversationId, userId: alice.user.id, typing: false }])
    expect(Date.now() - closedAt).toBeLessThan(DEFAULT_TYPING_TIMEOUT_MS / 2)
  })

  it('is refused to non-members and for unknown conversations; members hear nothing', async () => {
    const [alice, bob, outsider] = (await people(3)) as [TestUser, TestUser, TestUser]
    const conversationId = await conversation(alice, [bob])
    const bobSocket = await online(bob)
    const outsiderSocket = await online(outsider)
    const heard = record(bobSocket, 'typing:update')
    expect(await start(outsiderSocket, conversationId)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await stop(outsiderSocket, conversationId)).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(await start(outsiderSocket, randomUUID())).toMatchObject({ ok: false, error: { code: 'not_found' } })
    await roundTrip(bobSocket)
    expect(heard).toEqual([])
  })

  it('a client cannot flood: renewals are coalesced and new starts are limited', async () => {
    const [alice, bob] = (await people(2)) as [TestUser, TestUser]
    const conversationId = await conversation(alice, [bob])
    const aliceSocket = await online(alice)
    const bobSocket = await online(bob)
    const heard = collect(bobSocket, 'typing:update', 2 * CHANGES_PER_WINDOW)
    for (let i = 0; i < CHANGES_PER_WINDOW; i++) {
      expect((await start(aliceSocket, conversationId)).ok).toBe(true)
      // Renewals in between cost nothing and are not counted.
      expect((await start(aliceSocket, conversationId)).ok).toBe(true)
      expect((await stop(aliceSocket, conversationId)).ok).toBe(true)
    }
    const updates = await heard
    expect(updates.map((u) => u.typing)).toEqual(Array.from({ length: 2 * CHANGES_PER_WINDOW }, (_, i) => i % 2 === 0))
    const refused = await start(aliceSocket, conversationId)
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } })
    // The limit is per session (a device keeps it across reconnections): another device of hers still may.
    const signedIn = await api(srv.url, 'POST', '/auth/login', { body: { username: alice.user.username, password: alice.password } })
    expect(signedIn.status).toBe(200)
    const other = await pool.connect(srv.url, signedIn.body.accessToken as string)
    const more = collect(bobSocket, 'typing:update', 1)
    expect((await start(other, conversationId)).ok).toBe(true)
    expect((await more)[0]!.typing).toBe(true)
  })
})

describe('typing events refuse bad payloads with an ack error naming the field', () => {
  let socket: ClientSocket
  beforeAll(async () => {
    const [user] = (await people(1)) as [TestUser]
    socket = await connect(srv.url, user.accessToken)
  })
  afterAll(() => {
    socket.close()
  })

  const cases = (['typing:start', 'typing:stop'] as const).flatMap((event) => [
    { name: `${event}: empty object`, event, args: [{}], field: 'conversationId' },
    { name: `${event}: conversationId not a UUID`, event, args: [{ conversationId: 'general' }], field: 'conversationId' },
    { name: `${event}: conversationId a number`, event, args: [{ conversationId: 7 }], field: 'conversationId' },
    { name: `${event}: unknown field`, event, args: [{ conversationId: randomUUID(), typing: true }], field: 'typing' },
    { name: `${event}: payload a string`, event, args: [randomUUID()], field: 'payload' },
    { name: `${event}: payload null`, event, args: [null], field: 'payload' },
    { name: `${event}: no payload`, event, args: [], field: 'payload' }
  ])

  it.for(cases)('$name', async (c) => {
    const result = await emitAck(socket, c.event, ...c.args)
    expect(result).toEqual({ ok: false, error: { code: 'validation_failed', message: expect.stringContaining(c.field) } })
    expect(socket.connected).toBe(true)
  })
})
