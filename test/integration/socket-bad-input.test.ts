// Bad input over a real Socket.IO connection: every acknowledged event is
// answered with `{ ok: false, error }` naming the field, the socket stays
// usable, nothing stored is lost; bad handshakes are refused with a code.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeJwt, SignJWT } from 'jose'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_STATUS, type ErrorCode, type Result } from '../../src/shared/errors'
import type { HandshakeErrorData } from '../../src/shared/protocol'
import { LIMITS } from '../../src/shared/limits'
import type { Message } from '../../src/shared/schemas/messages'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { connect, emitAck, type ClientSocket } from '../helpers/socket'

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
let conv = ''
let other = ''
/** Groups alice was in: she left one, was removed from one, and one was deleted. */
const gone = { left: '', removed: '', deleted: '' }
let kept: Message
let socket: ClientSocket
const sockets: ClientSocket[] = []
/** What each case was answered one by one: `ok` or the error code. */
const answered = new Map<string, string>()

async function open(token: string): Promise<ClientSocket> {
  const s = await connect(srv.url, token)
  sockets.push(s)
  return s
}

/** Emits and waits for the ack, failing after `ms` if the server never answers. */
function emitWithin<T>(s: ClientSocket, ms: number, event: string, ...args: unknown[]): Promise<Result<T>> {
  const emit = s.timeout(ms).emit.bind(s) as (name: string, ...rest: unknown[]) => void
  return new Promise((resolve, reject) => {
    emit(event, ...args, (err: Error | null, result: Result<T>) =>
      err ? reject(new Error(`no acknowledgement of "${event}" within ${ms} ms`)) : resolve(result)
    )
  })
}

function expectError(result: Result<unknown>, code: ErrorCode, field?: string | RegExp): void {
  expect(result.ok, JSON.stringify(result)).toBe(false)
  if (result.ok) return
  expect(result).toEqual({ ok: false, error: { code: expect.any(String), message: expect.any(String) } })
  expect(Object.keys(ERROR_STATUS)).toContain(result.error.code)
  expect(result.error.code, result.error.message).toBe(code)
  if (typeof field === 'string') expect(result.error.message).toContain(field)
  else if (field) expect(result.error.message).toMatch(field)
}

/** Refusal of a handshake: the connect_error and its data.code. */
async function refusal(auth: Record<string, unknown>): Promise<Error & { data?: HandshakeErrorData }> {
  const s = io(srv.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true })
  try {
    return await new Promise((resolve, reject) => {
      s.once('connect', () => reject(new Error('the handshake was accepted')))
      s.once('connect_error', (err: Error & { data?: HandshakeErrorData }) => resolve(err))
    })
  } finally {
    s.close()
  }
}

beforeAll(async () => {
  srv = await startServer()
  alice = await register(srv.url)
  bob = await register(srv.url)
  carol = await register(srv.url)
  const direct = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })
  conv = direct.body.conversation.id
  const group = await api(srv.url, 'POST', '/conversations', { token: carol.accessToken, body: { kind: 'group', title: 'Not for Alice', memberIds: [] } })
  other = group.body.conversation.id
  for (const key of ['left', 'removed', 'deleted'] as const) {
    const res = await api(srv.url, 'POST', '/conversations', { token: carol.accessToken, body: { kind: 'group', title: key, memberIds: [alice.user.id] } })
    gone[key] = res.body.conversation.id
  }
  const ends = [
    await api(srv.url, 'DELETE', `/conversations/${gone.left}/members/${alice.user.id}`, { token: alice.accessToken }),
    await api(srv.url, 'DELETE', `/conversations/${gone.removed}/members/${alice.user.id}`, { token: carol.accessToken }),
    await api(srv.url, 'DELETE', `/conversations/${gone.deleted}`, { token: carol.accessToken })
  ]
  if (ends.some((r) => r.status !== 204)) throw new Error(JSON.stringify(ends.map((r) => r.body)))
  socket = await open(alice.accessToken)
  const sent = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId: conv, clientId: 'kept-1', text: 'before the storm' })
  if (!sent.ok) throw new Error(JSON.stringify(sent.error))
  kept = sent.data.message
})

afterAll(async () => {
  for (const s of sockets) s.close()
  await srv.destroy()
})

interface AckCase {
  name: string
  event: string
  /** The arguments before the ack callback. */
  args: () => unknown[]
  code: ErrorCode
  field?: string | RegExp
}

const send = (payload: Record<string, unknown>): (() => unknown[]) => () => [{ conversationId: conv, clientId: 'c-1', text: 'hi', ...payload }]
const list = (payload: Record<string, unknown>): (() => unknown[]) => () => [{ conversationId: conv, ...payload }]

const ackCases: AckCase[] = [
  // message:send
  { name: 'send: empty object', event: 'message:send', args: () => [{}], code: 'validation_failed', field: 'conversationId' },
  { name: 'send: missing conversationId', event: 'message:send', args: () => [{ clientId: 'c-1', text: 'hi' }], code: 'validation_failed', field: 'conversationId' },
  { name: 'send: missing clientId', event: 'message:send', args: () => [{ conversationId: conv, text: 'hi' }], code: 'validation_failed', field: 'clientId' },
  { name: 'send: missing text', event: 'message:send', args: () => [{ conversationId: conv, clientId: 'c-1' }], code: 'validation_failed', field: 'text' },
  { name: 'send: conversationId not a UUID', event: 'message:send', args: send({ conversationId: 'general' }), code: 'validation_failed', field: 'conversationId' },
  { name: 'send: conversationId a number', event: 'message:send', args: send({ conversationId: 7 }), code: 'validation_failed', field: 'conversationId' },
  { name: 'send: empty text', event: 'message:send', args: send({ text: '' }), code: 'validation_failed', field: 'text' },
  { name: 'send: whitespace-only text', event: 'message:send', args: send({ text: ' \n\t ' }), code: 'validation_failed', field: 'text' },
  { name: 'send: text a number', event: 'message:send', args: send({ text: 42 }), code: 'validation_failed', field: 'text' },
  { name: 'send: text an object', event: 'message:send', args: send({ text: { toString: 'x' } }), code: 'validation_failed', field: 'text' },
  { name: 'send: text too long', event: 'message:send', args: send({ text: 'a'.repeat(LIMITS.messageTextMax + 1) }), code: 'validation_failed', field: 'text' },
  { name: 'send: huge text (200 KB, under the frame limit)', event: 'message:send', args: send({ text: 'a'.repeat(200 * 1024) }), code: 'validation_failed', field: 'text' },
  { name: 'send: clientId with spaces', event: 'message:send', args: send({ clientId: 'a b' }), code: 'validation_failed', field: 'clientId' },
  { name: 'send: clientId too long', event: 'message:send', args: send({ clientId: 'x'.repeat(LIMITS.clientIdMax + 1) }), code: 'validation_failed', field: 'clientId' },
  { name: 'send: unknown field', event: 'message:send', args: send({ senderId: randomUUID() }), code: 'validation_failed', field: 'senderId' },
  { name: 'send: __proto__ field', event: 'message:send', args: () => [JSON.parse(`{"conversationId":"${conv}","clientId":"p","text":"x","__proto__":{"a":1}}`)], code: 'validation_failed', field: '__proto__' },
  { name: 'send: payload is a string', event: 'message:send', args: () => ['hello'], code: 'validation_failed', field: 'payload' },
  { name: 'send: payload is a number', event: 'message:send', args: () => [1], code: 'validation_failed', field: 'payload' },
  { name: 'send: payload is null', event: 'message:send', args: () => [null], code: 'validation_failed', field: 'payload' },
  { name: 'send: payload is an array', event: 'message:send', args: () => [[conv, 'c-1', 'hi']], code: 'validation_failed', field: 'payload' },
  { name: 'send: payload is binary', event: 'message:send', args: () => [Buffer.from('hello')], code: 'validation_failed', field: 'payload' },
  { name: 'send: no payload, only the ack', event: 'message:send', args: () => [], code: 'validation_failed', field: 'payload' },
  { name: 'send: unknown conversation', event: 'message:send', args: send({ conversationId: randomUUID() }), code: 'not_found', field: 'conversation' },
  { name: 'send: a conversation the user is not in', event: 'message:send', args: () => [{ conversationId: other, clientId: 'c-1', text: 'let me in' }], code: 'forbidden', field: 'member' },
  { name: 'send: a group the user left', event: 'message:send', args: () => [{ conversationId: gone.left, clientId: 'c-1', text: 'let me in' }], code: 'forbidden', field: 'member' },
  { name: 'send: a group the user was removed from', event: 'message:send', args: () => [{ conversationId: gone.removed, clientId: 'c-1', text: 'let me in' }], code: 'forbidden', field: 'member' },
  { name: 'send: a deleted group', event: 'message:send', args: () => [{ conversationId: gone.deleted, clientId: 'c-1', text: 'let me in' }], code: 'not_found', field: 'conversation' },
  // System messages are written by the server only.
  { name: 'send: kind cannot be given', event: 'message:send', args: send({ kind: 'system' }), code: 'validation_failed', field: 'kind' },
  { name: 'send: a system event cannot be given', event: 'message:send', args: send({ system: { type: 'group_renamed', title: 'Pwned' } }), code: 'validation_failed', field: 'system' },

  // message:list
  { name: 'list: missing conversationId', event: 'message:list', args: () => [{}], code: 'validation_failed', field: 'conversationId' },
  { name: 'list: limit 0', event: 'message:list', args: list({ limit: 0 }), code: 'validation_failed', field: 'limit' },
  { name: 'list: limit 10000', event: 'message:list', args: list({ limit: 10_000 }), code: 'validation_failed', field: 'limit' },
  { name: 'list: limit not a number', event: 'message:list', args: list({ limit: 'many' }), code: 'validation_failed', field: 'limit' },
  { name: 'list: limit fractional', event: 'message:list', args: list({ limit: 2.5 }), code: 'validation_failed', field: 'limit' },
  { name: 'list: before -1', event: 'message:list', args: list({ before: -1 }), code: 'validation_failed', field: 'before' },
  { name: 'list: after -5', event: 'message:list', args: list({ after: -5 }), code: 'validation_failed', field: 'after' },
  { name: 'list: after not a number', event: 'message:list', args: list({ after: 'latest' }), code: 'validation_failed', field: 'after' },
  { name: 'list: after an object', event: 'message:list', args: list({ after: { seq: 1 } }), code: 'validation_failed', field: 'after' },
  // Socket payloads are JSON: a wrong type must be refused, not coerced to a number.
  { name: 'list: after is a boolean', event: 'message:list', args: list({ after: true }), code: 'validation_failed', field: 'after' },
  { name: 'list: before is null', event: 'message:list', args: list({ before: null }), code: 'validation_failed', field: 'before' },
  { name: 'list: before is an empty string', event: 'message:list', args: list({ before: '' }), code: 'validation_failed', field: 'before' },
  { name: 'list: limit is an array', event: 'message:list', args: list({ limit: [5] }), code: 'validation_failed', field: 'limit' },
  { name: 'list: before and after together', event: 'message:list', args: list({ before: 5, after: 1 }), code: 'validation_failed', field: /before.*after/ },
  { name: 'list: unknown field', event: 'message:list', args: list({ order: 'desc' }), code: 'validation_failed', field: 'order' },
  { name: 'list: payload is a string', event: 'message:list', args: () => [conv], code: 'validation_failed', field: 'payload' },
  { name: 'list: unknown conversation', event: 'message:list', args: () => [{ conversationId: randomUUID() }], code: 'not_found', field: 'conversation' },
  { name: 'list: a conversation the user is not in', event: 'message:list', args: () => [{ conversationId: other }], code: 'forbidden', field: 'member' },
  { name: 'list: a group the user left', event: 'message:list', args: () => [{ conversationId: gone.left }], code: 'forbidden', field: 'member' },
  { name: 'list: a group the user was removed from', event: 'message:list', args: () => [{ conversationId: gone.removed, after: 0 }], code: 'forbidden', field: 'member' },
  { name: 'list: a deleted group', event: 'message:list', args: () => [{ conversationId: gone.deleted }], code: 'not_found', field: 'conversation' },

  // conversation:list
  { name: 'conversation:list: payload is a string', event: 'conversation:list', args: () => ['all'], code: 'validation_failed', field: 'payload' }
]

describe('socket events refuse bad input with an ack error', () => {
  it.for(ackCases)('$name → $code', async (c) => {
    const result = await emitAck(socket, c.event, ...c.args())
    answered.set(c.name, result.ok ? 'ok' : result.error.code)
    expectError(result, c.code, c.field)
    expect(socket.connected).toBe(true)
  })

  it('answers many bad events at once exactly as it answered them one by one', async () => {
    const burst = ackCases.filter((c) => answered.has(c.name))
    expect(burst.length).toBe(ackCases.length)
    const results = await Promise.all(burst.map((c) => emitAck(socket, c.event, ...c.args())))
    const got = results.map((r) => (r.ok ? 'ok' : r.error.code))
    expect(got).not.toContain('internal')
    expect(got).toEqual(burst.map((c) => answered.get(c.name)))
    expect(socket.connected).toBe(true)
  })

  it('an event without an ack callback does not crash anything; the socket stays usable', async () => {
    const emit = socket.emit.bind(socket) as (name: string, ...rest: unknown[]) => void
    emit('message:send', { conversationId: conv, clientId: 'no-ack-1', text: 'fire and forget' })
    emit('message:send', 'garbage')
    emit('message:send')
    emit('message:list', { conversationId: 'nope' })
    emit('conversation:list')
    const listed = await emitAck<{ conversations: { id: string }[] }>(socket, 'conversation:list', {})
    expect(listed.ok).toBe(true)
    expect(socket.connected).toBe(true)
    const ok = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId: conv, clientId: 'after-no-ack', text: 'still works' })
    expect(ok.ok, JSON.stringify(ok)).toBe(true)
  })

  it('an unknown event without an ack is ignored; the socket stays usable', async () => {
    const emit = socket.emit.bind(socket) as (name: string, ...rest: unknown[]) => void
    emit('message:delete', { id: kept.id })
    emit('admin:shutdown')
    const listed = await emitAck(socket, 'conversation:list', {})
    expect(listed.ok).toBe(true)
    expect(socket.connected).toBe(true)
  })

  it('an unknown event with an ack is answered with an error naming the event', async () => {
    const result = await emitWithin(socket, 3000, 'message:delete', { id: kept.id })
    expectError(result, 'not_found', 'message:delete')
    expect(socket.connected).toBe(true)
  })

  it('a frame over the 256 KB limit closes only that connection; the server carries on', async () => {
    const victim = await open(alice.accessToken)
    const bystander = await open(bob.accessToken)
    const closed = new Promise<string>((resolve) => victim.once('disconnect', resolve))
    const emit = victim.emit.bind(victim) as (name: string, ...rest: unknown[]) => void
    emit('message:send', { conversationId: conv, clientId: 'too-big', text: 'a'.repeat(300 * 1024) }, () => undefined)
    expect(await closed).toMatch(/transport (close|error)/)
    expect(bystander.connected).toBe(true)
    expect((await emitAck(bystander, 'conversation:list', {})).ok).toBe(true)
    const again = await open(alice.accessToken)
    expect((await emitAck(again, 'conversation:list', {})).ok).toBe(true)
    // The refused frame stored nothing.
    const page = await emitAck<{ messages: Message[] }>(again, 'message:list', { conversationId: conv, after: 0 })
    expect(page.ok && page.data.messages.some((m) => m.clientId === 'too-big')).toBe(false)
  })
})

describe('handshakes without a valid token are refused with a code', () => {
  let key: Uint8Array
  let sid: string
  const now = (): number => Math.floor(Date.now() / 1000)
  const sign = (secret: Uint8Array, claims: { sub?: string; sid?: string; aud?: string; iss?: string; exp?: number }): Promise<string> =>
    new SignJWT({ sid: claims.sid ?? sid })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub ?? alice.user.id)
      .setIssuer(claims.iss ?? 'messenger-server')
      .setAudience(claims.aud ?? 'messenger-client')
      .setIssuedAt(now() - 3600)
      .setExpirationTime(claims.exp ?? now() + 600)
      .sign(secret)

  beforeAll(async () => {
    key = Buffer.from((await readFile(join(srv.dataDir, 'jwt.key'), 'utf8')).trim(), 'base64url')
    const decoded = decodeJwt(alice.accessToken)
    expect(typeof decoded['sid']).toBe('string')
    sid = decoded['sid'] as string
  })

  it('a token we sign ourselves with the server key is accepted (the forging below is sound)', async () => {
    const s = await open(await sign(key, {}))
    expect(s.connected).toBe(true)
  })

  it('no token → unauthorized', async () => {
    const err = await refusal({})
    expect(err.data?.code).toBe('unauthorized')
    expect(err.message).toMatch(/token/)
  })

  it('an empty or non-string token → unauthorized', async () => {
    for (const token of ['', 42, null, { jwt: alice.accessToken }, [alice.accessToken]]) {
      const err = await refusal({ token })
      expect(err.data?.code, JSON.stringify(token)).toBe('unauthorized')
    }
  })

  it('a garbage token → invalid_token', async () => {
    for (const token of ['garbage', 'a.b.c', `Bearer ${alice.accessToken}`, alice.refreshToken, 'x'.repeat(10_000)]) {
      const err = await refusal({ token })
      expect(err.data?.code, token.slice(0, 40)).toBe('invalid_token')
      expect(err.message).toMatch(/token/)
    }
  })

  it('a token signed with another key, for another audience or issuer, or unsigned → invalid_token', async () => {
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')
    const tokens = [
      await sign(new Uint8Array(32).fill(1), {}),
      await sign(key, { aud: 'someone-else' }),
      await sign(key, { iss: 'evil-server' }),
      `${none}.${alice.accessToken.split('.')[1]!}.`
    ]
    for (const token of tokens) {
      const err = await refusal({ token })
      expect(err.data?.code).toBe('invalid_token')
    }
  })

  it('an expired token → token_expired', async () => {
    const err = await refusal({ token: await sign(key, { exp: now() - 60 }) })
    expect(err.data?.code).toBe('token_expired')
    expect(err.message).toMatch(/expired/)
  })

  it('a token of a signed-out session or of another user → session_revoked', async () => {
    const second = await api(srv.url, 'POST', '/auth/login', { body: { username: alice.user.username, password: alice.password } })
    expect((await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken: second.body.refreshToken } })).status).toBe(204)
    expect((await refusal({ token: second.body.accessToken })).data?.code).toBe('session_revoked')
    expect((await refusal({ token: await sign(key, { sub: bob.user.id }) })).data?.code).toBe('session_revoked')
    expect((await refusal({ token: await sign(key, { sid: randomUUID() }) })).data?.code).toBe('session_revoked')
  })
})

describe('after all of it', () => {
  it('the server is up, the old socket works and nothing valid was lost', async () => {
    const health = await api(srv.url, 'GET', '/health')
    expect(health.status).toBe(200)
    expect(socket.connected).toBe(true)
    const page = await emitAck<{ messages: Message[] }>(socket, 'message:list', { conversationId: conv, after: 0 })
    if (!page.ok) throw new Error(JSON.stringify(page.error))
    expect(page.data.messages[0]).toEqual(kept)
    // Only valid sends were stored: no refused payload left a message behind.
    const texts = page.data.messages.map((m) => m.text)
    expect(texts.filter((t) => t === 'hi' || t === 'let me in' || t.length > LIMITS.messageTextMax)).toEqual([])
    const rest = await api(srv.url, 'GET', `/conversations/${conv}/messages`, { token: bob.accessToken })
    expect(rest.status).toBe(200)
    expect(rest.body.messages).toEqual(page.data.messages)
    // The groups alice may not write to hold only what the server wrote: their system messages.
    const systemOnly = async (id: string): Promise<(string | undefined)[]> => {
      const res = await api(srv.url, 'GET', `/conversations/${id}/messages`, { token: carol.accessToken })
      expect(res.status).toBe(200)
      const messages = res.body.messages as Message[]
      expect(messages.filter((m) => m.kind !== 'system')).toEqual([])
      return messages.map((m) => m.system?.type)
    }
    expect(await systemOnly(other)).toEqual(['group_created'])
    expect(await systemOnly(gone.left)).toEqual(['group_created', 'member_left'])
    expect(await systemOnly(gone.removed)).toEqual(['group_created', 'member_removed'])
    expect((await api(srv.url, 'GET', `/conversations/${gone.deleted}/messages`, { token: carol.accessToken })).status).toBe(404)
    const listed = await emitAck<{ conversations: { id: string }[] }>(socket, 'conversation:list', {})
    if (!listed.ok) throw new Error(JSON.stringify(listed.error))
    expect(listed.data.conversations.map((c) => c.id)).toEqual([conv])
  })
})
