// Issue 20: pinned and saved messages through REST and the socket, on both
// engines (the -pg project runs this file on PostgreSQL).
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import type { Pin } from '../../src/shared/schemas/pins'
import { PINS_MAX } from '../../src/shared/schemas/pins'
import type { SavedItem } from '../../src/shared/schemas/saved'
import { api, register, type TestUser } from '../helpers/http'
import { collect, SocketPool, type ClientSocket } from '../helpers/socket'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
const pool = new SocketPool()

const online = (user: TestUser): Promise<ClientSocket> => pool.connect(srv.url, user.accessToken)
const call = (user: TestUser, method: string, path: string, body?: unknown) =>
  api(srv.url, method, path, { token: user.accessToken, ...(body === undefined ? {} : { body }) })

async function group(admin: TestUser, ...others: TestUser[]): Promise<string> {
  const res = await call(admin, 'POST', '/conversations', { kind: 'group', title: 'team', memberIds: others.map((u) => u.user.id) })
  return res.body.conversation.id as string
}

async function direct(a: TestUser, b: TestUser): Promise<string> {
  return (await call(a, 'POST', '/conversations', { kind: 'direct', userId: b.user.id })).body.conversation.id as string
}

async function send(user: TestUser, conversationId: string, text: string): Promise<Message> {
  const res = await call(user, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), text })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.message as Message
}

const pinPath = (id: string, seq: number): string => `/conversations/${id}/pins/${seq}`

beforeAll(async () => {
  srv = await startServer()
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
})
afterEach(() => pool.closeAll())
afterAll(() => srv.destroy())

describe('pins', () => {
  it('a group admin pins: members get the system message and the whole list; the list says who and when', async () => {
    const id = await group(alice, bob)
    const m = await send(bob, id, 'the release is on friday')
    const bobSocket = await online(bob)
    const heardPins = collect(bobSocket, 'pins:updated', 1)
    const heardNew = collect(bobSocket, 'message:new', 1)
    const res = await call(alice, 'PUT', pinPath(id, m.seq))
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const pins = res.body.pins as Pin[]
    expect(pins).toHaveLength(1)
    expect(pins[0]).toMatchObject({ conversationId: id, seq: m.seq, pinnedBy: alice.user.id, message: { text: 'the release is on friday' } })
    expect(pins[0]!.pinnedAt).toEqual(expect.any(String))
    expect((await heardPins)[0]).toEqual({ conversationId: id, pins })
    expect((await heardNew)[0]!.message).toMatchObject({ kind: 'system', senderId: alice.user.id, system: { type: 'message_pinned', seq: m.seq, pinned: true } })
    expect((await call(bob, 'GET', `/conversations/${id}/pins`)).body).toEqual({ pins })
  })

  it('pinning twice adds no second pin and no second system message; unpinning tells everyone', async () => {
    const id = await group(alice, bob)
    const m = await send(alice, id, 'pin me')
    await call(alice, 'PUT', pinPath(id, m.seq))
    const again = await call(alice, 'PUT', pinPath(id, m.seq))
    expect(again.status).toBe(200)
    expect(again.body.pins).toHaveLength(1)
    const history = (await call(alice, 'GET', `/conversations/${id}/messages`)).body.messages as Message[]
    expect(history.filter((x) => x.system?.type === 'message_pinned')).toHaveLength(1)

    const bobSocket = await online(bob)
    const heard = collect(bobSocket, 'pins:updated', 1)
    const off = await call(alice, 'DELETE', pinPath(id, m.seq))
    expect(off.status).toBe(200)
    expect(off.body.pins).toEqual([])
    expect((await heard)[0]).toEqual({ conversationId: id, pins: [] })
    const after = (await call(alice, 'GET', `/conversations/${id}/messages`)).body.messages as Message[]
    expect(after.at(-1)!.system).toEqual({ type: 'message_pinned', seq: m.seq, pinned: false })
    // Unpinning what is not pinned changes nothing.
    expect((await call(alice, 'DELETE', pinPath(id, m.seq))).body.pins).toEqual([])
    expect(((await call(alice, 'GET', `/conversations/${id}/messages`)).body.messages as Message[]).length).toBe(after.length)
  })

  it('the newest pin comes first', async () => {
    const id = await group(alice)
    const first = await send(alice, id, 'first')
    const second = await send(alice, id, 'second')
    await call(alice, 'PUT', pinPath(id, second.seq))
    await call(alice, 'PUT', pinPath(id, first.seq))
    expect(((await call(alice, 'GET', `/conversations/${id}/pins`)).body.pins as Pin[]).map((p) => p.seq)).toEqual([first.seq, second.seq])
  })

  it('a group member who is no admin may not pin or unpin; a non-member may not even read the pins', async () => {
    const id = await group(alice, bob)
    const m = await send(bob, id, 'mine')
    const refused = await call(bob, 'PUT', pinPath(id, m.seq))
    expect(refused.status).toBe(403)
    expect(refused.body.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/group admins/) })
    await call(alice, 'PUT', pinPath(id, m.seq))
    expect((await call(bob, 'DELETE', pinPath(id, m.seq))).status).toBe(403)
    expect((await call(carol, 'GET', `/conversations/${id}/pins`)).status).toBe(403)
    expect((await call(carol, 'PUT', pinPath(id, m.seq))).status).toBe(403)
  })

  it('both people of a direct chat pin and unpin', async () => {
    const id = await direct(alice, bob)
    const m = await send(alice, id, 'hi')
    expect((await call(bob, 'PUT', pinPath(id, m.seq))).status).toBe(200)
    const off = await call(alice, 'DELETE', pinPath(id, m.seq))
    expect(off.status).toBe(200)
    expect(off.body.pins).toEqual([])
  })

  it('room admins pin in rooms, other room members may not', async () => {
    const made = await call(alice, 'POST', '/rooms', { name: `pins-${randomUUID().slice(0, 8)}` })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const id = made.body.conversation.id as string
    expect((await call(bob, 'POST', `/rooms/${id}/join`)).status).toBeLessThan(300)
    const m = await send(bob, id, 'in the room')
    const refused = await call(bob, 'PUT', pinPath(id, m.seq))
    expect(refused.status).toBe(403)
    expect(refused.body.error.message).toMatch(/room admins/)
    expect((await call(alice, 'PUT', pinPath(id, m.seq))).status).toBe(200)
  })

  it('only a live, non-system message of the conversation is pinned', async () => {
    const id = await group(alice, bob)
    const m = await send(alice, id, 'soon gone')
    expect((await call(alice, 'PUT', pinPath(id, 1))).body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/system/) })
    expect((await call(alice, 'PUT', pinPath(id, 99))).body.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/message/) })
    await call(alice, 'DELETE', `/conversations/${id}/messages/${m.seq}`)
    expect((await call(alice, 'PUT', pinPath(id, m.seq))).body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/deleted/) })
  })

  it('a pinned message that is deleted leaves the list, and an edit shows in it', async () => {
    const id = await group(alice, bob)
    const kept = await send(alice, id, 'typo')
    const doomed = await send(alice, id, 'oops')
    await call(alice, 'PUT', pinPath(id, kept.seq))
    await call(alice, 'PUT', pinPath(id, doomed.seq))
    await call(alice, 'PATCH', `/conversations/${id}/messages/${kept.seq}`, { text: 'fixed' })
    await call(alice, 'DELETE', `/conversations/${id}/messages/${doomed.seq}`)
    const pins = (await call(bob, 'GET', `/conversations/${id}/pins`)).body.pins as Pin[]
    expect(pins.map((p) => [p.seq, p.message.text])).toEqual([[kept.seq, 'fixed']])
  })

  it(`at most ${PINS_MAX} pins: one more is refused with a clear message, pins of deleted messages do not count`, async () => {
    const id = await group(alice)
    const sent: Message[] = []
    for (let i = 0; i <= PINS_MAX; i++) sent.push(await send(alice, id, `m${i}`))
    for (const m of sent.slice(0, PINS_MAX)) expect((await call(alice, 'PUT', pinPath(id, m.seq))).status).toBe(200)
    const last = sent[PINS_MAX]!
    const refused = await call(alice, 'PUT', pinPath(id, last.seq))
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toMatch(new RegExp(`at most ${PINS_MAX} pinned`))
    await call(alice, 'DELETE', `/conversations/${id}/messages/${sent[0]!.seq}`)
    expect((await call(alice, 'PUT', pinPath(id, last.seq))).status).toBe(200)
  }, 120_000)

  it('a pinned and saved message that retention deletes leaves the pins, and its saved item shows no message', async () => {
    let skew = 0
    const own = await startServer({ clock: () => Date.now() + skew })
    try {
      // The first account runs the server (sets retention).
      const admin = await register(own.url)
      const at = (method: string, path: string, body?: unknown) => api(own.url, method, path, { token: admin.accessToken, ...(body === undefined ? {} : { body }) })
      const id = (await at('POST', '/conversations', { kind: 'group', title: 'old', memberIds: [] })).body.conversation.id as string
      const old = (await at('POST', `/conversations/${id}/messages`, { clientId: randomUUID(), text: 'ancient' })).body.message as Message
      await at('PUT', pinPath(id, old.seq))
      await at('PUT', `/saved/${id}/${old.seq}`)
      skew = 10 * 24 * 3600 * 1000
      const fresh = (await at('POST', `/conversations/${id}/messages`, { clientId: randomUUID(), text: 'fresh' })).body.message as Message
      await at('PUT', pinPath(id, fresh.seq))
      expect((await at('PATCH', '/admin/settings', { retentionDays: 5 })).status).toBe(200)
      await expect.poll(async () => ((await at('GET', `/conversations/${id}/pins`)).body.pins as Pin[]).map((p) => p.seq)).toEqual([fresh.seq])
      expect((await at('GET', '/saved')).body.saved).toMatchObject([{ seq: old.seq, message: null }])
    } finally {
      await own.destroy()
    }
  })

  it('a deleted group takes its pins and everyone’s saved messages of it along', async () => {
    const saver = await register(srv.url)
    const id = await group(alice, saver)
    const m = await send(alice, id, 'soon gone with the group')
    await call(alice, 'PUT', pinPath(id, m.seq))
    await call(saver, 'PUT', `/saved/${id}/${m.seq}`)
    expect((await call(alice, 'DELETE', `/conversations/${id}`)).status).toBe(204)
    expect((await call(saver, 'GET', '/saved')).body.saved).toEqual([])
    expect((await call(alice, 'GET', `/conversations/${id}/pins`)).status).toBe(404)
  })

  it('pins survive a restart', async () => {
    const own = await startServer()
    try {
      const a = await register(own.url)
      const made = await api(own.url, 'POST', '/conversations', { token: a.accessToken, body: { kind: 'group', title: 'x', memberIds: [] } })
      const id = made.body.conversation.id as string
      const m = await api(own.url, 'POST', `/conversations/${id}/messages`, { token: a.accessToken, body: { clientId: randomUUID(), text: 'keep' } })
      await api(own.url, 'PUT', pinPath(id, m.body.message.seq), { token: a.accessToken })
      await api(own.url, 'PUT', `/saved/${id}/${m.body.message.seq}`, { token: a.accessToken })
      await own.stop()
      const again = await startServer({}, own.dataDir)
      try {
        const login = await api(again.url, 'POST', '/auth/login', { body: { username: a.user.username, password: 'correct horse battery' } })
        const token = login.body.accessToken as string
        expect((await api(again.url, 'GET', `/conversations/${id}/pins`, { token })).body.pins).toMatchObject([{ seq: m.body.message.seq }])
        expect((await api(again.url, 'GET', '/saved', { token })).body.saved).toMatchObject([{ conversationId: id, message: { text: 'keep' } }])
      } finally {
        await again.destroy()
      }
    } finally {
      await own.destroy()
    }
  })
})

describe('saved messages', () => {
  // Each test saves as a new user: a saved list spans every conversation.
  beforeEach(async () => {
    bob = await register(srv.url)
  })

  it('saving reaches every device of the user, newest first; saving twice changes nothing; removing tells them too', async () => {
    const id = await group(alice, bob)
    const one = await send(alice, id, 'one')
    const two = await send(alice, id, 'two')
    const otherDevice = await online(bob)
    const heard = collect(otherDevice, 'saved:updated', 3)
    const saved = await call(bob, 'PUT', `/saved/${id}/${one.seq}`)
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body).toMatchObject({ conversationId: id, seq: one.seq, message: { text: 'one' } })
    expect((await call(bob, 'PUT', `/saved/${id}/${one.seq}`)).status).toBe(200)
    await call(bob, 'PUT', `/saved/${id}/${two.seq}`)
    expect(((await call(bob, 'GET', '/saved')).body.saved as SavedItem[]).map((s) => s.message?.text)).toEqual(['two', 'one'])
    // Alice's list is her own.
    expect((await call(alice, 'GET', '/saved')).body.saved).toEqual([])
    expect((await call(bob, 'DELETE', `/saved/${id}/${one.seq}`)).status).toBe(204)
    const events = await heard
    expect(events[0]).toEqual({ added: saved.body })
    expect(events[1]!.added).toMatchObject({ seq: two.seq })
    expect(events[2]).toEqual({ removed: { conversationId: id, seq: one.seq } })
    expect(((await call(bob, 'GET', '/saved')).body.saved as SavedItem[]).map((s) => s.seq)).toEqual([two.seq])
  })

  it('only messages the user can read are saved; after leaving, the item stays with no message and can be removed', async () => {
    const id = await group(alice, bob)
    const m = await send(alice, id, 'secret plan')
    expect((await call(carol, 'PUT', `/saved/${id}/${m.seq}`)).status).toBe(403)
    expect((await call(bob, 'PUT', `/saved/${id}/99`)).status).toBe(404)
    expect((await call(bob, 'PUT', `/saved/${id}/1`)).body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/system/) })
    await call(bob, 'PUT', `/saved/${id}/${m.seq}`)
    expect((await call(bob, 'DELETE', `/conversations/${id}/members/${bob.user.id}`)).status).toBeLessThan(300)
    const list = (await call(bob, 'GET', '/saved')).body.saved as SavedItem[]
    expect(list).toEqual([{ conversationId: id, seq: m.seq, savedAt: expect.any(String), message: null }])
    expect((await call(bob, 'DELETE', `/saved/${id}/${m.seq}`)).status).toBe(204)
    expect((await call(bob, 'GET', '/saved')).body.saved).toEqual([])
  })

  it('a saved message deleted later shows as no longer readable', async () => {
    const id = await group(alice, bob)
    const m = await send(alice, id, 'to be deleted')
    await call(bob, 'PUT', `/saved/${id}/${m.seq}`)
    await call(alice, 'DELETE', `/conversations/${id}/messages/${m.seq}`)
    expect((await call(bob, 'GET', '/saved')).body.saved).toMatchObject([{ seq: m.seq, message: null }])
  })
})
