// Bad input over a real Socket.IO connection: every acknowledged event is
// answered with `{ ok: false, error }` naming the field, the socket stays
// usable, nothing stored is lost; bad handshakes are refused with a code.
import { randomUUID } from 'node:crypto'
import { decodeJwt, SignJWT } from 'jose'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_STATUS, type ErrorCode, type Result } from '../../src/shared/errors'
import type { HandshakeErrorData } from '../../src/shared/protocol'
import { LIMITS } from '../../src/shared/limits'
import type { Message } from '../../src/shared/schemas/messages'
import { PRESENCE_LIST_MAX } from '../../src/shared/schemas/presence'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, tokenKey, type TestServer } from '../helpers/server'
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
/** In conv: bob's message (alice may not change it) and alice's deleted one. */
let bobs: Message
let tomb: Message
/** A group alice runs with bob: its seq 1 is a system message. */
let team = ''
/** A call carol runs in `other`, a group alice is not in. */
let carolsCall = ''
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
  const say = async (user: TestUser, text: string): Promise<Message> =>
    (await api(srv.url, 'POST', `/conversations/${conv}/messages`, { token: user.accessToken, body: { clientId: randomUUID(), text } })).body.message
  bobs = await say(bob, 'bob wrote this')
  tomb = (await api(srv.url, 'DELETE', `/conversations/${conv}/messages/${(await say(alice, 'oops')).seq}`, { token: alice.accessToken })).body.message
  team = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Team', memberIds: [bob.user.id] } })).body.conversation.id
  const started = await emitAck<{ call: { id: string } }>(await open(carol.accessToken), 'call:start', { conversationId: other, media: 'audio', peerId: randomUUID() })
  carolsCall = started.ok ? started.data.call.id : ''
  if (!bobs?.seq || !tomb?.deletedAt || !team || !carolsCall) throw new Error('setup failed')
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
const receipt = (payload: Record<string, unknown>): (() => unknown[]) => () => [{ conversationId: conv, seq: 1, ...payload }]
/** Payloads naming alice's kept message: an edit, deletion or reaction wrongly carried out shows at the end. */
const ref = (payload: Record<string, unknown>): (() => unknown[]) => () => [{ conversationId: conv, seq: kept.seq, ...payload }]
const edit = (payload: Record<string, unknown>): (() => unknown[]) => ref({ text: 'edited by mistake', ...payload })
const react = (payload: Record<string, unknown>): (() => unknown[]) => ref({ emoji: '👍', ...payload })
const changes = (payload: Record<string, unknown>): (() => unknown[]) => () => [{ conversationId: conv, since: 0, ...payload }]
const typingOf = (payload: Record<string, unknown>): (() => unknown[]) => () => [{ conversationId: conv, ...payload }]

// Mistakes every event about a conversation is refused for: `valid` is a valid payload there.
const conversationCases = (event: string, label: string, valid: () => Record<string, unknown>): AckCase[] => {
  const at = (conversationId: unknown): (() => unknown[]) => () => [{ ...valid(), conversationId }]
  return [
    { name: `${label}: empty object`, event, args: () => [{}], code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: missing conversationId`, event, args: () => [{ ...valid(), conversationId: undefined }], code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: conversationId not a UUID`, event, args: at('general'), code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: conversationId a number`, event, args: at(7), code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: conversationId null`, event, args: at(null), code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: conversationId a list`, event, args: at([conv]), code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: __proto__ field`, event, args: () => [JSON.parse(JSON.stringify(valid()).replace('{', '{"__proto__":{"x":1},'))], code: 'validation_failed', field: '__proto__' },
    { name: `${label}: payload is a string`, event, args: () => [conv], code: 'validation_failed', field: 'payload' },
    { name: `${label}: payload is a number`, event, args: () => [1], code: 'validation_failed', field: 'payload' },
    { name: `${label}: payload is null`, event, args: () => [null], code: 'validation_failed', field: 'payload' },
    { name: `${label}: payload is an array`, event, args: () => [Object.values(valid())], code: 'validation_failed', field: 'payload' },
    { name: `${label}: payload is binary`, event, args: () => [Buffer.from(JSON.stringify(valid()))], code: 'validation_failed', field: 'payload' },
    { name: `${label}: no payload, only the ack`, event, args: () => [], code: 'validation_failed', field: 'payload' },
    { name: `${label}: unknown conversation`, event, args: at(randomUUID()), code: 'not_found', field: 'conversation' },
    { name: `${label}: a conversation the user is not in`, event, args: () => [{ ...valid(), conversationId: other }], code: 'forbidden', field: 'member' },
    { name: `${label}: a group the user left`, event, args: () => [{ ...valid(), conversationId: gone.left }], code: 'forbidden', field: 'member' },
    { name: `${label}: a group the user was removed from`, event, args: () => [{ ...valid(), conversationId: gone.removed }], code: 'forbidden', field: 'member' },
    { name: `${label}: a deleted group`, event, args: () => [{ ...valid(), conversationId: gone.deleted }], code: 'not_found', field: 'conversation' }
  ]
}

// Mistakes about the message's seq, for the events that change one message (edit, delete, react).
const seqCases = (event: string, label: string, valid: () => Record<string, unknown>): AckCase[] => {
  const seq = (value: unknown): (() => unknown[]) => () => [{ ...valid(), seq: value }]
  return [
    { name: `${label}: missing seq`, event, args: () => [{ ...valid(), seq: undefined }], code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq 0`, event, args: seq(0), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq negative`, event, args: seq(-1), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq fractional`, event, args: seq(1.5), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq a numeric string`, event, args: seq('1'), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq null`, event, args: seq(null), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq a boolean`, event, args: seq(true), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq NaN (null in JSON)`, event, args: seq(Number.NaN), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq just past the safe integers`, event, args: seq(Number.MAX_SAFE_INTEGER + 1), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq a list`, event, args: seq([1]), code: 'validation_failed', field: 'seq' },
    { name: `${label}: a message id instead of a seq`, event, args: () => [{ ...valid(), seq: undefined, messageId: kept.id }], code: 'validation_failed', field: 'messageId' },
    { name: `${label}: a seq no message has yet`, event, args: seq(999), code: 'not_found', field: 'message' },
    { name: `${label}: the largest seq there can be`, event, args: seq(Number.MAX_SAFE_INTEGER), code: 'not_found', field: 'message' }
  ]
}

// The call:* events: a call is found by its id, and refused to those outside its conversation.
const callRef = (event: string, valid: () => Record<string, unknown>): AckCase[] => {
  const at = (callId: unknown): (() => unknown[]) => () => [{ ...valid(), callId }]
  return [
    { name: `${event}: empty object`, event, args: () => [{}], code: 'validation_failed', field: 'callId' },
    { name: `${event}: callId not a UUID`, event, args: at('call-1'), code: 'validation_failed', field: 'callId' },
    { name: `${event}: callId a list`, event, args: at([randomUUID()]), code: 'validation_failed', field: 'callId' },
    { name: `${event}: an unknown field`, event, args: () => [{ ...valid(), userId: randomUUID() }], code: 'validation_failed', field: 'userId' },
    { name: `${event}: payload is a string`, event, args: () => [randomUUID()], code: 'validation_failed', field: 'payload' },
    { name: `${event}: no payload, only the ack`, event, args: () => [], code: 'validation_failed', field: 'payload' },
    { name: `${event}: a call that does not run`, event, args: at(randomUUID()), code: 'not_found', field: 'call' },
    { name: `${event}: a call in a conversation the user is not in`, event, args: () => [{ ...valid(), callId: carolsCall }], code: 'forbidden', field: 'member' }
  ]
}
const peer = (): Record<string, unknown> => ({ callId: randomUUID(), peerId: randomUUID() })
const signal = (payload: Record<string, unknown>): (() => unknown[]) => () => [{ callId: carolsCall, from: randomUUID(), to: randomUUID(), ...payload }]
const callCases: AckCase[] = [
  ...conversationCases('call:start', 'call:start', () => ({ conversationId: conv, media: 'audio', peerId: randomUUID() })),
  { name: 'call:start: media screen', event: 'call:start', args: () => [{ conversationId: conv, media: 'screen', peerId: randomUUID() }], code: 'validation_failed', field: 'media' },
  { name: 'call:start: peerId not a UUID', event: 'call:start', args: () => [{ conversationId: conv, media: 'audio', peerId: 'me' }], code: 'validation_failed', field: 'peerId' },
  { name: 'call:start: no peerId', event: 'call:start', args: () => [{ conversationId: conv, media: 'video' }], code: 'validation_failed', field: 'peerId' },
  ...callRef('call:join', peer),
  { name: 'call:join: peerId a number', event: 'call:join', args: () => [{ callId: carolsCall, peerId: 7 }], code: 'validation_failed', field: 'peerId' },
  ...callRef('call:decline', () => ({ callId: randomUUID() })),
  ...callRef('call:leave', peer),
  ...callRef('call:media', () => ({ ...peer(), muted: true, camera: false, screen: false })),
  { name: 'call:media: muted a string', event: 'call:media', args: () => [{ ...peer(), muted: 'yes', camera: false, screen: false }], code: 'validation_failed', field: 'muted' },
  { name: 'call:media: no screen', event: 'call:media', args: () => [{ ...peer(), muted: true, camera: false }], code: 'validation_failed', field: 'screen' },
  ...callRef('call:signal', () => ({ callId: randomUUID(), from: randomUUID(), to: randomUUID(), candidate: null })),
  { name: 'call:signal: neither description nor candidate', event: 'call:signal', args: signal({}), code: 'validation_failed', field: 'description or a candidate' },
  {
    name: 'call:signal: both description and candidate',
    event: 'call:signal',
    args: signal({ description: { type: 'offer', sdp: 'v=0' }, candidate: null }),
    code: 'validation_failed',
    field: 'description or a candidate'
  },
  { name: 'call:signal: a pranswer', event: 'call:signal', args: signal({ description: { type: 'pranswer', sdp: 'v=0' } }), code: 'validation_failed', field: 'type' },
  { name: 'call:signal: an SDP past 64,000 characters', event: 'call:signal', args: signal({ description: { type: 'offer', sdp: 'a'.repeat(64_001) } }), code: 'validation_failed', field: 'sdp' },
  { name: 'call:signal: a candidate with an extra field', event: 'call:signal', args: signal({ candidate: { candidate: 'c', relay: 'x' } }), code: 'validation_failed', field: 'relay' },
  { name: 'call:signal: to not a UUID', event: 'call:signal', args: signal({ to: 'everyone', candidate: null }), code: 'validation_failed', field: 'to' },
  { name: 'call:list: payload is a string', event: 'call:list', args: () => ['all'], code: 'validation_failed', field: 'payload' }
]

// typing:start and typing:stop take the same payload and refuse the same mistakes.
const typingCases = (which: 'start' | 'stop'): AckCase[] => {
  const event = `typing:${which}`
  const label = `typing ${which}`
  return [
    ...conversationCases(event, label, () => ({ conversationId: conv })),
    { name: `${label}: typing cannot be given`, event, args: typingOf({ typing: true }), code: 'validation_failed', field: 'typing' },
    { name: `${label}: someone else cannot be named`, event, args: typingOf({ userId: randomUUID() }), code: 'validation_failed', field: 'userId' },
    { name: `${label}: a timeout cannot be chosen`, event, args: typingOf({ timeoutMs: 3_600_000 }), code: 'validation_failed', field: 'timeoutMs' }
  ]
}

// receipt:read and receipt:delivered take the same payload and refuse the same mistakes.
const receiptCases = (which: 'read' | 'delivered'): AckCase[] => {
  const event = `receipt:${which}`
  const label = `${which} receipt`
  return [
    { name: `${label}: empty object`, event, args: () => [{}], code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: missing seq`, event, args: () => [{ conversationId: conv }], code: 'validation_failed', field: 'seq' },
    { name: `${label}: missing conversationId`, event, args: () => [{ seq: 1 }], code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: conversationId not a UUID`, event, args: receipt({ conversationId: 'general' }), code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: conversationId a number`, event, args: receipt({ conversationId: 7 }), code: 'validation_failed', field: 'conversationId' },
    { name: `${label}: seq negative`, event, args: receipt({ seq: -1 }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq fractional`, event, args: receipt({ seq: 1.5 }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq a numeric string`, event, args: receipt({ seq: '1' }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq an empty string`, event, args: receipt({ seq: '' }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq a boolean`, event, args: receipt({ seq: true }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq null`, event, args: receipt({ seq: null }), code: 'validation_failed', field: 'seq' },
    // NaN and Infinity are not JSON: they arrive as null.
    { name: `${label}: seq NaN`, event, args: receipt({ seq: Number.NaN }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq Infinity`, event, args: receipt({ seq: Number.POSITIVE_INFINITY }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq just past the safe integers`, event, args: receipt({ seq: Number.MAX_SAFE_INTEGER + 1 }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq 1e300`, event, args: receipt({ seq: 1e300 }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq a list`, event, args: receipt({ seq: [1] }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq an object`, event, args: receipt({ seq: { $gt: 0 } }), code: 'validation_failed', field: 'seq' },
    { name: `${label}: a message id instead of a seq`, event, args: () => [{ conversationId: conv, messageId: kept.id }], code: 'validation_failed', field: 'messageId' },
    { name: `${label}: someone else's cursor`, event, args: receipt({ userId: randomUUID() }), code: 'validation_failed', field: 'userId' },
    { name: `${label}: both cursors at once`, event, args: receipt({ readSeq: 1, deliveredSeq: 1 }), code: 'validation_failed', field: 'readSeq' },
    { name: `${label}: __proto__ field`, event, args: () => [JSON.parse(`{"conversationId":"${conv}","seq":1,"__proto__":{"seq":2}}`)], code: 'validation_failed', field: '__proto__' },
    { name: `${label}: payload is a string`, event, args: () => [conv], code: 'validation_failed', field: 'payload' },
    { name: `${label}: payload is a number`, event, args: () => [1], code: 'validation_failed', field: 'payload' },
    { name: `${label}: payload is null`, event, args: () => [null], code: 'validation_failed', field: 'payload' },
    { name: `${label}: payload is an array`, event, args: () => [[conv, 1]], code: 'validation_failed', field: 'payload' },
    { name: `${label}: payload is binary`, event, args: () => [Buffer.from('1')], code: 'validation_failed', field: 'payload' },
    { name: `${label}: no payload, only the ack`, event, args: () => [], code: 'validation_failed', field: 'payload' },
    { name: `${label}: unknown conversation`, event, args: receipt({ conversationId: randomUUID() }), code: 'not_found', field: 'conversation' },
    { name: `${label}: a conversation the user is not in`, event, args: () => [{ conversationId: other, seq: 1 }], code: 'forbidden', field: 'member' },
    { name: `${label}: a group the user left`, event, args: () => [{ conversationId: gone.left, seq: 1 }], code: 'forbidden', field: 'member' },
    { name: `${label}: a group the user was removed from`, event, args: () => [{ conversationId: gone.removed, seq: 1 }], code: 'forbidden', field: 'member' },
    { name: `${label}: a deleted group`, event, args: () => [{ conversationId: gone.deleted, seq: 1 }], code: 'not_found', field: 'conversation' }
  ]
}

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

  // receipt:read, receipt:delivered
  ...receiptCases('read'),
  ...receiptCases('delivered'),

  // Issue 20 (i20-menu): receipt:unread
  { name: 'unread: empty object', event: 'receipt:unread', args: () => [{}], code: 'validation_failed', field: 'conversationId' },
  { name: 'unread: seq 0', event: 'receipt:unread', args: () => [{ conversationId: conv, seq: 0 }], code: 'validation_failed', field: 'seq' },
  { name: 'unread: seq a string', event: 'receipt:unread', args: () => [{ conversationId: conv, seq: '1' }], code: 'validation_failed', field: 'seq' },
  { name: 'unread: unknown field', event: 'receipt:unread', args: () => [{ conversationId: conv, seq: 1, userId: conv }], code: 'validation_failed', field: 'userId' },
  { name: 'unread: a seq no message has', event: 'receipt:unread', args: () => [{ conversationId: conv, seq: 999_999 }], code: 'not_found', field: 'message' },

  // message:edit (aimed at alice's kept message)
  ...conversationCases('message:edit', 'edit', () => ({ conversationId: conv, seq: kept.seq, text: 'edited by mistake' })),
  ...seqCases('message:edit', 'edit', () => ({ conversationId: conv, seq: kept.seq, text: 'edited by mistake' })),
  { name: 'edit: missing text', event: 'message:edit', args: () => [{ conversationId: conv, seq: kept.seq }], code: 'validation_failed', field: 'text' },
  { name: 'edit: empty text', event: 'message:edit', args: edit({ text: '' }), code: 'validation_failed', field: 'text' },
  { name: 'edit: whitespace-only text', event: 'message:edit', args: edit({ text: ' \n\t ' }), code: 'validation_failed', field: 'text' },
  { name: 'edit: text too long', event: 'message:edit', args: edit({ text: 'a'.repeat(LIMITS.messageTextMax + 1) }), code: 'validation_failed', field: 'text' },
  { name: 'edit: text a number', event: 'message:edit', args: edit({ text: 42 }), code: 'validation_failed', field: 'text' },
  { name: 'edit: text null', event: 'message:edit', args: edit({ text: null }), code: 'validation_failed', field: 'text' },
  { name: 'edit: mentions a string', event: 'message:edit', args: edit({ mentions: randomUUID() }), code: 'validation_failed', field: 'mentions' },
  { name: 'edit: mentions holding a username', event: 'message:edit', args: edit({ mentions: ['bob'] }), code: 'validation_failed', field: 'mentions' },
  { name: 'edit: mentions null', event: 'message:edit', args: edit({ mentions: null }), code: 'validation_failed', field: 'mentions' },
  { name: 'edit: too many mentions', event: 'message:edit', args: edit({ mentions: Array.from({ length: LIMITS.mentionsMax + 1 }, () => randomUUID()) }), code: 'validation_failed', field: 'mentions' },
  { name: 'edit: clientId cannot be given', event: 'message:edit', args: edit({ clientId: 'c-2' }), code: 'validation_failed', field: 'clientId' },
  { name: 'edit: replyTo cannot be given', event: 'message:edit', args: edit({ replyTo: 1 }), code: 'validation_failed', field: 'replyTo' },
  { name: 'edit: senderId cannot be given', event: 'message:edit', args: edit({ senderId: randomUUID() }), code: 'validation_failed', field: 'senderId' },
  { name: "edit: someone else's message", event: 'message:edit', args: () => [{ conversationId: conv, seq: bobs.seq, text: 'edited by mistake' }], code: 'forbidden', field: 'your own' },
  { name: 'edit: a deleted message', event: 'message:edit', args: () => [{ conversationId: conv, seq: tomb.seq, text: 'back again' }], code: 'conflict', field: 'deleted' },
  { name: 'edit: a system message', event: 'message:edit', args: () => [{ conversationId: team, seq: 1, text: 'renamed by hand' }], code: 'conflict', field: 'system' },

  // message:delete (aimed at bob's message in a direct chat: alice may not delete it)
  ...conversationCases('message:delete', 'delete', () => ({ conversationId: conv, seq: kept.seq })),
  ...seqCases('message:delete', 'delete', () => ({ conversationId: conv, seq: kept.seq })),
  { name: 'delete: text cannot be given', event: 'message:delete', args: ref({ text: '' }), code: 'validation_failed', field: 'text' },
  { name: 'delete: forEveryone cannot be given', event: 'message:delete', args: ref({ forEveryone: false }), code: 'validation_failed', field: 'forEveryone' },
  { name: "delete: someone else's message in a direct chat", event: 'message:delete', args: () => [{ conversationId: conv, seq: bobs.seq }], code: 'forbidden', field: 'your own' },
  { name: 'delete: a system message, even as the admin', event: 'message:delete', args: () => [{ conversationId: team, seq: 1 }], code: 'conflict', field: 'system' },

  // message:removePreview (issue 21; the sender only)
  ...conversationCases('message:removePreview', 'remove preview', () => ({ conversationId: conv, seq: kept.seq })),
  ...seqCases('message:removePreview', 'remove preview', () => ({ conversationId: conv, seq: kept.seq })),
  { name: 'remove preview: preview cannot be given', event: 'message:removePreview', args: ref({ preview: null }), code: 'validation_failed', field: 'preview' },
  { name: "remove preview: someone else's message", event: 'message:removePreview', args: () => [{ conversationId: conv, seq: bobs.seq }], code: 'forbidden', field: 'sender' },
  { name: 'remove preview: a deleted message', event: 'message:removePreview', args: () => [{ conversationId: conv, seq: tomb.seq }], code: 'conflict', field: 'deleted' },
  { name: 'remove preview: a system message', event: 'message:removePreview', args: () => [{ conversationId: team, seq: 1 }], code: 'conflict', field: 'system' },

  // message:react (aimed at alice's kept message)
  ...conversationCases('message:react', 'react', () => ({ conversationId: conv, seq: kept.seq, emoji: '👍' })),
  ...seqCases('message:react', 'react', () => ({ conversationId: conv, seq: kept.seq, emoji: '👍' })),
  { name: 'react: missing emoji', event: 'message:react', args: ref({}), code: 'validation_failed', field: 'emoji' },
  { name: 'react: emoji empty', event: 'message:react', args: react({ emoji: '' }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: a letter', event: 'message:react', args: react({ emoji: 'x' }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: two emoji', event: 'message:react', args: react({ emoji: '👍👍' }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: an emoji and a word', event: 'message:react', args: react({ emoji: '👍 yes' }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: a heart without its variation selector', event: 'message:react', args: react({ emoji: '❤' }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: half a flag', event: 'message:react', args: react({ emoji: '🇫' }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: a lone surrogate', event: 'message:react', args: react({ emoji: '\ud83d' }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: longer than 32 characters', event: 'message:react', args: react({ emoji: '👍'.repeat(17) }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: emoji a number', event: 'message:react', args: react({ emoji: 128077 }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: emoji null', event: 'message:react', args: react({ emoji: null }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: emoji a list', event: 'message:react', args: react({ emoji: ['👍'] }), code: 'validation_failed', field: 'emoji' },
  { name: 'react: remove cannot be given (it is a toggle)', event: 'message:react', args: react({ remove: true }), code: 'validation_failed', field: 'remove' },
  { name: 'react: someone else cannot be named', event: 'message:react', args: react({ userId: randomUUID() }), code: 'validation_failed', field: 'userId' },
  { name: 'react: a deleted message', event: 'message:react', args: () => [{ conversationId: conv, seq: tomb.seq, emoji: '👍' }], code: 'conflict', field: 'deleted' },
  { name: 'react: a system message', event: 'message:react', args: () => [{ conversationId: team, seq: 1, emoji: '👍' }], code: 'conflict', field: 'system' },

  // message:changes
  ...conversationCases('message:changes', 'changes', () => ({ conversationId: conv, since: 0 })),
  { name: 'changes: missing since', event: 'message:changes', args: () => [{ conversationId: conv }], code: 'validation_failed', field: 'since' },
  { name: 'changes: since negative', event: 'message:changes', args: changes({ since: -1 }), code: 'validation_failed', field: 'since' },
  { name: 'changes: since fractional', event: 'message:changes', args: changes({ since: 0.5 }), code: 'validation_failed', field: 'since' },
  { name: 'changes: since a numeric string', event: 'message:changes', args: changes({ since: '0' }), code: 'validation_failed', field: 'since' },
  { name: 'changes: since null', event: 'message:changes', args: changes({ since: null }), code: 'validation_failed', field: 'since' },
  { name: 'changes: since a boolean', event: 'message:changes', args: changes({ since: false }), code: 'validation_failed', field: 'since' },
  { name: 'changes: since just past the safe integers', event: 'message:changes', args: changes({ since: Number.MAX_SAFE_INTEGER + 1 }), code: 'validation_failed', field: 'since' },
  { name: 'changes: since an object', event: 'message:changes', args: changes({ since: { $gt: 0 } }), code: 'validation_failed', field: 'since' },
  { name: 'changes: limit 0', event: 'message:changes', args: changes({ limit: 0 }), code: 'validation_failed', field: 'limit' },
  { name: 'changes: limit over the page size', event: 'message:changes', args: changes({ limit: LIMITS.pageSizeMax + 1 }), code: 'validation_failed', field: 'limit' },
  { name: 'changes: limit fractional', event: 'message:changes', args: changes({ limit: 2.5 }), code: 'validation_failed', field: 'limit' },
  { name: 'changes: limit a numeric string', event: 'message:changes', args: changes({ limit: '10' }), code: 'validation_failed', field: 'limit' },
  { name: 'changes: limit null', event: 'message:changes', args: changes({ limit: null }), code: 'validation_failed', field: 'limit' },
  { name: 'changes: after instead of since', event: 'message:changes', args: () => [{ conversationId: conv, after: 0 }], code: 'validation_failed', field: 'after' },
  { name: 'changes: version instead of since', event: 'message:changes', args: () => [{ conversationId: conv, version: 0 }], code: 'validation_failed', field: 'version' },

  // presence:set
  { name: 'presence:set: empty object', event: 'presence:set', args: () => [{}], code: 'validation_failed', field: 'status' },
  { name: 'presence:set: offline (the server decides that)', event: 'presence:set', args: () => [{ status: 'offline' }], code: 'validation_failed', field: 'status' },
  { name: 'presence:set: an unknown status', event: 'presence:set', args: () => [{ status: 'busy' }], code: 'validation_failed', field: 'status' },
  { name: 'presence:set: status in capitals', event: 'presence:set', args: () => [{ status: 'ONLINE' }], code: 'validation_failed', field: 'status' },
  { name: 'presence:set: status empty', event: 'presence:set', args: () => [{ status: '' }], code: 'validation_failed', field: 'status' },
  { name: 'presence:set: status a number', event: 'presence:set', args: () => [{ status: 1 }], code: 'validation_failed', field: 'status' },
  { name: 'presence:set: status null', event: 'presence:set', args: () => [{ status: null }], code: 'validation_failed', field: 'status' },
  { name: 'presence:set: status a list', event: 'presence:set', args: () => [{ status: ['away'] }], code: 'validation_failed', field: 'status' },
  { name: 'presence:set: someone else cannot be named', event: 'presence:set', args: () => [{ status: 'away', userId: bob.user.id }], code: 'validation_failed', field: 'userId' },
  { name: 'presence:set: lastSeenAt cannot be given', event: 'presence:set', args: () => [{ status: 'away', lastSeenAt: '2000-01-01T00:00:00.000Z' }], code: 'validation_failed', field: 'lastSeenAt' },
  { name: 'presence:set: __proto__ field', event: 'presence:set', args: () => [JSON.parse('{"status":"away","__proto__":{"status":"online"}}')], code: 'validation_failed', field: '__proto__' },
  { name: 'presence:set: payload is the status alone', event: 'presence:set', args: () => ['away'], code: 'validation_failed', field: 'payload' },
  { name: 'presence:set: payload is a number', event: 'presence:set', args: () => [1], code: 'validation_failed', field: 'payload' },
  { name: 'presence:set: payload is null', event: 'presence:set', args: () => [null], code: 'validation_failed', field: 'payload' },
  { name: 'presence:set: payload is an array', event: 'presence:set', args: () => [['away']], code: 'validation_failed', field: 'payload' },
  { name: 'presence:set: payload is binary', event: 'presence:set', args: () => [Buffer.from('away')], code: 'validation_failed', field: 'payload' },
  { name: 'presence:set: no payload, only the ack', event: 'presence:set', args: () => [], code: 'validation_failed', field: 'payload' },

  // presence:list
  { name: 'presence:list: userIds a string', event: 'presence:list', args: () => [{ userIds: bob.user.id }], code: 'validation_failed', field: 'userIds' },
  { name: 'presence:list: userIds holding a username', event: 'presence:list', args: () => [{ userIds: [bob.user.id, 'carol'] }], code: 'validation_failed', field: 'userIds' },
  { name: 'presence:list: userIds holding a number', event: 'presence:list', args: () => [{ userIds: [1] }], code: 'validation_failed', field: 'userIds' },
  { name: 'presence:list: userIds a nested list', event: 'presence:list', args: () => [{ userIds: [[bob.user.id]] }], code: 'validation_failed', field: 'userIds' },
  { name: 'presence:list: userIds null', event: 'presence:list', args: () => [{ userIds: null }], code: 'validation_failed', field: 'userIds' },
  { name: 'presence:list: userIds an object', event: 'presence:list', args: () => [{ userIds: { 0: bob.user.id } }], code: 'validation_failed', field: 'userIds' },
  { name: 'presence:list: more userIds than allowed', event: 'presence:list', args: () => [{ userIds: Array.from({ length: PRESENCE_LIST_MAX + 1 }, () => randomUUID()) }], code: 'validation_failed', field: 'userIds' },
  { name: 'presence:list: userId instead of userIds', event: 'presence:list', args: () => [{ userId: bob.user.id }], code: 'validation_failed', field: 'userId' },
  { name: 'presence:list: a status filter cannot be given', event: 'presence:list', args: () => [{ status: 'online' }], code: 'validation_failed', field: 'status' },
  { name: 'presence:list: payload is the list of ids alone', event: 'presence:list', args: () => [[bob.user.id]], code: 'validation_failed', field: 'payload' },
  { name: 'presence:list: payload is a string', event: 'presence:list', args: () => [bob.user.id], code: 'validation_failed', field: 'payload' },
  { name: 'presence:list: payload is null', event: 'presence:list', args: () => [null], code: 'validation_failed', field: 'payload' },
  { name: 'presence:list: payload is binary', event: 'presence:list', args: () => [Buffer.from(bob.user.id)], code: 'validation_failed', field: 'payload' },
  { name: 'presence:list: no payload, only the ack', event: 'presence:list', args: () => [], code: 'validation_failed', field: 'payload' },

  // typing:start, typing:stop
  ...typingCases('start'),
  ...typingCases('stop'),

  // conversation:list
  { name: 'conversation:list: payload is a string', event: 'conversation:list', args: () => ['all'], code: 'validation_failed', field: 'payload' },

  // call:*
  ...callCases,

  // thread:* (issue 20, item 3): alice's kept message is a text message, so it can be a root
  ...conversationCases('thread:get', 'thread:get', () => ({ conversationId: conv, rootSeq: kept.seq })),
  { name: 'thread:get: missing rootSeq', event: 'thread:get', args: () => [{ conversationId: conv }], code: 'validation_failed', field: 'rootSeq' },
  { name: 'thread:get: rootSeq 0', event: 'thread:get', args: () => [{ conversationId: conv, rootSeq: 0 }], code: 'validation_failed', field: 'rootSeq' },
  { name: 'thread:get: limit too large', event: 'thread:get', args: () => [{ conversationId: conv, rootSeq: kept.seq, limit: 10_000 }], code: 'validation_failed', field: 'limit' },
  { name: 'thread:get: a seq no message has', event: 'thread:get', args: () => [{ conversationId: conv, rootSeq: 999 }], code: 'not_found', field: 'thread root' },
  { name: 'thread:get: of a system message', event: 'thread:get', args: () => [{ conversationId: team, rootSeq: 1 }], code: 'validation_failed', field: 'system' },
  ...conversationCases('thread:follow', 'thread:follow', () => ({ conversationId: conv, rootSeq: kept.seq, following: true })),
  { name: 'thread:follow: following a string', event: 'thread:follow', args: () => [{ conversationId: conv, rootSeq: kept.seq, following: 'yes' }], code: 'validation_failed', field: 'following' },
  ...conversationCases('thread:read', 'thread:read', () => ({ conversationId: conv, rootSeq: kept.seq, seq: 0 })),
  { name: 'thread:read: seq negative', event: 'thread:read', args: () => [{ conversationId: conv, rootSeq: kept.seq, seq: -1 }], code: 'validation_failed', field: 'seq' },
  { name: 'thread:list: payload is a string', event: 'thread:list', args: () => ['all'], code: 'validation_failed', field: 'payload' },

  // notification-prefs:* (issue 21, i21-attention)
  { name: 'notification-prefs:get: payload is a string', event: 'notification-prefs:get', args: () => ['all'], code: 'validation_failed', field: 'payload' },
  { name: 'notification-prefs:update: nothing to change', event: 'notification-prefs:update', args: () => [{}], code: 'validation_failed', field: /give level/ },
  { name: 'notification-prefs:update: an unknown level', event: 'notification-prefs:update', args: () => [{ level: 'loud' }], code: 'validation_failed', field: 'level' },
  { name: 'notification-prefs:update: dndUntil in the past', event: 'notification-prefs:update', args: () => [{ dndUntil: '2020-01-01T00:00:00.000Z' }], code: 'validation_failed', field: 'dndUntil' },
  { name: 'notification-prefs:update: payload is null', event: 'notification-prefs:update', args: () => [null], code: 'validation_failed', field: 'payload' }
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
    emit('receipt:read', { conversationId: conv, seq: -1 })
    emit('receipt:delivered', 'garbage')
    emit('message:edit', { conversationId: conv, seq: kept.seq, text: '' })
    emit('message:delete', 'garbage')
    emit('message:react', { conversationId: conv, seq: kept.seq, emoji: 'x' })
    emit('message:changes')
    emit('presence:set', { status: 'offline' })
    emit('presence:list', null)
    emit('typing:start', { conversationId: other })
    emit('typing:stop', 42)
    const listed = await emitAck<{ conversations: { id: string }[] }>(socket, 'conversation:list', {})
    expect(listed.ok).toBe(true)
    expect(socket.connected).toBe(true)
    const ok = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId: conv, clientId: 'after-no-ack', text: 'still works' })
    expect(ok.ok, JSON.stringify(ok)).toBe(true)
  })

  it('an unknown event without an ack is ignored; the socket stays usable', async () => {
    const emit = socket.emit.bind(socket) as (name: string, ...rest: unknown[]) => void
    emit('message:purge', { id: kept.id })
    emit('admin:shutdown')
    const listed = await emitAck(socket, 'conversation:list', {})
    expect(listed.ok).toBe(true)
    expect(socket.connected).toBe(true)
  })

  it('an unknown event with an ack is answered with an error naming the event', async () => {
    const result = await emitWithin(socket, 3000, 'message:purge', { id: kept.id })
    expectError(result, 'not_found', 'message:purge')
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

describe('receipt events with a valid payload', () => {
  it('are answered with both cursors, which never move back nor past the last message', async () => {
    type Cursors = { readSeq: number; deliveredSeq: number }
    const last = (await emitAck<{ messages: Message[] }>(socket, 'message:list', { conversationId: conv }))
    if (!last.ok) throw new Error(JSON.stringify(last.error))
    const lastSeq = last.data.messages.at(-1)!.seq
    const bobSocket = await open(bob.accessToken)
    const delivered = await emitAck<Cursors>(bobSocket, 'receipt:delivered', { conversationId: conv, seq: Number.MAX_SAFE_INTEGER })
    expect(delivered).toEqual({ ok: true, data: { readSeq: expect.any(Number), deliveredSeq: lastSeq } })
    const read = await emitAck<Cursors>(bobSocket, 'receipt:read', { conversationId: conv, seq: 0 })
    expect(read.ok && read.data.readSeq).toBeLessThanOrEqual(lastSeq)
    expect(read.ok && read.data.deliveredSeq).toBe(lastSeq)
    const all = await emitAck<Cursors>(bobSocket, 'receipt:read', { conversationId: conv, seq: lastSeq })
    expect(all).toEqual({ ok: true, data: { readSeq: lastSeq, deliveredSeq: lastSeq } })
    // Back is not a direction.
    expect(await emitAck<Cursors>(bobSocket, 'receipt:delivered', { conversationId: conv, seq: 1 })).toEqual(all)
  })
})

describe('presence and typing events with a valid payload', () => {
  it('presence:set answers the overall status: one device away leaves the user online while another is active', async () => {
    const idle = await open(alice.accessToken)
    expect(await emitAck(idle, 'presence:set', { status: 'away' })).toEqual({ ok: true, data: { status: 'online' } })
    // Repeating the current status is not a change.
    expect(await emitAck(idle, 'presence:set', { status: 'away' })).toEqual({ ok: true, data: { status: 'online' } })
    expect(await emitAck(idle, 'presence:set', { status: 'online' })).toEqual({ ok: true, data: { status: 'online' } })
    idle.close()
  })

  it('presence:list leaves out people the caller shares nothing with, unknown ids and repeats, not refusing them', async () => {
    const listed = await emitAck<{ presence: { userId: string }[] }>(socket, 'presence:list', {
      userIds: [bob.user.id, carol.user.id, randomUUID(), bob.user.id, alice.user.id]
    })
    if (!listed.ok) throw new Error(JSON.stringify(listed.error))
    expect(listed.data.presence.map((p) => p.userId)).toEqual([bob.user.id, alice.user.id])
    expect(await emitAck(socket, 'presence:list', { userIds: [] })).toEqual({ ok: true, data: { presence: [] } })
  })

  it('typing:start answers the timeout; typing:stop answers {} (also when not typing)', async () => {
    const started = await emitAck<{ timeoutMs: number }>(socket, 'typing:start', { conversationId: conv })
    expect(started).toEqual({ ok: true, data: { timeoutMs: expect.any(Number) } })
    expect(started.ok && started.data.timeoutMs).toBeGreaterThan(0)
    expect(await emitAck(socket, 'typing:stop', { conversationId: conv })).toEqual({ ok: true, data: {} })
    expect(await emitAck(socket, 'typing:stop', { conversationId: conv })).toEqual({ ok: true, data: {} })
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
    key = await tokenKey(srv)
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
    expect(listed.data.conversations.map((c) => c.id).sort()).toEqual([conv, team].sort())
    // No refused edit, deletion or reaction changed a message: the kept one is above; bob's, the deleted one and
    // the team's system message are as they were.
    const bySeq = (seq: number): Message | undefined => page.data.messages.find((m) => m.seq === seq)
    expect(bySeq(bobs.seq)).toEqual(bobs)
    expect(bySeq(tomb.seq)).toEqual(tomb)
    const teamPage = await emitAck<{ messages: Message[] }>(socket, 'message:list', { conversationId: team })
    if (!teamPage.ok) throw new Error(JSON.stringify(teamPage.error))
    expect(teamPage.data.messages.map((m) => [m.seq, m.kind, m.system?.type, m.version])).toEqual([[1, 'system', 'group_created', undefined]])
    const caughtUp = await emitAck<{ messages: Message[]; version: number }>(socket, 'message:changes', { conversationId: conv, since: 0 })
    if (!caughtUp.ok) throw new Error(JSON.stringify(caughtUp.error))
    // The one change in conv is the deletion made before any bad input.
    expect(caughtUp.data.messages).toEqual([tomb])
    // No refused presence:set changed alice's status.
    const bobSocket = await open(bob.accessToken)
    const presence = await emitAck<{ presence: { userId: string; status: string }[] }>(bobSocket, 'presence:list', { userIds: [alice.user.id] })
    expect(presence).toEqual({ ok: true, data: { presence: [{ userId: alice.user.id, status: 'online', lastSeenAt: null }] } })
  })
})
