// Scheduled messages on the server (issue 21 item 4, both engines): a send
// with sendAt is kept and listed, edited, cancelled; the server sends it when
// due with its sender offline, once; a sender who left the conversation gets
// it back as failed. The server runs on a clock the test moves.
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import type { ScheduledMessage } from '../../src/shared/schemas/scheduled'
import { expectError } from '../helpers/expect-error'
import { createUpload, sendBytes, sha256, waitFor } from '../helpers/files'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { collectWhere } from '../helpers/events'
import { collect, emitAck, SocketPool } from '../helpers/socket'

let srv: TestServer
let clock = Date.now()
const pool = new SocketPool()

beforeAll(async () => {
  srv = await startServer({ clock: () => clock, scheduledIntervalMs: 50 })
})
afterEach(() => pool.closeAll())
afterAll(() => srv.destroy())

const inMs = (ms: number): string => new Date(clock + ms).toISOString()

async function group(owner: TestUser, others: TestUser[]): Promise<string> {
  const res = await api(srv.url, 'POST', '/conversations', { token: owner.accessToken, body: { kind: 'group', title: 'Later', memberIds: others.map((u) => u.user.id) } })
  return res.body.conversation.id as string
}

const schedule = (user: TestUser, conversationId: string, text: string, sendAt: string, clientId = randomUUID()) =>
  api<{ scheduled: ScheduledMessage }>(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: user.accessToken, body: { clientId, text, sendAt } })
const list = async (user: TestUser): Promise<ScheduledMessage[]> =>
  (await api<{ scheduled: ScheduledMessage[] }>(srv.url, 'GET', '/scheduled', { token: user.accessToken })).body.scheduled
const history = async (user: TestUser, conversationId: string): Promise<Message[]> =>
  (await api<{ messages: Message[] }>(srv.url, 'GET', `/conversations/${conversationId}/messages`, { token: user.accessToken })).body.messages

describe('scheduled messages', () => {
  it('keeps a send with sendAt, lists it soonest first, edits and cancels it; others cannot see it', async () => {
    const alice = await register(srv.url)
    const mallory = await register(srv.url)
    const conversationId = await group(alice, [])
    const device = await pool.connect(srv.url, alice.accessToken)
    const heard = collect(device, 'scheduled:updated', 1)

    const clientId = randomUUID()
    const later = await schedule(alice, conversationId, 'in two hours', inMs(2 * 3600_000), clientId)
    expect(later.status).toBe(201)
    expect(later.body.scheduled).toMatchObject({ conversationId, text: 'in two hours', sendAt: inMs(2 * 3600_000) })
    expect((await heard)[0]?.scheduled?.id).toBe(later.body.scheduled.id)
    // The same clientId again (a retry after a lost answer) finds it rather than making a second.
    const again = await schedule(alice, conversationId, 'in two hours', inMs(2 * 3600_000), clientId)
    expect(again.status).toBe(200)
    expect(again.body.scheduled.id).toBe(later.body.scheduled.id)
    const sooner = await schedule(alice, conversationId, 'in one hour', inMs(3600_000))
    expect((await list(alice)).map((s) => s.text)).toEqual(['in one hour', 'in two hours'])
    // Nothing was sent: the history holds only the group's creation.
    expect((await history(alice, conversationId)).map((m) => m.kind)).toEqual(['system'])

    expectError(await schedule(alice, conversationId, 'now-ish', inMs(1000)), 400, 'validation_failed')
    expectError(await schedule(alice, conversationId, 'too late', inMs(400 * 24 * 3600_000)), 400, 'validation_failed')
    expectError(await schedule(mallory, conversationId, 'not mine', inMs(3600_000)), 403, 'forbidden')

    const id = sooner.body.scheduled.id
    const edited = await api(srv.url, 'PATCH', `/scheduled/${id}`, { token: alice.accessToken, body: { text: 'in three hours', sendAt: inMs(3 * 3600_000) } })
    expect(edited.status).toBe(200)
    expect((await list(alice)).map((s) => s.text)).toEqual(['in two hours', 'in three hours'])
    expectError(await api(srv.url, 'PATCH', `/scheduled/${id}`, { token: mallory.accessToken, body: { text: 'mine now' } }), 404, 'not_found')
    expectError(await api(srv.url, 'DELETE', `/scheduled/${id}`, { token: mallory.accessToken }), 404, 'not_found')
    expect(await list(mallory)).toEqual([])

    const removed = collectWhere(device, 'scheduled:updated', 1, (u) => u.removedId === id)
    expect((await api(srv.url, 'DELETE', `/scheduled/${id}`, { token: alice.accessToken })).status).toBe(204)
    await removed
    expect((await list(alice)).map((s) => s.text)).toEqual(['in two hours'])
    expectError(await api(srv.url, 'DELETE', `/scheduled/${id}`, { token: alice.accessToken }), 404, 'not_found')
  })

  it('sends it when due with the sender offline, exactly once, and the members hear it', async () => {
    const alice = await register(srv.url)
    const bob = await register(srv.url)
    const conversationId = await group(alice, [bob])
    const made = await schedule(alice, conversationId, 'good morning', inMs(60_000))
    const bobs = await pool.connect(srv.url, bob.accessToken)
    const arrived = collectWhere(bobs, 'message:new', 1, (p) => p.message.text === 'good morning')

    clock += 61_000
    const [{ message }] = (await arrived) as [{ message: Message }]
    expect(message).toMatchObject({ senderId: alice.user.id, conversationId, text: 'good morning', clientId: made.body.scheduled.clientId })
    await waitFor(async () => (await list(alice)).length === 0)
    expect((await history(bob, conversationId)).filter((m) => m.text === 'good morning')).toHaveLength(1)
  })

  it('keeps it as failed, and tells the sender, when they are no longer a member at its time', async () => {
    const alice = await register(srv.url)
    const bob = await register(srv.url)
    const conversationId = await group(bob, [alice])
    const made = await schedule(alice, conversationId, 'see you', inMs(60_000))
    expect((await api(srv.url, 'DELETE', `/conversations/${conversationId}/members/${alice.user.id}`, { token: bob.accessToken })).status).toBe(204)
    const device = await pool.connect(srv.url, alice.accessToken)
    const failed = collectWhere(device, 'scheduled:updated', 1, (u) => u.scheduled?.failed !== undefined)

    clock += 61_000
    const [update] = await failed
    expect(update?.scheduled).toMatchObject({ id: made.body.scheduled.id, failed: { code: 'forbidden' } })
    expect(await list(alice)).toMatchObject([{ id: made.body.scheduled.id, text: 'see you', failed: { code: 'forbidden' } }])
    expect((await history(bob, conversationId)).some((m) => m.text === 'see you')).toBe(false)
    // Sending it now is refused the same way, and it stays.
    expectError(await api(srv.url, 'POST', `/scheduled/${made.body.scheduled.id}/send`, { token: alice.accessToken, body: {} }), 403, 'forbidden')
    expect(await list(alice)).toHaveLength(1)
  })

  it('keeps it as failed when the sender\'s account was disabled at its time', async () => {
    const own = await startServer({ clock: () => clock, scheduledIntervalMs: 50 })
    try {
      const root = await register(own.url)
      const alice = await register(own.url)
      const made = await api(own.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Solo', memberIds: [] } })
      const conversationId = made.body.conversation.id as string
      const later = await api(own.url, 'POST', `/conversations/${conversationId}/messages`, {
        token: alice.accessToken,
        body: { clientId: randomUUID(), text: 'from a closed account', sendAt: inMs(60_000) }
      })
      expect(later.status).toBe(201)
      // root's own, due a second after: the scheduler goes soonest first, so when root's is sent, Alice's was tried.
      const roots = await api(own.url, 'POST', '/conversations', { token: root.accessToken, body: { kind: 'group', title: 'Marker', memberIds: [] } })
      await api(own.url, 'POST', `/conversations/${roots.body.conversation.id as string}/messages`, {
        token: root.accessToken,
        body: { clientId: randomUUID(), text: 'marker', sendAt: inMs(61_000) }
      })
      const rootDevice = await pool.connect(own.url, root.accessToken)
      const markerSent = collectWhere(rootDevice, 'scheduled:updated', 1, (u) => u.sent !== undefined)
      expect((await api(own.url, 'PATCH', `/admin/users/${alice.user.id}`, { token: root.accessToken, body: { disabled: true } })).status).toBe(200)
      clock += 62_000
      await markerSent
      expect((await api(own.url, 'PATCH', `/admin/users/${alice.user.id}`, { token: root.accessToken, body: { disabled: false } })).status).toBe(200)
      const back = await api(own.url, 'POST', '/auth/login', { body: { username: alice.user.username, password: alice.password } })
      const listed = await api<{ scheduled: ScheduledMessage[] }>(own.url, 'GET', '/scheduled', { token: back.body.accessToken as string })
      expect(listed.body.scheduled).toMatchObject([{ text: 'from a closed account', failed: { code: 'account_disabled' } }])
    } finally {
      await own.destroy()
    }
  })

  it('works over the socket too: schedule, edit, send now, cancel', async () => {
    const alice = await register(srv.url)
    const conversationId = await group(alice, [])
    const socket = await pool.connect(srv.url, alice.accessToken)
    const scheduled = await emitAck<{ scheduled: ScheduledMessage }>(socket, 'message:send', { conversationId, clientId: randomUUID(), text: 'later', sendAt: inMs(3600_000) })
    if (!scheduled.ok) throw new Error(scheduled.error.message)
    const { id } = scheduled.data.scheduled
    const listed = await emitAck<{ scheduled: ScheduledMessage[] }>(socket, 'scheduled:list', {})
    expect(listed.ok && listed.data.scheduled.map((s) => s.id)).toEqual([id])
    const edited = await emitAck<{ scheduled: ScheduledMessage }>(socket, 'scheduled:update', { id, text: 'sooner' })
    expect(edited.ok && edited.data.scheduled.text).toBe('sooner')
    const sent = await emitAck<{ message: Message }>(socket, 'scheduled:send', { id })
    expect(sent.ok && sent.data.message.text).toBe('sooner')
    expect(await list(alice)).toEqual([])
    const gone = await emitAck(socket, 'scheduled:cancel', { id })
    expect(!gone.ok && gone.error.code).toBe('not_found')
    const bad = await emitAck(socket, 'scheduled:update', { id })
    expect(!bad.ok && bad.error.code).toBe('validation_failed')
  })

  it('keeps its files on the server while it waits and sends them with it', async () => {
    const alice = await register(srv.url)
    const conversationId = await group(alice, [])
    const bytes = Buffer.from('scheduled attachment')
    const upload = await createUpload(srv.url, alice, { conversationId, name: 'note.txt', size: bytes.length, type: 'text/plain', sha256: sha256(bytes) })
    expect(upload.status).toBe(201)
    const fileId = upload.body.upload.id as string
    expect((await sendBytes(srv.url, alice, fileId, 0, bytes)).status).toBe(200)
    const made = await api<{ scheduled: ScheduledMessage }>(srv.url, 'POST', `/conversations/${conversationId}/messages`, {
      token: alice.accessToken,
      body: { clientId: randomUUID(), text: '', attachments: [fileId], sendAt: inMs(60_000) }
    })
    expect(made.status).toBe(201)
    expect(made.body.scheduled.attachments).toMatchObject([{ id: fileId, name: 'note.txt' }])
    // Attached now: the upload can no longer be cancelled out from under it.
    expectError(await api(srv.url, 'DELETE', `/uploads/${fileId}`, { token: alice.accessToken }), 409, 'conflict')
    const sent = await api<{ message: Message }>(srv.url, 'POST', `/scheduled/${made.body.scheduled.id}/send`, { token: alice.accessToken, body: {} })
    expect(sent.body.message.attachments).toMatchObject([{ id: fileId, name: 'note.txt' }])
  })
})
