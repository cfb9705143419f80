// The client core as the renderer meets it: the IPC boundary (unknown
// methods, bad payloads, calls while signed out — always a Result, never a
// throw) and the basic exchange between two people: send, receive, unread,
// read receipts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IPC_METHOD_NAMES } from '../../src/shared/ipc'
import { LIMITS } from '../../src/shared/limits'
import { startServer, type TestServer } from '../helpers/server'
import { directChat, startClient, type TestClient } from '../helpers/client'

let srv: TestServer
let signedOut: TestClient
const clients: TestClient[] = []
const UUID = '2b0f3c9e-8d2a-4c6b-9f1e-3a5d7c9b1e20'

beforeAll(async () => {
  srv = await startServer()
  signedOut = await startClient()
  clients.push(signedOut)
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

describe('the IPC boundary', () => {
  it('an unknown method is not_found, whatever its name', async () => {
    for (const method of ['messages.nope', 'nope', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'session.get ', 'SESSION.GET']) {
      const result = await signedOut.core.dispatch(method, {})
      expect(result, method).toMatchObject({ ok: false, error: { code: 'not_found' } })
    }
  })

  it('bad payloads are validation_failed, and the message names the method and the field', async () => {
    const cases: Array<[method: string, payload: unknown, field: string]> = [
      // wrong types
      ['session.login', { serverUrl: 42, username: 'alice', password: 'secret' }, 'serverUrl'],
      ['messages.page', { conversationId: UUID, before: '10' }, 'before'],
      ['messages.page', { conversationId: UUID, limit: 1.5 }, 'limit'],
      ['conversations.markRead', { conversationId: UUID, seq: -1 }, 'seq'],
      ['conversations.createGroup', { title: 'x', memberIds: 'everyone' }, 'memberIds'],
      ['app.allowPlaintextSecrets', { allow: 'yes' }, 'allow'],
      ['presence.set', { status: 'offline' }, 'status'],
      // missing fields
      ['session.login', { serverUrl: 'http://127.0.0.1:1', username: 'alice' }, 'password'],
      ['messages.send', { conversationId: UUID }, 'text'],
      ['conversations.get', {}, 'conversationId'],
      // extra fields
      ['conversations.list', { everything: true }, 'everything'],
      ['messages.send', { conversationId: UUID, text: 'hi', clientId: 'mine' }, 'clientId'],
      ['session.get', JSON.parse('{"__proto__": {"admin": true}}'), '__proto__'],
      // huge strings
      ['messages.send', { conversationId: UUID, text: 'x'.repeat(LIMITS.messageTextMax + 1) }, 'text'],
      ['session.register', { serverUrl: 'http://127.0.0.1:1', username: 'a'.repeat(100_000), password: 'long enough' }, 'username'],
      ['session.login', { serverUrl: `http://${'h'.repeat(5000)}.example`, username: 'alice', password: 'secret' }, 'serverUrl'],
      ['messages.search', { query: 'q'.repeat(1000) }, 'query'],
      // ids that are not ids
      ['conversations.get', { conversationId: 'not-a-uuid' }, 'conversationId'],
      ['conversations.removeMember', { conversationId: UUID, userId: `${UUID}x` }, 'userId'],
      ['rooms.join', { roomId: '../../etc/passwd' }, 'roomId'],
      ['session.switchAccount', { accountId: 'ABC' }, 'accountId'],
      ['messages.retry', { clientId: '' }, 'clientId'],
      // other nonsense
      ['session.login', { serverUrl: 'ftp://files.example', username: 'alice', password: 'secret' }, 'serverUrl'],
      ['messages.react', { conversationId: UUID, seq: 1, emoji: 'not an emoji' }, 'emoji'],
      ['messages.edit', { conversationId: UUID, seq: 0, text: 'x' }, 'seq'],
      ['messages.page', { conversationId: UUID, before: Number.NaN }, 'before'],
      ['messages.page', { conversationId: UUID, limit: LIMITS.pageSizeMax + 1 }, 'limit'],
      ['conversations.join', { code: 'short' }, 'code'],
      ['conversations.update', { conversationId: UUID }, 'title'],
      ['messages.page', { conversationId: [UUID] }, 'conversationId'],
      ['messages.page', { conversationId: UUID, before: [1] }, 'before'],
      ['conversations.get', { conversationId: null }, 'conversationId'],
      ['users.search', { query: 7n }, 'query']
    ]
    for (const [method, payload, field] of cases) {
      const result = await signedOut.core.dispatch(method, payload)
      expect(result, `${method} ${field}`).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
      if (!result.ok) {
        expect(result.error.message, method).toContain(method)
        expect(result.error.message, method).toContain(field)
      }
    }
  })

  it('payloads that are not objects are refused the same way', async () => {
    const payloads: unknown[] = [[], [UUID], 'conversationId', 42, true, 7n, new Date(), new Map([['conversationId', UUID]])]
    for (const [i, payload] of payloads.entries()) {
      const result = await signedOut.core.dispatch('conversations.get', payload)
      expect(result, `payload ${i}`).toMatchObject({ ok: false, error: { code: 'validation_failed' } })
    }
    // No payload at all, for a method without fields, is an empty one.
    expect(await signedOut.core.dispatch('session.get', null)).toMatchObject({ ok: true, data: { status: 'signed_out' } })
    expect(await signedOut.core.dispatch('session.get', undefined)).toMatchObject({ ok: true, data: { status: 'signed_out' } })
    expect(await signedOut.core.dispatch('conversations.get', null)).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', message: expect.stringContaining('conversationId') }
    })
  })

  it('while signed out, everything about an account is unauthorized; app and session calls still answer', async () => {
    const calls: Array<[string, unknown]> = [
      ['conversations.list', {}],
      ['conversations.get', { conversationId: UUID }],
      ['conversations.createGroup', { title: 'team', memberIds: [] }],
      ['conversations.markRead', { conversationId: UUID, seq: 1 }],
      ['messages.page', { conversationId: UUID }],
      ['messages.send', { conversationId: UUID, text: 'hello' }],
      ['messages.retry', { clientId: 'abc' }],
      ['messages.search', { query: 'hello' }],
      ['users.search', { query: 'bob' }],
      ['profile.update', { displayName: 'Me' }],
      ['rooms.enter', { name: 'lobby' }],
      ['contacts.list', {}],
      ['invitations.list', {}],
      ['presence.list', {}],
      ['typing.start', { conversationId: UUID }]
    ]
    for (const [method, payload] of calls) {
      expect(await signedOut.core.dispatch(method, payload), method).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    }
    expect(await signedOut.core.dispatch('app.info', {})).toMatchObject({ ok: true, data: { version: 'test', host: 'web' } })
    expect(await signedOut.core.dispatch('connection.get', {})).toEqual({ ok: true, data: { status: 'signed_out', queued: 0, syncing: false, error: null } })
    expect(await signedOut.core.dispatch('connection.retry', {})).toMatchObject({ ok: true, data: { status: 'signed_out' } })
    expect(await signedOut.core.dispatch('session.logout', {})).toMatchObject({ ok: true, data: { status: 'signed_out' } })
    expect(await signedOut.core.dispatch('session.switchAccount', { accountId: 'a'.repeat(32) })).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('no method throws, whatever it is given', async () => {
    const garbage: unknown[] = [undefined, null, {}, [], 'x', 0, { conversationId: UUID, seq: 1, text: 'x', userId: UUID }, { a: { b: { c: [] } } }]
    for (const method of IPC_METHOD_NAMES) {
      for (const payload of garbage) {
        const result = await signedOut.core.dispatch(method, payload).catch((err: unknown) => ({ threw: err }))
        expect(result, `${method} ${JSON.stringify(payload)}`).toHaveProperty('ok')
      }
    }
  })
})

describe('sending and receiving', () => {
  it('a message goes pending, leaves the outbox, reaches the other person, counts as unread, and its read receipt comes back', async () => {
    const { a, b, aMe, bMe, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const aSince = a.mark()
    const sent = await a.call('messages.send', { conversationId, text: 'hello bob' })
    expect(sent).toMatchObject({ conversationId, text: 'hello bob', state: 'pending', error: null, clientId: expect.any(String) })
    expect(await a.waitFor('outbox', (o) => o.upserted.some((p) => p.clientId === sent.clientId), 5_000, aSince)).toMatchObject({ removed: [] })
    await a.waitFor('outbox', (o) => o.removed.includes(sent.clientId), 5_000, aSince)

    const incoming = await b.waitFor('messages', (m) => m.conversationId === conversationId)
    expect(incoming.upserted).toMatchObject([{ seq: 1, text: 'hello bob', senderId: aMe.id, clientId: sent.clientId, kind: 'text' }])
    expect(await b.call('messages.page', { conversationId })).toMatchObject({ messages: [{ seq: 1, text: 'hello bob' }], pending: [], hasMore: false })
    expect(await a.call('messages.page', { conversationId })).toMatchObject({ messages: [{ seq: 1, text: 'hello bob', senderId: aMe.id }], pending: [] })
    expect(await a.call('connection.get')).toMatchObject({ status: 'online', queued: 0 })

    // Two more, then the unread badge, then reading part of it.
    for (const text of ['second', 'third']) await a.call('messages.send', { conversationId, text })
    await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.lastSeq === 3))
    const listed = (await b.call('conversations.list')).find((c) => c.id === conversationId)
    expect(listed).toMatchObject({ unreadCount: 3, lastMessage: { seq: 3, text: 'third' }, readSeq: 0 })
    expect((await a.call('conversations.list')).find((c) => c.id === conversationId)).toMatchObject({ unreadCount: 0, lastSeq: 3 })

    let bSince = b.mark()
    expect(await b.call('conversations.markRead', { conversationId, seq: 2 })).toEqual({ readSeq: 2 })
    await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.unreadCount === 1 && x.readSeq === 2), 5_000, bSince)
    const readBy = (c: { members: Array<{ user: { id: string }; readSeq: number }> }) => c.members.find((m) => m.user.id === bMe.id)?.readSeq
    await a.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && readBy(x) === 2))

    bSince = b.mark()
    // Beyond the last message counts as all of it.
    expect(await b.call('conversations.markRead', { conversationId, seq: 99 })).toEqual({ readSeq: 3 })
    await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.unreadCount === 0), 5_000, bSince)
    expect((await b.call('conversations.list')).find((c) => c.id === conversationId)).toMatchObject({ unreadCount: 0, readSeq: 3 })
    await a.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && readBy(x) === 3))
    const receipts = await a.call('messages.receipts', { conversationId, seq: 3 })
    expect(Object.keys(receipts.readBy)).toEqual([bMe.id])
    expect(Object.keys(receipts.deliveredTo)).toEqual([bMe.id])

    // A reply the other way, and the conversation reads the same on both sides.
    await b.call('messages.send', { conversationId, text: 'hi alice', replyTo: 1 })
    const reply = await a.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'hi alice'))
    expect(reply.upserted.find((x) => x.text === 'hi alice')).toMatchObject({ seq: 4, senderId: bMe.id, replyTo: { seq: 1, senderId: aMe.id } })
    const texts = async (c: TestClient) => (await c.call('messages.page', { conversationId })).messages.map((m) => `${m.seq}:${m.text}`)
    await b.waitFor('outbox', (o) => o.removed.length > 0)
    expect(await texts(a)).toEqual(['1:hello bob', '2:second', '3:third', '4:hi alice'])
    expect(await texts(b)).toEqual(await texts(a))
  })

  it('a message the server refuses is marked failed with its error, does not hold up the queue, and can be retried or discarded', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const bad = await a.call('messages.send', { conversationId, text: 'answering nothing', replyTo: 42 })
    const good = await a.call('messages.send', { conversationId, text: 'fine' })
    const failed = await a.waitFor('outbox', (o) => o.upserted.some((p) => p.clientId === bad.clientId && p.state === 'failed'))
    expect(failed.upserted.find((p) => p.clientId === bad.clientId)?.error).toMatchObject({ code: 'validation_failed' })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.clientId === good.clientId))
    await a.waitFor('outbox', (o) => o.removed.includes(good.clientId))

    const page = await a.call('messages.page', { conversationId })
    expect(page.messages.map((m) => m.text)).toEqual(['fine'])
    expect(page.pending).toEqual([expect.objectContaining({ clientId: bad.clientId, state: 'failed', error: expect.objectContaining({ code: 'validation_failed' }) })])
    // A failed message waits for the user: it is not counted as queued.
    expect(await a.call('connection.get')).toMatchObject({ queued: 0 })

    const since = a.mark()
    expect(await a.call('messages.retry', { clientId: bad.clientId })).toMatchObject({ clientId: bad.clientId, state: 'pending', error: null })
    await a.waitFor('outbox', (o) => o.upserted.some((p) => p.clientId === bad.clientId && p.state === 'failed'), 5_000, since)
    expect(await a.call('messages.discard', { clientId: bad.clientId })).toBeNull()
    await a.waitFor('outbox', (o) => o.removed.includes(bad.clientId), 5_000, since)
    expect((await a.call('messages.page', { conversationId })).pending).toEqual([])
    expect((await b.call('messages.page', { conversationId })).messages.map((m) => m.text)).toEqual(['fine'])
  })

  it('reading on one device brings the unread count down on the other device of the same person', async () => {
    const { a, b, bMe, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const phone = await startClient()
    clients.push(phone)
    const state = await phone.call('session.login', { serverUrl: srv.url, username: bMe.username, password: 'correct horse battery' })
    expect(state).toMatchObject({ status: 'signed_in', me: { id: bMe.id } })
    for (const text of ['one', 'two', 'three']) await a.call('messages.send', { conversationId, text })
    for (const device of [b, phone]) {
      await device.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.lastSeq === 3 && x.unreadCount === 3))
    }
    const since = b.mark()
    await phone.call('conversations.markRead', { conversationId, seq: 2 })
    await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.readSeq === 2), 5_000, since)
    expect((await b.call('conversations.list')).find((c) => c.id === conversationId)).toMatchObject({ readSeq: 2, unreadCount: 1 })
    await phone.call('conversations.markRead', { conversationId, seq: 3 })
    await b.waitFor('conversations', (c) => c.upserted.some((x) => x.id === conversationId && x.readSeq === 3), 5_000, since)
    expect((await b.call('conversations.list')).find((c) => c.id === conversationId)).toMatchObject({ readSeq: 3, unreadCount: 0 })
  })

  it('a message to a conversation the account does not have is refused at once, and nothing is queued', async () => {
    const { a, b } = await directChat(srv.url)
    clients.push(a, b)
    const error = await a.callError('messages.send', { conversationId: UUID, text: 'lost' })
    expect(error.code).toBe('not_found')
    expect(await a.call('connection.get')).toMatchObject({ queued: 0 })
    expect((await a.callError('messages.page', { conversationId: UUID })).code).toBe('not_found')
    expect((await a.callError('messages.retry', { clientId: 'no-such-message' })).code).toBe('not_found')
    expect((await a.callError('messages.discard', { clientId: 'no-such-message' })).code).toBe('not_found')
  })
})
