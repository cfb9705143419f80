// Bad input on every REST route: each mistake gets a documented 4xx with a
// message naming the field, nothing stored is lost, and the server stays up.
// Every response is also checked against the OpenAPI document by `api`.
import { randomUUID } from 'node:crypto'
import { decodeJwt, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorCode } from '../../src/shared/errors'
import { LIMITS } from '../../src/shared/limits'
import type { Message } from '../../src/shared/schemas/messages'
import { api, register, type ApiResponse, type TestUser } from '../helpers/http'
import { openApiChecker } from '../helpers/openapi-check'
import { startServer, tokenKey, type TestServer } from '../helpers/server'

type Method = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

interface Case {
  name: string
  method: Method
  /**
   * Placeholders (also in bodies): {conv} (alice's direct chat with bob), {other} (a group alice is not in),
   * {group} (a group alice administers, with bob), {spare} (another of alice's groups), {notAdmin} (a group alice is in but does not administer),
   * {bob}, {carol}, {aliceId} (user ids), {unknown} (a random UUID), {alice} (alice's username in upper case),
   * {code} / {codeLoose} ({group}'s join code, and the same typed in lower case with a dash and spaces),
   * {usedUp} / {usedUpLoose}, {revoked}, {replaced}, {deletedCode} (join codes that no longer let anyone in),
   * {room} / {spareRoom} (public rooms alice runs), {seq} (the seq of alice's kept message in {conv}),
   * {chat} (a group alice administers, with bob, for message changes) and the seqs of its messages: {mine} (alice's),
   * {bobs} (bob's), {doomed} (bob's, deleted by a case), {tomb} (alice's, deleted), {full} (fifty different reactions);
   * {dm} (alice's direct chat with carol) and {carolDm} (carol's message in it), {carolSays} (carol's message in {notAdmin}).
   */
  path: string
  /** Whose bearer token is sent; default alice (the server admin: the first account). */
  as?: 'alice' | 'bob' | 'nobody'
  body?: unknown
  raw?: string
  headers?: Record<string, string>
  /** Send the raw body with no Content-Type header at all. */
  noContentType?: boolean
  status: number
  code?: ErrorCode
  /** A field name (or other words) the error message must contain. */
  field?: string
  mentions?: RegExp
  /** The name of an earlier case whose response body this one must equal (the request changed nothing more). */
  sameAs?: string
  /** The path is from the server's root, not /api/v1 (GET /metrics). */
  root?: true
}

interface ErrorBody {
  error: { code: string; message: string }
}

let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
const ids = {
  conv: '',
  other: '',
  group: '',
  spare: '',
  notAdmin: '',
  bob: '',
  carol: '',
  aliceId: '',
  alice: '',
  unknown: randomUUID(),
  code: '',
  codeLoose: '',
  usedUp: '',
  usedUpLoose: '',
  revoked: '',
  replaced: '',
  deletedCode: '',
  // Invitations: {sentInvitation} alice's pending one to carol, {receivedInvitation} bob's pending one to
  // alice, {declinedInvitation} carol's one to alice, which alice declined.
  sentInvitation: '',
  receivedInvitation: '',
  declinedInvitation: '',
  // Public rooms: {room} alice's (she runs it), {spareRoom} another of hers, used for renames;
  // carol's room (CAROL_ROOM) alice is not in. {seq}: the seq of alice's kept message in {conv}.
  room: '',
  spareRoom: '',
  seq: '',
  // Message changes: see `Case.path`.
  chat: '',
  mine: '',
  bobs: '',
  doomed: '',
  tomb: '',
  full: '',
  dm: '',
  carolDm: '',
  carolSays: '',
  // Administration: {victim} an account whose password the cases reset (nobody else's sessions end).
  victim: '',
  // Files: {upload} alice's unfinished upload to {conv} (10 of 100 bytes), {file} her PNG there,
  // {textFile} her text file there, {bobUpload} bob's upload to {conv}, {carolFile} carol's file in {other},
  // {sentFile} her file sent in a message in {spareRoom} (so it stays: she can no longer cancel it).
  sentFile: '',
  upload: '',
  file: '',
  textFile: '',
  bobUpload: '',
  carolFile: '',
  // tus's Upload-Metadata carries ids in base64: {convB64}, {otherB64}, {unknownB64}.
  convB64: '',
  otherB64: '',
  unknownB64: '',
  // User groups: {userGroup} one made by alice (handle UG_HANDLE), managed by nobody.
  userGroup: ''
}
type Placeholder = keyof typeof ids
const PLACEHOLDER = new RegExp(`\\{(${Object.keys(ids).join('|')})\\}`, 'g')
/** What the groups looked like before any bad input: all of it must be unchanged afterwards. */
const before = {
  group: {} as unknown,
  groupMessages: [] as Message[],
  joinCode: {} as unknown,
  notAdmin: {} as unknown,
  other: {} as unknown,
  usedUp: {} as unknown
}
/** Bob's group whose one-use code carol used up. */
let usedUpGroup = ''
/** The group that was deleted (its code is {deletedCode}). */
let deletedGroup = ''
/** Added to the server's clock, to see join codes expire. */
let clockSkew = 0
/** Alice's message sent before any bad input: it must survive all of it. */
let keptMessage: { id: string; seq: number; text: string; clientId: string }
let aliceConversationCount = 0
/** Alice's pending invitations before any bad input. */
let invitationsBefore: unknown
/** The public rooms as alice browsed them before any bad input, but for {spareRoom}, whose renames have their own cases. */
let roomsBefore: unknown[] = []
/** What each case was answered one by one: `status code`. */
const answered = new Map<string, string>()
/** The body each case was answered one by one (for `sameAs`). */
const bodies = new Map<string, unknown>()
/** The messages of {chat} and {dm} before any bad input. */
let chatBefore: Message[] = []
let dmBefore: Message[] = []

const long = (n: number, ch = 'a'): string => ch.repeat(n)
/** A JSON body just over express.json's 256 KB limit. */
const oversized = JSON.stringify({ clientId: 'big', text: long(300 * 1024) })
/** Prefix of usernames used in refused registrations: none of them may exist afterwards. */
const GHOST = `ghost${process.pid}`
/** Names of the public rooms ({room}, {spareRoom}, and carol's). */
const ROOM = 'AliceLounge'
const SPARE_ROOM = 'AliceAnnex'
const CAROL_ROOM = 'CarolCorner'

function fill<T>(value: T): T {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (_, key: Placeholder) => ids[key]) as T
  }
  if (Array.isArray(value)) return value.map(fill) as T
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)])) as T
  }
  return value
}

async function send(c: Case): Promise<ApiResponse<ErrorBody>> {
  const path = fill(c.path)
  const headers = fill({ ...c.headers })
  const token = c.as === 'nobody' || headers['authorization'] !== undefined ? undefined : c.as === 'bob' ? bob.accessToken : alice.accessToken
  if (c.noContentType) {
    // fetch adds no Content-Type for a byte body; `api` would add one.
    if (token) headers['authorization'] = `Bearer ${token}`
    const res = await fetch(`${srv.url}/api/v1${path}`, {
      method: c.method,
      headers,
      body: new TextEncoder().encode(c.raw ?? '')
    })
    expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/)
    const body = (await res.json()) as ErrorBody
    ;(await openApiChecker(srv.url)).check(c.method.toLowerCase(), path, res.status, body)
    return { status: res.status, body, headers: res.headers }
  }
  return api<ErrorBody>(srv.url, c.method, path, {
    ...(token ? { token } : {}),
    ...(c.body !== undefined ? { body: fill(c.body) } : {}),
    ...(c.raw !== undefined ? { raw: c.raw } : {}),
    ...(c.root ? { root: true } : {}),
    headers
  })
}

/** The raw bytes and headers of an upload's PATCH. */
function uploadBytes(bytes: string, offset: number | string): Pick<Case, 'raw' | 'headers'> {
  return { raw: bytes, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) } }
}

// Cases shared by every route that takes a JSON body.
function bodyCases(method: Method, path: string, valid: unknown): Case[] {
  const label = `${method} ${path}`
  return [
    { name: `${label}: malformed JSON`, method, path, raw: '{bad', status: 400, code: 'bad_json', mentions: /JSON/ },
    { name: `${label}: truncated JSON`, method, path, raw: JSON.stringify(valid).slice(0, -1), status: 400, code: 'bad_json', mentions: /JSON/ },
    // Valid JSON that is not an object: the message must say an object is expected
    // (not that the JSON is invalid, which it is not).
    { name: `${label}: a JSON string`, method, path, raw: '"x"', status: 400, mentions: /object/ },
    { name: `${label}: a JSON array`, method, path, raw: '[]', status: 400, code: 'validation_failed', field: 'body', mentions: /object/ },
    { name: `${label}: JSON null`, method, path, raw: 'null', status: 400, mentions: /object/ },
    { name: `${label}: empty body`, method, path, raw: '', status: 400, code: 'validation_failed', field: 'body' },
    {
      name: `${label}: no Content-Type`,
      method,
      path,
      raw: JSON.stringify(valid),
      noContentType: true,
      status: 415,
      code: 'unsupported_media_type',
      mentions: /Content-Type: application\/json/
    },
    {
      name: `${label}: Content-Type text/plain`,
      method,
      path,
      raw: JSON.stringify(valid),
      headers: { 'content-type': 'text/plain' },
      status: 415,
      code: 'unsupported_media_type',
      mentions: /not text\/plain/
    },
    { name: `${label}: body over 256 KB`, method, path, raw: oversized, status: 413, code: 'payload_too_large', mentions: /too large/ }
  ]
}

// Cases shared by every route that needs a signed-in caller.
function authCases(method: Method, path: string, body?: unknown): Case[] {
  const label = `${method} ${path}`
  const b = body === undefined ? {} : { body }
  return [
    { name: `${label}: no Authorization`, method, path, ...b, as: 'nobody', status: 401, code: 'unauthorized', mentions: /Bearer/ },
    {
      name: `${label}: garbage bearer token`,
      method,
      path,
      ...b,
      headers: { authorization: 'Bearer not.a.jwt' },
      status: 401,
      code: 'invalid_token'
    },
    {
      name: `${label}: "Bearer" without a token`,
      method,
      path,
      ...b,
      headers: { authorization: 'Bearer' },
      status: 401,
      code: 'unauthorized'
    },
    {
      name: `${label}: another scheme`,
      method,
      path,
      ...b,
      headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' },
      status: 401,
      code: 'unauthorized'
    }
  ]
}

// Cases for the conversation id in the path (written {conv} or {group}).
function idCases(method: Method, path: string, body?: unknown): Case[] {
  const label = `${method} ${path}`
  const b = body === undefined ? {} : { body }
  const at = (id: string): string => path.replace(/\{(conv|group|spare)\}/, id)
  return [
    { name: `${label}: id is not a UUID`, method, path: at('not-a-uuid'), ...b, status: 400, code: 'validation_failed', field: 'id' },
    { name: `${label}: id is a number`, method, path: at('12345'), ...b, status: 400, code: 'validation_failed', field: 'id' },
    {
      name: `${label}: id is a UUID with a trailing character`,
      method,
      path: at(`${randomUUID()}x`),
      ...b,
      status: 400,
      code: 'validation_failed',
      field: 'id'
    },
    // The message must say what is wrong with the path, not just that the request "could not be read".
    { name: `${label}: malformed percent-encoding in the id`, method, path: at('%E0%A4%A'), ...b, status: 400, code: 'validation_failed', mentions: /path|id|encod/i },
    { name: `${label}: unknown conversation`, method, path: at('{unknown}'), ...b, status: 404, code: 'not_found', field: 'conversation' },
    { name: `${label}: not a member`, method, path: at('{other}'), ...b, status: 403, code: 'forbidden', field: 'member' }
  ]
}

// Cases shared by every admin-only group route: `path` names alice's group as {group}
// and `body` is valid, so only the conversation decides the answer.
function groupCases(method: Method, path: string, body?: unknown): Case[] {
  const label = `${method} ${path}`
  const b = body === undefined ? {} : { body }
  const at = (placeholder: string): string => path.replace('{group}', placeholder)
  return [
    ...idCases(method, path, body),
    { name: `${label}: a direct chat`, method, path: at('{conv}'), ...b, status: 409, code: 'conflict', mentions: /direct chat/ },
    { name: `${label}: a member who is not an admin`, method, path: at('{notAdmin}'), ...b, status: 403, code: 'forbidden', field: 'admin' }
  ]
}

// Cases for the user id of /conversations/:id/members/:userId (written {bob}).
function memberIdCases(method: Method, path: string, body?: unknown): Case[] {
  const label = `${method} ${path}`
  const b = body === undefined ? {} : { body }
  const at = (id: string): string => path.replace('{bob}', id)
  return [
    { name: `${label}: userId is not a UUID`, method, path: at('bob'), ...b, status: 400, code: 'validation_failed', field: 'userId' },
    { name: `${label}: userId is a UUID with a trailing character`, method, path: at(`${randomUUID()}x`), ...b, status: 400, code: 'validation_failed', field: 'userId' },
    { name: `${label}: userId is a username`, method, path: at('{alice}'), ...b, status: 400, code: 'validation_failed', field: 'userId' },
    { name: `${label}: both ids malformed`, method, path: at('x').replace('{group}', 'y'), ...b, status: 400, code: 'validation_failed', mentions: /id.*userId/ },
    { name: `${label}: malformed percent-encoding in the userId`, method, path: at('%E0%A4%A'), ...b, status: 400, code: 'validation_failed', mentions: /path|id|encod/i },
    { name: `${label}: unknown user`, method, path: at('{unknown}'), ...b, status: 404, code: 'not_found', field: 'member' },
    { name: `${label}: a user who is not in the group`, method, path: at('{carol}'), ...b, status: 404, code: 'not_found', field: 'member' }
  ]
}

// Cases for the invitation id in the path (written {sentInvitation} or {receivedInvitation}).
function invitationIdCases(method: Method, path: string, body?: unknown): Case[] {
  const label = `${method} ${path}`
  const b = body === undefined ? {} : { body }
  const at = (id: string): string => path.replace(/\{(sent|received)Invitation\}/, id)
  return [
    { name: `${label}: id is not a UUID`, method, path: at('not-a-uuid'), ...b, status: 400, code: 'validation_failed', field: 'id' },
    { name: `${label}: id is a number`, method, path: at('12345'), ...b, status: 400, code: 'validation_failed', field: 'id' },
    { name: `${label}: id is a UUID with a trailing character`, method, path: at(`${randomUUID()}x`), ...b, status: 400, code: 'validation_failed', field: 'id' },
    { name: `${label}: unknown invitation`, method, path: at('{unknown}'), ...b, status: 404, code: 'not_found', field: 'invitation' }
  ]
}

// Cases for the room id of POST /rooms/:id/join (written {room}): only a public room can be joined that way,
// and a group or direct chat is answered like an unknown room (whether one is in it or not).
function roomIdCases(method: Method, path: string): Case[] {
  const label = `${method} ${path}`
  const at = (id: string): string => path.replace('{room}', id)
  return [
    { name: `${label}: id is not a UUID`, method, path: at('lobby'), status: 400, code: 'validation_failed', field: 'id' },
    { name: `${label}: id is a number`, method, path: at('12345'), status: 400, code: 'validation_failed', field: 'id' },
    { name: `${label}: id is a UUID with a trailing character`, method, path: at(`${randomUUID()}x`), status: 400, code: 'validation_failed', field: 'id' },
    { name: `${label}: id is a room name`, method, path: at(ROOM), status: 400, code: 'validation_failed', field: 'id' },
    { name: `${label}: malformed percent-encoding in the id`, method, path: at('%E0%A4%A'), status: 400, code: 'validation_failed', mentions: /path|id|encod/i },
    { name: `${label}: unknown room`, method, path: at('{unknown}'), status: 404, code: 'not_found', field: 'room' },
    { name: `${label}: a group one is in`, method, path: at('{group}'), status: 404, code: 'not_found', field: 'room' },
    { name: `${label}: a group one is not in`, method, path: at('{other}'), status: 404, code: 'not_found', field: 'room' },
    { name: `${label}: a direct chat`, method, path: at('{conv}'), status: 404, code: 'not_found', field: 'room' }
  ]
}

// Cases for the message seq of /conversations/:id/messages/:seq[/...] (written {seq}): a whole number from 1,
// not a message id. `body` is valid, so only the seq decides the answer.
function seqCases(method: Method, path: string, body?: unknown): Case[] {
  const label = `${method} ${path}`
  const b = body === undefined ? {} : { body }
  const at = (seq: string): string => path.replace('{seq}', seq)
  const cases: Case[] = [
    { name: `${label}: seq is 0`, method, path: at('0'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq is negative`, method, path: at('-1'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq is fractional`, method, path: at('1.5'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq with an exponent`, method, path: at('1e3'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq with a plus sign`, method, path: at('+1'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq with a leading space`, method, path: at('%201'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq in hex`, method, path: at('0x1'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq is a word`, method, path: at('latest'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq is a message id`, method, path: at('{unknown}'), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq just past the safe integers`, method, path: at(String(Number.MAX_SAFE_INTEGER + 1)), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq of 17 digits`, method, path: at(`1${'0'.repeat(16)}`), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: seq of 400 digits`, method, path: at(long(400, '9')), status: 400, code: 'validation_failed', field: 'seq' },
    { name: `${label}: malformed percent-encoding in the seq`, method, path: at('%E0%A4%A'), status: 400, code: 'validation_failed', mentions: /path|seq|encod/i },
    { name: `${label}: id and seq both malformed`, method, path: at('x').replace('{conv}', 'y'), status: 400, code: 'validation_failed', mentions: /id.*seq/ },
    { name: `${label}: a seq no message has yet`, method, path: at('99'), status: 404, code: 'not_found', field: 'message' },
    { name: `${label}: the largest seq there can be`, method, path: at(String(Number.MAX_SAFE_INTEGER)), status: 404, code: 'not_found', field: 'message' }
  ]
  return cases.map((c) => ({ ...c, ...b }))
}

// Cases shared by the POST routes that take no body (`status` is their success). Every request body is still
// read (so the connection stays clean): broken JSON is 400, too large 413, not UTF-8 415; a well-formed JSON
// body or a non-JSON one is ignored and the answer is the one to no body.
function noBodyCases(method: Method, path: string, status: number): Case[] {
  const label = `${method} ${path}`
  const sameAs = `${label}: no body`
  return [
    { name: sameAs, method, path, status },
    { name: `${label}: an empty JSON object is ignored`, method, path, body: {}, status, sameAs },
    { name: `${label}: fields in a JSON body are ignored`, method, path, body: { id: '{unknown}', userId: '{bob}' }, status, sameAs },
    { name: `${label}: malformed JSON`, method, path, raw: '{bad', status: 400, code: 'bad_json', mentions: /JSON/ },
    { name: `${label}: a body over 256 KB`, method, path, raw: oversized, status: 413, code: 'payload_too_large', mentions: /too large/ },
    {
      name: `${label}: JSON in an unsupported charset`,
      method,
      path,
      raw: '{}',
      headers: { 'content-type': 'application/json; charset=latin1' },
      status: 415,
      code: 'unsupported_media_type'
    },
    { name: `${label}: a text/plain body is ignored`, method, path, raw: 'hello', headers: { 'content-type': 'text/plain' }, status, sameAs }
  ]
}

const validSend = { clientId: 'valid-1', text: 'hello' }
/** A valid edit: wrongly applied to alice's kept message, it would show at the end. */
const validEdit = { text: 'edited by mistake' }
/** The text of alice's message {mine} in {chat}; editing it to the same text changes nothing. */
const MINE_TEXT = 'the plan for friday'
/** 51 different emoji (😀 to 😲): the first 50 react to {full} in beforeAll, the last is one too many. */
const FACES = Array.from({ length: LIMITS.reactionsPerMessageMax + 1 }, (_, i) => String.fromCodePoint(0x1f600 + i))
/** Query parameters for GET /search: a valid query, to add one mistake to. */
const SEARCH = '/search?q=storm'
const validRename = { title: 'Renamed' }
const UG_HANDLE = `designers${process.pid}`.slice(0, 32)
const validUserGroup = { handle: 'new-team', name: 'New team', memberIds: [] }
/** A 1×1 PNG as a data: URL. */
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='

const cases: Case[] = [
  // GET /health
  { name: 'GET /health: a garbage Authorization header is ignored', method: 'GET', path: '/health', headers: { authorization: 'Bearer junk' }, status: 200 },
  { name: 'GET /health: unknown query parameters are ignored', method: 'GET', path: '/health?x=1&x=2', status: 200 },
  { name: 'POST /health: wrong method', method: 'POST', path: '/health', body: {}, status: 404, code: 'not_found', field: '/health' },
  // GET /metrics: this server was started without --metrics-token (test/integration/metrics.test.ts has one that was).
  { name: 'GET /metrics: metrics are off here', method: 'GET', path: '/metrics', root: true, headers: { authorization: 'Bearer some-metrics-token-0123' }, status: 404, code: 'not_found', field: '/metrics' },

  // POST /auth/register
  ...bodyCases('POST', '/auth/register', { username: `${GHOST}a`, password: 'long enough pw' }),
  { name: 'register: missing username', method: 'POST', path: '/auth/register', body: { password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'register: missing password', method: 'POST', path: '/auth/register', body: { username: `${GHOST}b` }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'register: empty object', method: 'POST', path: '/auth/register', body: {}, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'register: username is a number', method: 'POST', path: '/auth/register', body: { username: 12345, password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'register: password is an array', method: 'POST', path: '/auth/register', body: { username: `${GHOST}c`, password: ['long enough pw'] }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'register: username too short', method: 'POST', path: '/auth/register', body: { username: 'ab', password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'register: username too long', method: 'POST', path: '/auth/register', body: { username: `${GHOST}${long(LIMITS.usernameMax)}`, password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'register: username with spaces and symbols', method: 'POST', path: '/auth/register', body: { username: `${GHOST} <b>`, password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'register: username with a control character', method: 'POST', path: '/auth/register', body: { username: `${GHOST}\u0000x`, password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'register: password too short', method: 'POST', path: '/auth/register', body: { username: `${GHOST}d`, password: long(LIMITS.passwordMin - 1) }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'register: password too long', method: 'POST', path: '/auth/register', body: { username: `${GHOST}e`, password: long(LIMITS.passwordMax + 1) }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'register: displayName too long', method: 'POST', path: '/auth/register', body: { username: `${GHOST}f`, password: 'long enough pw', displayName: long(LIMITS.displayNameMax + 1) }, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'register: displayName with a control character', method: 'POST', path: '/auth/register', body: { username: `${GHOST}g`, password: 'long enough pw', displayName: 'Bad\u0007Name' }, status: 400, code: 'validation_failed', field: 'displayName', mentions: /control character/ },
  { name: 'register: displayName with an ANSI escape', method: 'POST', path: '/auth/register', body: { username: `${GHOST}h`, password: 'long enough pw', displayName: '\u001b[31mRed' }, status: 400, code: 'validation_failed', field: 'displayName', mentions: /control character/ },
  { name: 'register: displayName whitespace only', method: 'POST', path: '/auth/register', body: { username: `${GHOST}i`, password: 'long enough pw', displayName: '   \t ' }, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'register: displayName null', method: 'POST', path: '/auth/register', body: { username: `${GHOST}j`, password: 'long enough pw', displayName: null }, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'register: unknown field', method: 'POST', path: '/auth/register', body: { username: `${GHOST}k`, password: 'long enough pw', isAdmin: true }, status: 400, code: 'validation_failed', field: 'isAdmin' },
  { name: 'register: a JSON number', method: 'POST', path: '/auth/register', raw: '42', status: 400, mentions: /object/ },
  { name: 'register: a JSON boolean', method: 'POST', path: '/auth/register', raw: 'true', status: 400, mentions: /object/ },
  { name: 'register: username taken (other case)', method: 'POST', path: '/auth/register', body: { username: '{alice}', password: 'long enough pw' }, status: 409, code: 'username_taken', field: 'username' },
  {
    name: 'register: Content-Type with an unsupported charset',
    method: 'POST',
    path: '/auth/register',
    raw: JSON.stringify({ username: `${GHOST}l`, password: 'long enough pw' }),
    headers: { 'content-type': 'application/json; charset=latin1' },
    status: 415,
    code: 'unsupported_media_type',
    mentions: /UTF-8/
  },

  // POST /auth/login
  ...bodyCases('POST', '/auth/login', { username: 'someone', password: 'whatever123' }),
  { name: 'login: missing password', method: 'POST', path: '/auth/login', body: { username: 'someone' }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'login: missing username', method: 'POST', path: '/auth/login', body: { password: 'whatever123' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'login: username is an object', method: 'POST', path: '/auth/login', body: { username: { $ne: '' }, password: 'whatever123' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'login: empty password', method: 'POST', path: '/auth/login', body: { username: 'someone', password: '' }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'login: username too long', method: 'POST', path: '/auth/login', body: { username: long(LIMITS.usernameMax + 1), password: 'whatever123' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'login: password too long', method: 'POST', path: '/auth/login', body: { username: 'someone', password: long(LIMITS.passwordMax + 1) }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'login: unknown field', method: 'POST', path: '/auth/login', body: { username: 'someone', password: 'whatever123', remember: true }, status: 400, code: 'validation_failed', field: 'remember' },
  { name: 'login: wrong password', method: 'POST', path: '/auth/login', body: { username: '{alice}', password: 'not the password' }, status: 401, code: 'invalid_credentials' },

  // POST /auth/refresh
  ...bodyCases('POST', '/auth/refresh', { refreshToken: 'x' }),
  { name: 'refresh: missing refreshToken', method: 'POST', path: '/auth/refresh', body: {}, status: 400, code: 'validation_failed', field: 'refreshToken' },
  { name: 'refresh: refreshToken is a number', method: 'POST', path: '/auth/refresh', body: { refreshToken: 42 }, status: 400, code: 'validation_failed', field: 'refreshToken' },
  { name: 'refresh: empty refreshToken', method: 'POST', path: '/auth/refresh', body: { refreshToken: '' }, status: 400, code: 'validation_failed', field: 'refreshToken' },
  { name: 'refresh: refreshToken too long', method: 'POST', path: '/auth/refresh', body: { refreshToken: long(201) }, status: 400, code: 'validation_failed', field: 'refreshToken' },
  { name: 'refresh: unknown field', method: 'POST', path: '/auth/refresh', body: { refreshToken: 'x', accessToken: 'y' }, status: 400, code: 'validation_failed', field: 'accessToken' },
  { name: 'refresh: unknown refresh token', method: 'POST', path: '/auth/refresh', body: { refreshToken: 'no-such-token' }, status: 401, code: 'invalid_token', field: 'refresh token' },

  // POST /auth/logout
  ...bodyCases('POST', '/auth/logout', { refreshToken: 'x' }),
  { name: 'logout: missing refreshToken', method: 'POST', path: '/auth/logout', body: {}, status: 400, code: 'validation_failed', field: 'refreshToken' },
  { name: 'logout: refreshToken is null', method: 'POST', path: '/auth/logout', body: { refreshToken: null }, status: 400, code: 'validation_failed', field: 'refreshToken' },
  { name: 'logout: refreshToken too long', method: 'POST', path: '/auth/logout', body: { refreshToken: long(201) }, status: 400, code: 'validation_failed', field: 'refreshToken' },
  { name: 'logout: unknown field', method: 'POST', path: '/auth/logout', body: { refreshToken: 'x', all: true }, status: 400, code: 'validation_failed', field: 'all' },
  { name: 'logout: unknown token is harmless', method: 'POST', path: '/auth/logout', body: { refreshToken: 'no-such-token' }, status: 204 },

  // GET /me
  ...authCases('GET', '/me'),
  { name: 'GET /me: token in the query string is not accepted', method: 'GET', path: '/me?access_token=abc', as: 'nobody', status: 401, code: 'unauthorized' },

  // PATCH /me
  ...bodyCases('PATCH', '/me', { statusText: 'hi' }),
  ...authCases('PATCH', '/me', { statusText: 'hi' }),
  { name: 'PATCH /me: empty object', method: 'PATCH', path: '/me', body: {}, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'PATCH /me: displayName too long', method: 'PATCH', path: '/me', body: { displayName: long(LIMITS.displayNameMax + 1) }, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'PATCH /me: displayName with NUL', method: 'PATCH', path: '/me', body: { displayName: 'A\u0000B' }, status: 400, code: 'validation_failed', field: 'displayName', mentions: /control character/ },
  { name: 'PATCH /me: displayName with a newline inside', method: 'PATCH', path: '/me', body: { displayName: 'Two\nLines' }, status: 400, code: 'validation_failed', field: 'displayName', mentions: /control character/ },
  { name: 'PATCH /me: displayName with DEL', method: 'PATCH', path: '/me', body: { displayName: 'Del\u007f' }, status: 400, code: 'validation_failed', field: 'displayName', mentions: /control character/ },
  { name: 'PATCH /me: displayName whitespace only', method: 'PATCH', path: '/me', body: { displayName: '  \n ' }, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'PATCH /me: displayName is a number', method: 'PATCH', path: '/me', body: { displayName: 7 }, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'PATCH /me: statusText too long', method: 'PATCH', path: '/me', body: { statusText: long(LIMITS.statusTextMax + 1) }, status: 400, code: 'validation_failed', field: 'statusText' },
  { name: 'PATCH /me: statusText with a control character', method: 'PATCH', path: '/me', body: { statusText: 'away\u0008' }, status: 400, code: 'validation_failed', field: 'statusText', mentions: /control character/ },
  { name: 'PATCH /me: statusText is an object', method: 'PATCH', path: '/me', body: { statusText: { text: 'x' } }, status: 400, code: 'validation_failed', field: 'statusText' },
  { name: 'PATCH /me: hideLastSeen as a string', method: 'PATCH', path: '/me', body: { hideLastSeen: 'true' }, status: 400, code: 'validation_failed', field: 'hideLastSeen' },
  { name: 'PATCH /me: hideLastSeen as a number', method: 'PATCH', path: '/me', body: { hideLastSeen: 1 }, status: 400, code: 'validation_failed', field: 'hideLastSeen' },
  { name: 'PATCH /me: hideLastSeen null', method: 'PATCH', path: '/me', body: { hideLastSeen: null }, status: 400, code: 'validation_failed', field: 'hideLastSeen' },
  { name: 'PATCH /me: contactsOnlyDirect as a string', method: 'PATCH', path: '/me', body: { contactsOnlyDirect: 'true' }, status: 400, code: 'validation_failed', field: 'contactsOnlyDirect' },
  { name: 'PATCH /me: contactsOnlyDirect null', method: 'PATCH', path: '/me', body: { contactsOnlyDirect: null }, status: 400, code: 'validation_failed', field: 'contactsOnlyDirect' },
  { name: 'PATCH /me: statusEmoji is text', method: 'PATCH', path: '/me', body: { statusEmoji: 'busy' }, status: 400, code: 'validation_failed', field: 'statusEmoji', mentions: /single emoji/ },
  { name: 'PATCH /me: statusEmoji is two emoji', method: 'PATCH', path: '/me', body: { statusEmoji: '📅🏠' }, status: 400, code: 'validation_failed', field: 'statusEmoji', mentions: /single emoji/ },
  { name: 'PATCH /me: statusExpiresAt is not a time', method: 'PATCH', path: '/me', body: { statusExpiresAt: 'tomorrow' }, status: 400, code: 'validation_failed', field: 'statusExpiresAt' },
  { name: 'PATCH /me: statusExpiresAt in the past', method: 'PATCH', path: '/me', body: { statusExpiresAt: '2020-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'statusExpiresAt', mentions: /future/ },
  { name: 'PATCH /me: username cannot be changed', method: 'PATCH', path: '/me', body: { displayName: 'Mallory', username: 'mallory' }, status: 400, code: 'validation_failed', field: 'username' },
  {
    name: 'PATCH /me: Content-Encoding gzip, body not gzip',
    method: 'PATCH',
    path: '/me',
    raw: '{"statusText":"x"}',
    headers: { 'content-encoding': 'gzip' },
    status: 400,
    mentions: /gzip|encod|compress/i
  },
  {
    name: 'PATCH /me: unknown Content-Encoding',
    method: 'PATCH',
    path: '/me',
    raw: '{"statusText":"x"}',
    headers: { 'content-encoding': 'snappy' },
    status: 415,
    code: 'unsupported_media_type',
    mentions: /encoding/
  },
  { name: 'PATCH /me: __proto__ key', method: 'PATCH', path: '/me', raw: '{"displayName":"Proto","__proto__":{"isAdmin":true}}', status: 400, code: 'validation_failed', field: '__proto__' },
  { name: 'PATCH /me: constructor key', method: 'PATCH', path: '/me', raw: '{"statusText":"x","constructor":{"prototype":{"isAdmin":true}}}', status: 400, code: 'validation_failed', field: 'constructor' },
  { name: 'PATCH /me: duplicate keys, the last one invalid', method: 'PATCH', path: '/me', raw: '{"displayName":"Ok","displayName":"Bad\\u0000"}', status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'PATCH /me: id cannot be changed', method: 'PATCH', path: '/me', body: { displayName: 'Mallory', id: '{bob}' }, status: 400, code: 'validation_failed', field: 'id' },

  // GET /users
  ...authCases('GET', '/users'),
  { name: 'GET /users: limit=0', method: 'GET', path: '/users?limit=0', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /users: limit=10000', method: 'GET', path: '/users?limit=10000', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /users: limit=-1', method: 'GET', path: '/users?limit=-1', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /users: limit=abc', method: 'GET', path: '/users?limit=abc', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /users: limit=1.5', method: 'GET', path: '/users?limit=1.5', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /users: limit repeated', method: 'GET', path: '/users?limit=1&limit=2', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /users: q repeated (an array)', method: 'GET', path: '/users?q=a&q=b', status: 400, code: 'validation_failed', field: 'q' },
  { name: 'GET /users: q with brackets', method: 'GET', path: '/users?q[x]=1', status: 400, code: 'validation_failed', field: 'q' },
  { name: 'GET /users: q too long', method: 'GET', path: `/users?q=${long(LIMITS.usernameMax + 1)}`, status: 400, code: 'validation_failed', field: 'q' },
  { name: 'GET /users: unknown parameter', method: 'GET', path: '/users?role=admin', status: 400, code: 'validation_failed', field: 'role' },

  // POST /conversations
  ...bodyCases('POST', '/conversations', { kind: 'direct', userId: '{bob}' }),
  ...authCases('POST', '/conversations', { kind: 'direct', userId: '{bob}' }),
  { name: 'POST /conversations: empty object', method: 'POST', path: '/conversations', body: {}, status: 400, code: 'validation_failed', field: 'kind' },
  { name: 'POST /conversations: unknown kind', method: 'POST', path: '/conversations', body: { kind: 'channel', title: 'x' }, status: 400, code: 'validation_failed', field: 'kind' },
  { name: 'POST /conversations: kind is a number', method: 'POST', path: '/conversations', body: { kind: 1, userId: '{bob}' }, status: 400, code: 'validation_failed', field: 'kind' },
  { name: 'POST /conversations: direct without userId', method: 'POST', path: '/conversations', body: { kind: 'direct' }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'POST /conversations: direct with a non-UUID userId', method: 'POST', path: '/conversations', body: { kind: 'direct', userId: 'bob' }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'POST /conversations: direct with an unknown userId', method: 'POST', path: '/conversations', body: { kind: 'direct', userId: '{unknown}' }, status: 404, code: 'not_found', field: 'user' },
  { name: 'POST /conversations: direct with a title', method: 'POST', path: '/conversations', body: { kind: 'direct', userId: '{bob}', title: 'x' }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'POST /conversations: group without title', method: 'POST', path: '/conversations', body: { kind: 'group', memberIds: [] }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'POST /conversations: group without memberIds', method: 'POST', path: '/conversations', body: { kind: 'group', title: 'Team' }, status: 400, code: 'validation_failed', field: 'memberIds' },
  { name: 'POST /conversations: group title too long', method: 'POST', path: '/conversations', body: { kind: 'group', title: long(LIMITS.groupTitleMax + 1), memberIds: [] }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'POST /conversations: group title whitespace only', method: 'POST', path: '/conversations', body: { kind: 'group', title: ' \t ', memberIds: [] }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'POST /conversations: group title with a control character', method: 'POST', path: '/conversations', body: { kind: 'group', title: 'Team\u0000', memberIds: [] }, status: 400, code: 'validation_failed', field: 'title', mentions: /control character/ },
  { name: 'POST /conversations: group title with an escape sequence', method: 'POST', path: '/conversations', body: { kind: 'group', title: 'Te\u001b[2Jam', memberIds: [] }, status: 400, code: 'validation_failed', field: 'title', mentions: /control character/ },
  { name: 'POST /conversations: group memberIds is a string', method: 'POST', path: '/conversations', body: { kind: 'group', title: 'Team', memberIds: '{bob}' }, status: 400, code: 'validation_failed', field: 'memberIds' },
  { name: 'POST /conversations: group memberIds has a non-UUID', method: 'POST', path: '/conversations', body: { kind: 'group', title: 'Team', memberIds: ['{bob}', 'carol'] }, status: 400, code: 'validation_failed', field: 'memberIds' },
  { name: 'POST /conversations: group memberIds has an unknown user', method: 'POST', path: '/conversations', body: { kind: 'group', title: 'Team', memberIds: ['{bob}', '{unknown}'] }, status: 404, code: 'not_found', field: '{unknown}' },
  {
    name: 'POST /conversations: group with too many members',
    method: 'POST',
    path: '/conversations',
    body: { kind: 'group', title: 'Team', memberIds: Array.from({ length: LIMITS.groupMembersMax + 1 }, () => randomUUID()) },
    status: 400,
    code: 'validation_failed',
    field: 'memberIds'
  },
  { name: 'POST /conversations: group with an unknown field', method: 'POST', path: '/conversations', body: { kind: 'group', title: 'Team', memberIds: [], private: true }, status: 400, code: 'validation_failed', field: 'private' },
  { name: 'POST /conversations: a direct chat with a description', method: 'POST', path: '/conversations', body: { kind: 'direct', userId: '{bob}', description: 'x' }, status: 400, code: 'validation_failed', field: 'description' },

  // GET /conversations
  ...authCases('GET', '/conversations'),

  // GET /conversations/:id
  ...authCases('GET', '/conversations/{conv}'),
  ...idCases('GET', '/conversations/{conv}'),

  // GET /conversations/:id/messages
  ...authCases('GET', '/conversations/{conv}/messages'),
  ...idCases('GET', '/conversations/{conv}/messages'),
  { name: 'GET messages: limit=0', method: 'GET', path: '/conversations/{conv}/messages?limit=0', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET messages: limit=10000', method: 'GET', path: '/conversations/{conv}/messages?limit=10000', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET messages: limit=abc', method: 'GET', path: '/conversations/{conv}/messages?limit=abc', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET messages: limit empty', method: 'GET', path: '/conversations/{conv}/messages?limit=', status: 400, code: 'validation_failed', field: 'limit' },
  // An empty value must not silently mean 0 (before=0 is an empty page: the client would see no history).
  { name: 'GET messages: before empty', method: 'GET', path: '/conversations/{conv}/messages?before=', status: 400, code: 'validation_failed', field: 'before' },
  { name: 'GET messages: before=-1', method: 'GET', path: '/conversations/{conv}/messages?before=-1', status: 400, code: 'validation_failed', field: 'before' },
  { name: 'GET messages: before=1.5', method: 'GET', path: '/conversations/{conv}/messages?before=1.5', status: 400, code: 'validation_failed', field: 'before' },
  { name: 'GET messages: before=1e300', method: 'GET', path: '/conversations/{conv}/messages?before=1e300', status: 400, code: 'validation_failed', field: 'before' },
  { name: 'GET messages: after=abc', method: 'GET', path: '/conversations/{conv}/messages?after=abc', status: 400, code: 'validation_failed', field: 'after' },
  { name: 'GET messages: before and after together', method: 'GET', path: '/conversations/{conv}/messages?before=5&after=1', status: 400, code: 'validation_failed', field: 'before', mentions: /after/ },
  { name: 'GET messages: before repeated (an array)', method: 'GET', path: '/conversations/{conv}/messages?before=2&before=3', status: 400, code: 'validation_failed', field: 'before' },
  { name: 'GET messages: unknown parameter', method: 'GET', path: '/conversations/{conv}/messages?since=1', status: 400, code: 'validation_failed', field: 'since' },

  // POST /conversations/:id/messages
  ...bodyCases('POST', '/conversations/{conv}/messages', validSend),
  ...authCases('POST', '/conversations/{conv}/messages', validSend),
  ...idCases('POST', '/conversations/{conv}/messages', validSend),
  { name: 'send: missing text', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c1' }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'send: missing clientId', method: 'POST', path: '/conversations/{conv}/messages', body: { text: 'hi' }, status: 400, code: 'validation_failed', field: 'clientId' },
  { name: 'send: empty text', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c2', text: '' }, status: 400, code: 'validation_failed', field: 'text', mentions: /empty/ },
  { name: 'send: whitespace-only text', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c3', text: ' \n\t\u00a0 ' }, status: 400, code: 'validation_failed', field: 'text', mentions: /empty/ },
  { name: 'send: text too long', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c4', text: long(LIMITS.messageTextMax + 1) }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'send: text is a number', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c5', text: 5 }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'send: text is null', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c6', text: null }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'send: empty clientId', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: '', text: 'hi' }, status: 400, code: 'validation_failed', field: 'clientId' },
  { name: 'send: clientId with spaces', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'a b', text: 'hi' }, status: 400, code: 'validation_failed', field: 'clientId' },
  { name: 'send: clientId with a slash', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: '../x', text: 'hi' }, status: 400, code: 'validation_failed', field: 'clientId' },
  { name: 'send: clientId too long', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: long(LIMITS.clientIdMax + 1), text: 'hi' }, status: 400, code: 'validation_failed', field: 'clientId' },
  {
    name: 'send: text is a deeply nested array',
    method: 'POST',
    path: '/conversations/{conv}/messages',
    raw: `{"clientId":"c9","text":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    status: 400,
    code: 'validation_failed',
    field: 'text'
  },
  { name: 'send: senderId cannot be given', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c7', text: 'hi', senderId: '{bob}' }, status: 400, code: 'validation_failed', field: 'senderId' },
  { name: 'send: seq cannot be given', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c8', text: 'hi', seq: 1 }, status: 400, code: 'validation_failed', field: 'seq' },
  // System messages are written by the server only.
  { name: 'send: kind cannot be given', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c10', text: 'hi', kind: 'system' }, status: 400, code: 'validation_failed', field: 'kind' },
  { name: 'send: a system event cannot be given', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'c11', text: 'hi', system: { type: 'group_renamed', title: 'Pwned' } }, status: 400, code: 'validation_failed', field: 'system' },
  // Replies and mentions. In {conv}: a send wrongly accepted would show at the end.
  { name: 'send: replyTo a seq no message has', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r1', text: 'hi', replyTo: 99 }, status: 400, code: 'validation_failed', field: 'body.replyTo', mentions: /no message 99/ },
  { name: 'send: replyTo the largest seq there can be', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r2', text: 'hi', replyTo: Number.MAX_SAFE_INTEGER }, status: 400, code: 'validation_failed', field: 'body.replyTo' },
  { name: 'send: replyTo 0', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r3', text: 'hi', replyTo: 0 }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'send: replyTo negative', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r4', text: 'hi', replyTo: -1 }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'send: replyTo fractional', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r5', text: 'hi', replyTo: 1.5 }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'send: replyTo as a string', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r6', text: 'hi', replyTo: '{seq}' }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'send: replyTo null', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r7', text: 'hi', replyTo: null }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'send: replyTo a message id instead of a seq', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r8', text: 'hi', replyTo: '{unknown}' }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'send: replyTo just past the safe integers', method: 'POST', path: '/conversations/{conv}/messages', raw: `{"clientId":"r9","text":"hi","replyTo":${Number.MAX_SAFE_INTEGER + 1}}`, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'send: replyTo an object (a quote cannot be forged)', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'r10', text: 'hi', replyTo: { seq: 1, senderId: '{bob}', preview: 'I never said this' } }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'send: mentions is a string', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'm1', text: 'hi', mentions: '{bob}' }, status: 400, code: 'validation_failed', field: 'mentions' },
  { name: 'send: mentions holds a username', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'm2', text: 'hi', mentions: ['{alice}'] }, status: 400, code: 'validation_failed', field: 'mentions' },
  { name: 'send: mentions holds a number', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'm3', text: 'hi', mentions: ['{bob}', 7] }, status: 400, code: 'validation_failed', field: 'mentions' },
  { name: 'send: mentions is null', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'm4', text: 'hi', mentions: null }, status: 400, code: 'validation_failed', field: 'mentions' },
  { name: 'send: mentions is a nested list', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'm5', text: 'hi', mentions: [['{bob}']] }, status: 400, code: 'validation_failed', field: 'mentions' },
  {
    name: 'send: more mentions than allowed',
    method: 'POST',
    path: '/conversations/{conv}/messages',
    body: { clientId: 'm6', text: 'hi', mentions: Array.from({ length: LIMITS.mentionsMax + 1 }, () => randomUUID()) },
    status: 400,
    code: 'validation_failed',
    field: 'mentions'
  },
  { name: 'send: mentions of objects with names', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'm7', text: 'hi', mentions: [{ id: '{bob}', name: 'Bob' }] }, status: 400, code: 'validation_failed', field: 'mentions' },
  // Issue 20 (mentions): @here/@all and user groups.
  { name: 'send: mentionAll neither here nor all', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'ma1', text: '@everyone', mentionAll: 'everyone' }, status: 400, code: 'validation_failed', field: 'mentionAll' },
  { name: 'send: mentionAll as true', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'ma2', text: '@all', mentionAll: true }, status: 400, code: 'validation_failed', field: 'mentionAll' },
  { name: 'send: mentionAll in capitals', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'ma3', text: '@ALL', mentionAll: 'ALL' }, status: 400, code: 'validation_failed', field: 'mentionAll' },
  { name: 'send: mentionGroups is a string', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'mg1', text: '@design', mentionGroups: 'design' }, status: 400, code: 'validation_failed', field: 'mentionGroups' },
  { name: 'send: mentionGroups holds a handle', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'mg2', text: '@design', mentionGroups: ['@design'] }, status: 400, code: 'validation_failed', field: 'mentionGroups' },
  {
    name: 'send: more mentionGroups than allowed',
    method: 'POST',
    path: '/conversations/{conv}/messages',
    body: { clientId: 'mg3', text: 'hi', mentionGroups: Array.from({ length: LIMITS.mentionsMax + 1 }, () => randomUUID()) },
    status: 400,
    code: 'validation_failed',
    field: 'mentionGroups'
  },
  { name: 'send: mentioned cannot be given (the server expands it)', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'mg4', text: 'hi', mentioned: ['{bob}'] }, status: 400, code: 'validation_failed', field: 'mentioned' },

  // POST /conversations/:id/read
  ...bodyCases('POST', '/conversations/{conv}/read', { seq: 1 }),
  ...authCases('POST', '/conversations/{conv}/read', { seq: 1 }),
  ...idCases('POST', '/conversations/{conv}/read', { seq: 1 }),
  { name: 'read: missing seq', method: 'POST', path: '/conversations/{conv}/read', body: {}, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'read: negative seq', method: 'POST', path: '/conversations/{conv}/read', body: { seq: -1 }, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'read: fractional seq', method: 'POST', path: '/conversations/{conv}/read', body: { seq: 1.5 }, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'read: seq as a string', method: 'POST', path: '/conversations/{conv}/read', body: { seq: '1' }, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'read: seq beyond safe integers', method: 'POST', path: '/conversations/{conv}/read', raw: '{"seq":1e300}', status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'read: unknown field', method: 'POST', path: '/conversations/{conv}/read', body: { seq: 1, userId: '{bob}' }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'read: seq null', method: 'POST', path: '/conversations/{conv}/read', body: { seq: null }, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'read: seq just past the safe integers', method: 'POST', path: '/conversations/{conv}/read', raw: `{"seq":${Number.MAX_SAFE_INTEGER + 1}}`, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'read: deliveredSeq cannot be given', method: 'POST', path: '/conversations/{conv}/read', body: { seq: 1, deliveredSeq: 1 }, status: 400, code: 'validation_failed', field: 'deliveredSeq' },
  // Cursors never move back nor past the last message.
  { name: 'read: seq 0 changes nothing', method: 'POST', path: '/conversations/{conv}/read', body: { seq: 0 }, status: 200 },
  { name: 'read: the largest seq there can be stops at the last message', method: 'POST', path: '/conversations/{conv}/read', body: { seq: Number.MAX_SAFE_INTEGER }, status: 200 },

  // GET /conversations/:id/messages/:seq/receipts
  ...authCases('GET', '/conversations/{conv}/messages/{seq}/receipts'),
  ...idCases('GET', '/conversations/{conv}/messages/{seq}/receipts'),
  ...seqCases('GET', '/conversations/{conv}/messages/{seq}/receipts'),
  { name: 'receipts: of a message that exists', method: 'GET', path: '/conversations/{conv}/messages/{seq}/receipts', status: 200 },

  // POST /conversations/:id/clear (no body). On {spare} only: clearing {conv} would hide alice's kept message from her.
  ...authCases('POST', '/conversations/{spare}/clear'),
  ...idCases('POST', '/conversations/{spare}/clear'),
  ...noBodyCases('POST', '/conversations/{spare}/clear', 200),

  // PATCH /conversations/:id/messages/:seq. Mistakes are aimed at alice's kept message in {conv}: an edit wrongly
  // applied shows at the end. The other answers use the messages of {chat} (see `Case.path`).
  ...bodyCases('PATCH', '/conversations/{conv}/messages/{seq}', validEdit),
  ...authCases('PATCH', '/conversations/{conv}/messages/{seq}', validEdit),
  ...idCases('PATCH', '/conversations/{conv}/messages/{seq}', validEdit),
  ...seqCases('PATCH', '/conversations/{conv}/messages/{seq}', validEdit),
  { name: 'edit: empty object', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: {}, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'edit: only mentions', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { mentions: ['{bob}'] }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'edit: empty text', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { text: '' }, status: 400, code: 'validation_failed', field: 'text', mentions: /empty/ },
  { name: 'edit: whitespace-only text', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { text: ' \n\t\u00a0 ' }, status: 400, code: 'validation_failed', field: 'text', mentions: /empty/ },
  { name: 'edit: text too long', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { text: long(LIMITS.messageTextMax + 1) }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'edit: text is a number', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { text: 5 }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'edit: text is null', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { text: null }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'edit: text is a list', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { text: ['edited'] }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'edit: mentions is a string', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, mentions: '{bob}' }, status: 400, code: 'validation_failed', field: 'mentions' },
  { name: 'edit: mentions holds a username', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, mentions: ['{alice}'] }, status: 400, code: 'validation_failed', field: 'mentions' },
  { name: 'edit: mentions is null', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, mentions: null }, status: 400, code: 'validation_failed', field: 'mentions' },
  { name: 'edit: mentionAll neither here nor all', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, mentionAll: 'channel' }, status: 400, code: 'validation_failed', field: 'mentionAll' },
  { name: 'edit: mentionGroups holds a number', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, mentionGroups: [7] }, status: 400, code: 'validation_failed', field: 'mentionGroups' },
  {
    name: 'edit: more mentions than allowed',
    method: 'PATCH',
    path: '/conversations/{conv}/messages/{seq}',
    body: { ...validEdit, mentions: Array.from({ length: LIMITS.mentionsMax + 1 }, () => randomUUID()) },
    status: 400,
    code: 'validation_failed',
    field: 'mentions'
  },
  // An edit changes the text (and mentions) only.
  { name: 'edit: clientId cannot be given', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, clientId: 'kept-2' }, status: 400, code: 'validation_failed', field: 'clientId' },
  { name: 'edit: replyTo cannot be given', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, replyTo: 1 }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'edit: senderId cannot be given', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, senderId: '{bob}' }, status: 400, code: 'validation_failed', field: 'senderId' },
  { name: 'edit: seq cannot be given', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, seq: 2 }, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'edit: editedAt cannot be given', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, editedAt: '2000-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'editedAt' },
  { name: 'edit: reactions cannot be given', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, reactions: { '👍': ['{bob}'] } }, status: 400, code: 'validation_failed', field: 'reactions' },
  { name: 'edit: kind cannot be given', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', body: { ...validEdit, kind: 'system' }, status: 400, code: 'validation_failed', field: 'kind' },
  { name: 'edit: __proto__ key', method: 'PATCH', path: '/conversations/{conv}/messages/{seq}', raw: '{"text":"edited by mistake","__proto__":{"senderId":"x"}}', status: 400, code: 'validation_failed', field: '__proto__' },
  { name: "edit: someone else's message", method: 'PATCH', path: '/conversations/{chat}/messages/{bobs}', body: validEdit, status: 403, code: 'forbidden', mentions: /your own/ },
  { name: "edit: someone else's message in a direct chat", method: 'PATCH', path: '/conversations/{dm}/messages/{carolDm}', body: validEdit, status: 403, code: 'forbidden', mentions: /your own/ },
  { name: 'edit: a system message', method: 'PATCH', path: '/conversations/{chat}/messages/1', body: validEdit, status: 409, code: 'conflict', mentions: /system/ },
  { name: 'edit: a deleted message', method: 'PATCH', path: '/conversations/{chat}/messages/{tomb}', body: validEdit, status: 409, code: 'conflict', mentions: /deleted/ },
  // The clear cases above hid all of {spare} from alice: its messages are not found for her.
  { name: 'send: replyTo a message cleared from one’s history', method: 'POST', path: '/conversations/{spare}/messages', body: { clientId: 'r11', text: 'hi', replyTo: 1 }, status: 400, code: 'validation_failed', field: 'body.replyTo' },
  { name: 'edit: a message cleared from one’s history', method: 'PATCH', path: '/conversations/{spare}/messages/1', body: validEdit, status: 404, code: 'not_found', field: 'message' },
  { name: 'edit: own message, the same text (nothing changes)', method: 'PATCH', path: '/conversations/{chat}/messages/{mine}', body: { text: MINE_TEXT }, status: 200 },
  {
    name: 'edit: own message, mentioning only people who are not members (dropped: nothing changes)',
    method: 'PATCH',
    path: '/conversations/{chat}/messages/{mine}',
    body: { text: MINE_TEXT, mentions: ['{carol}', '{unknown}'] },
    status: 200,
    sameAs: 'edit: own message, the same text (nothing changes)'
  },

  // DELETE /conversations/:id/messages/:seq. Refusals are aimed at the kept message, as above.
  ...authCases('DELETE', '/conversations/{conv}/messages/{seq}'),
  ...idCases('DELETE', '/conversations/{conv}/messages/{seq}'),
  ...seqCases('DELETE', '/conversations/{conv}/messages/{seq}'),
  { name: "delete: someone else's message in a direct chat", method: 'DELETE', path: '/conversations/{dm}/messages/{carolDm}', status: 403, code: 'forbidden', mentions: /your own/ },
  { name: "delete: someone else's message, as a member who is not an admin", method: 'DELETE', path: '/conversations/{notAdmin}/messages/{carolSays}', status: 403, code: 'forbidden', mentions: /admin/ },
  { name: 'delete: a system message, even as the admin', method: 'DELETE', path: '/conversations/{chat}/messages/1', status: 409, code: 'conflict', mentions: /system/ },
  { name: 'delete: a message cleared from one’s history', method: 'DELETE', path: '/conversations/{spare}/messages/1', status: 404, code: 'not_found', field: 'message' },
  // Deleting twice is harmless: the same tombstone.
  { name: 'delete: a message already deleted', method: 'DELETE', path: '/conversations/{chat}/messages/{tomb}', status: 200 },
  { name: "delete: someone else's message, as the group's admin", method: 'DELETE', path: '/conversations/{chat}/messages/{doomed}', status: 200 },
  // Every body is read, even where a route takes none.
  { name: 'delete: malformed JSON', method: 'DELETE', path: '/conversations/{chat}/messages/{tomb}', raw: '{bad', status: 400, code: 'bad_json', mentions: /JSON/ },
  { name: 'delete: a body over 256 KB', method: 'DELETE', path: '/conversations/{chat}/messages/{tomb}', raw: oversized, status: 413, code: 'payload_too_large' },
  {
    name: 'delete: JSON in an unsupported charset',
    method: 'DELETE',
    path: '/conversations/{chat}/messages/{tomb}',
    raw: '{}',
    headers: { 'content-type': 'application/json; charset=latin1' },
    status: 415,
    code: 'unsupported_media_type'
  },

  // POST /conversations/:id/messages/:seq/reactions. Refusals are aimed at the kept message, as above.
  ...bodyCases('POST', '/conversations/{conv}/messages/{seq}/reactions', { emoji: '👍' }),
  ...authCases('POST', '/conversations/{conv}/messages/{seq}/reactions', { emoji: '👍' }),
  ...idCases('POST', '/conversations/{conv}/messages/{seq}/reactions', { emoji: '👍' }),
  ...seqCases('POST', '/conversations/{conv}/messages/{seq}/reactions', { emoji: '👍' }),
  ...(
    [
      ['empty object', {}],
      ['emoji empty', { emoji: '' }],
      ['a letter', { emoji: 'x' }],
      ['a digit', { emoji: '1' }],
      ['a shortcode', { emoji: ':thumbsup:' }],
      ['two emoji', { emoji: '👍👍' }],
      ['an emoji and a word', { emoji: '👍 yes' }],
      ['an emoji with a space before it', { emoji: ' 👍' }],
      ['an emoji with a newline after it', { emoji: '👍\n' }],
      // Shown as text, not as emoji, without the variation selector ❤️ has.
      ['a heart without its emoji variation selector', { emoji: '❤' }],
      ['© without its emoji variation selector', { emoji: '©' }],
      ['a lone regional indicator (half a flag)', { emoji: '🇫' }],
      ['a zero-width joiner with nothing after it', { emoji: '👍\u200d' }],
      ['a combining mark on a letter', { emoji: 'e\u0301' }],
      ['HTML', { emoji: '<img src=x onerror=alert(1)>' }],
      ['longer than 32 characters', { emoji: '👍'.repeat(17) }],
      ['emoji is a number', { emoji: 128077 }],
      ['emoji is null', { emoji: null }],
      ['emoji is a list', { emoji: ['👍'] }],
      ['emoji is an object', { emoji: { name: 'thumbsup' } }],
      ['emojis instead of emoji', { emojis: ['👍'] }],
      ['a userId cannot be given', { emoji: '👍', userId: '{bob}' }],
      // It is a toggle: there is no way to say "remove".
      ['remove cannot be given', { emoji: '👍', remove: true }]
    ] as const
  ).map(([what, body]): Case => {
    const named = Object.keys(body).find((k) => k !== 'emoji') ?? 'emoji'
    return { name: `react: ${what}`, method: 'POST', path: '/conversations/{conv}/messages/{seq}/reactions', body, status: 400, code: 'validation_failed', field: named }
  }),
  { name: 'react: a lone surrogate', method: 'POST', path: '/conversations/{conv}/messages/{seq}/reactions', raw: '{"emoji":"\\ud83d"}', status: 400, code: 'validation_failed', field: 'emoji', mentions: /emoji/ },
  { name: 'react: __proto__ key', method: 'POST', path: '/conversations/{conv}/messages/{seq}/reactions', raw: '{"emoji":"👍","__proto__":{"emoji":"👎"}}', status: 400, code: 'validation_failed', field: '__proto__' },
  { name: 'react: a system message', method: 'POST', path: '/conversations/{chat}/messages/1/reactions', body: { emoji: '👍' }, status: 409, code: 'conflict', mentions: /system/ },
  { name: 'react: a deleted message', method: 'POST', path: '/conversations/{chat}/messages/{tomb}/reactions', body: { emoji: '👍' }, status: 409, code: 'conflict', mentions: /deleted/ },
  { name: 'react: a message cleared from one’s history', method: 'POST', path: '/conversations/{spare}/messages/1/reactions', body: { emoji: '👍' }, status: 404, code: 'not_found', field: 'message' },

  // Issue 21 (link previews): DELETE /conversations/:id/messages/:seq/preview, the sender only.
  ...authCases('DELETE', '/conversations/{conv}/messages/{seq}/preview'),
  ...idCases('DELETE', '/conversations/{conv}/messages/{seq}/preview'),
  ...seqCases('DELETE', '/conversations/{conv}/messages/{seq}/preview'),
  { name: "remove preview: someone else's message, even as the group's admin", method: 'DELETE', path: '/conversations/{chat}/messages/{bobs}/preview', status: 403, code: 'forbidden', mentions: /sender/ },
  { name: 'remove preview: a system message', method: 'DELETE', path: '/conversations/{chat}/messages/1/preview', status: 409, code: 'conflict', mentions: /system/ },
  { name: 'remove preview: a deleted message', method: 'DELETE', path: '/conversations/{chat}/messages/{tomb}/preview', status: 409, code: 'conflict', mentions: /deleted/ },
  { name: 'remove preview: a message cleared from one’s history', method: 'DELETE', path: '/conversations/{spare}/messages/1/preview', status: 404, code: 'not_found', field: 'message' },
  {
    name: `react: a ${LIMITS.reactionsPerMessageMax + 1}st different emoji`,
    method: 'POST',
    path: '/conversations/{chat}/messages/{full}/reactions',
    body: { emoji: FACES.at(-1) },
    status: 409,
    code: 'conflict',
    mentions: new RegExp(`${LIMITS.reactionsPerMessageMax} different`)
  },
  // Every kind of RGI emoji is one emoji. Each toggles alice's reaction on bob's message (on, then off in the burst).
  ...(
    [
      ['a plain emoji', '🎉'],
      ['a heart with its variation selector', '❤️'],
      ['a skin tone', '👍🏿'],
      ['a keycap', '1️⃣'],
      ['a flag', '🇳🇴'],
      ['a subdivision flag (tag sequence)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
      ['a zero-width-joiner sequence', '👩🏽‍💻'],
      ['a long zero-width-joiner sequence', '👩🏻‍❤️‍💋‍👨🏼']
    ] as const
  ).map(([what, emoji]): Case => ({ name: `react: ${what}`, method: 'POST', path: '/conversations/{chat}/messages/{bobs}/reactions', body: { emoji }, status: 200 })),

  // GET /conversations/:id/changes?since=&limit=
  ...authCases('GET', '/conversations/{conv}/changes?since=0'),
  ...idCases('GET', '/conversations/{conv}/changes?since=0'),
  ...(
    [
      ['since missing', '', 'since'],
      ['since empty', 'since=', 'since'],
      ['since=-1', 'since=-1', 'since'],
      ['since=1.5', 'since=1.5', 'since'],
      ['since=1e3', 'since=1e3', 'since'],
      ['since=+1', 'since=%2B1', 'since'],
      ['since with a leading space', 'since=%201', 'since'],
      ['since in hex', 'since=0x1', 'since'],
      ['since=abc', 'since=abc', 'since'],
      ['since=null', 'since=null', 'since'],
      ['since just past the safe integers', `since=${Number.MAX_SAFE_INTEGER + 1}`, 'since'],
      ['since of 17 digits', `since=1${'0'.repeat(16)}`, 'since'],
      ['since repeated', 'since=0&since=1', 'since'],
      ['since with brackets', 'since[gt]=0', 'since'],
      ['limit=0', 'since=0&limit=0', 'limit'],
      ['limit over the page size', `since=0&limit=${LIMITS.pageSizeMax + 1}`, 'limit'],
      ['limit=-1', 'since=0&limit=-1', 'limit'],
      ['limit=abc', 'since=0&limit=abc', 'limit'],
      ['limit empty', 'since=0&limit=', 'limit'],
      ['limit repeated', 'since=0&limit=1&limit=2', 'limit'],
      // Changes are asked for by version; the paging of messages is not this route's.
      ['after instead of since', 'after=0', 'after'],
      ['before cannot be given', 'since=0&before=5', 'before']
    ] as const
  ).map(([what, query, field]): Case => ({ name: `changes: ${what}`, method: 'GET', path: `/conversations/{conv}/changes?${query}`, status: 400, code: 'validation_failed', field })),
  { name: 'changes: since 0', method: 'GET', path: '/conversations/{chat}/changes?since=0', status: 200 },
  { name: 'changes: one at a time', method: 'GET', path: '/conversations/{chat}/changes?since=0&limit=1', status: 200 },
  { name: 'changes: the largest page', method: 'GET', path: `/conversations/{chat}/changes?since=0&limit=${LIMITS.pageSizeMax}`, status: 200 },
  { name: 'changes: since the largest version there can be', method: 'GET', path: `/conversations/{conv}/changes?since=${Number.MAX_SAFE_INTEGER}`, status: 200 },
  { name: 'changes: of a conversation cleared from one’s history', method: 'GET', path: '/conversations/{spare}/changes?since=0', status: 200 },

  // GET /search?q=&before=&limit=
  ...authCases('GET', SEARCH),
  ...(
    [
      ['q missing', '/search', 'q'],
      ['q empty', '/search?q=', 'q'],
      ['q whitespace only', '/search?q=%20%09%20', 'q'],
      ['q of two characters', '/search?q=st', 'q'],
      ['q of short words only', '/search?q=a%20st%20or', 'q'],
      ['q of punctuation only', '/search?q=*', 'q'],
      ['q longer than 200 characters', `/search?q=${long(201)}`, 'q'],
      ['q repeated (an array)', '/search?q=storm&q=rain', 'q'],
      ['q with brackets', '/search?q[text]=storm', 'q'],
      // A NUL in q must be refused, not reach the full-text engine (which takes it for the end of the string).
      ['q of NUL characters', '/search?q=%00%00%00', 'q'],
      ['q with a NUL inside a word', '/search?q=sto%00rm', 'q'],
      ['before=0', `${SEARCH}&before=0`, 'before'],
      ['before=-1', `${SEARCH}&before=-1`, 'before'],
      ['before=abc', `${SEARCH}&before=abc`, 'before'],
      ['before=1.5', `${SEARCH}&before=1.5`, 'before'],
      ['before empty', `${SEARCH}&before=`, 'before'],
      ['before just past the safe integers', `${SEARCH}&before=${Number.MAX_SAFE_INTEGER + 1}`, 'before'],
      ['limit=0', `${SEARCH}&limit=0`, 'limit'],
      ['limit over the most results', `${SEARCH}&limit=${LIMITS.searchResultsMax + 1}`, 'limit'],
      ['limit=abc', `${SEARCH}&limit=abc`, 'limit'],
      ['limit=1e1', `${SEARCH}&limit=1e1`, 'limit'],
      ['limit repeated', `${SEARCH}&limit=1&limit=2`, 'limit'],
      ['a conversation filter is not a parameter', `${SEARCH}&conversationId={conv}`, 'conversationId'],
      ['after cannot be given', `${SEARCH}&after=1`, 'after']
    ] as const
  ).map(([what, path, field]): Case => ({ name: `search: ${what}`, method: 'GET', path, status: 400, code: 'validation_failed', field })),
  { name: 'search: a word of the kept message', method: 'GET', path: SEARCH, status: 200 },
  { name: 'search: in capitals, part of a word', method: 'GET', path: '/search?q=TOR', status: 200 },
  { name: 'search: short words beside a long one are fine', method: 'GET', path: '/search?q=a%20storm%20is', status: 200 },
  { name: 'search: q padded with spaces', method: 'GET', path: '/search?q=%20%20storm%20%20', status: 200 },
  { name: 'search: the longest q', method: 'GET', path: `/search?q=${long(200)}`, status: 200 },
  // Full-text query syntax is searched for as text, never run.
  ...(
    [
      ['double quotes', '%22storm'],
      ['three double quotes', '%22%22%22'],
      ['an OR between words', 'storm%20OR%20rain'],
      ['NEAR()', 'NEAR(storm%20rain)'],
      ['a column filter', 'text%3Astorm'],
      ['a prefix star', 'sto*'],
      ['a minus', '-storm'],
      ['a caret', '%5Estorm'],
      ['parentheses', '(storm)'],
      ['a single quote', "storm'%20OR%20'1'%3D'1"],
      ['a percent sign', 'sto%25rm'],
      ['an emoji', '%F0%9F%91%8D%F0%9F%91%8D%F0%9F%91%8D'],
      ['zero-width spaces', '%E2%80%8B%E2%80%8B%E2%80%8B'],
      ['bytes that are not UTF-8', '%FF%FE%FD']
    ] as const
  ).map(([what, q]): Case => ({ name: `search: ${what}`, method: 'GET', path: `/search?q=${q}`, status: 200 })),
  { name: 'search: the most results', method: 'GET', path: `${SEARCH}&limit=${LIMITS.searchResultsMax}`, status: 200 },
  { name: 'search: before the first result', method: 'GET', path: `${SEARCH}&before=1`, status: 200 },
  { name: 'search: before the largest cursor there can be', method: 'GET', path: `${SEARCH}&before=${Number.MAX_SAFE_INTEGER}`, status: 200 },

  // PATCH /conversations/:id
  ...bodyCases('PATCH', '/conversations/{group}', validRename),
  ...authCases('PATCH', '/conversations/{group}', validRename),
  ...groupCases('PATCH', '/conversations/{group}', validRename),
  { name: 'PATCH group: empty object', method: 'PATCH', path: '/conversations/{group}', body: {}, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'PATCH group: title empty', method: 'PATCH', path: '/conversations/{group}', body: { title: '' }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'PATCH group: title whitespace only', method: 'PATCH', path: '/conversations/{group}', body: { title: ' \t ' }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'PATCH group: title too long', method: 'PATCH', path: '/conversations/{group}', body: { title: long(LIMITS.groupTitleMax + 1) }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'PATCH group: title with a control character', method: 'PATCH', path: '/conversations/{group}', body: { title: 'Team\u0007' }, status: 400, code: 'validation_failed', field: 'title', mentions: /control character/ },
  { name: 'PATCH group: title with a newline', method: 'PATCH', path: '/conversations/{group}', body: { title: 'Two\nLines' }, status: 400, code: 'validation_failed', field: 'title', mentions: /control character/ },
  { name: 'PATCH group: title is null', method: 'PATCH', path: '/conversations/{group}', body: { title: null }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'PATCH group: title is a number', method: 'PATCH', path: '/conversations/{group}', body: { title: 7 }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'PATCH group: broadcastMentions neither everyone nor admins', method: 'PATCH', path: '/conversations/{group}', body: { broadcastMentions: 'nobody' }, status: 400, code: 'validation_failed', field: 'broadcastMentions' },
  { name: 'PATCH group: broadcastMentions null', method: 'PATCH', path: '/conversations/{group}', body: { broadcastMentions: null }, status: 400, code: 'validation_failed', field: 'broadcastMentions' },
  { name: 'PATCH group: description too long', method: 'PATCH', path: '/conversations/{group}', body: { description: long(LIMITS.groupDescriptionMax + 1) }, status: 400, code: 'validation_failed', field: 'description' },
  { name: 'PATCH group: description with NUL', method: 'PATCH', path: '/conversations/{group}', body: { description: 'About\u0000us' }, status: 400, code: 'validation_failed', field: 'description', mentions: /control character/ },
  { name: 'PATCH group: description with an ANSI escape', method: 'PATCH', path: '/conversations/{group}', body: { description: '\u001b[31mred' }, status: 400, code: 'validation_failed', field: 'description', mentions: /control character/ },
  { name: 'PATCH group: description with a carriage return', method: 'PATCH', path: '/conversations/{group}', body: { description: 'one\r\ntwo' }, status: 400, code: 'validation_failed', field: 'description', mentions: /control character/ },
  { name: 'PATCH group: description with DEL', method: 'PATCH', path: '/conversations/{group}', body: { description: 'del\u007f' }, status: 400, code: 'validation_failed', field: 'description', mentions: /control character/ },
  { name: 'PATCH group: description with a C1 control (NEL)', method: 'PATCH', path: '/conversations/{group}', body: { description: 'next\u0085line' }, status: 400, code: 'validation_failed', field: 'description', mentions: /control character/ },
  { name: 'PATCH group: description is null', method: 'PATCH', path: '/conversations/{group}', body: { description: null }, status: 400, code: 'validation_failed', field: 'description' },
  { name: 'PATCH group: description is an array', method: 'PATCH', path: '/conversations/{group}', body: { description: ['x'] }, status: 400, code: 'validation_failed', field: 'description' },
  // Unchanged values are accepted and change nothing (no system message either: checked at the end).
  { name: 'PATCH group: description unchanged (whitespace trims to the current empty one)', method: 'PATCH', path: '/conversations/{group}', body: { description: '  ' }, status: 200 },
  { name: 'PATCH group: removing an avatar there is none of', method: 'PATCH', path: '/conversations/{group}', body: { avatar: null }, status: 200 },
  { name: 'PATCH group: avatar is a web URL', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'https://example.com/a.png' }, status: 400, code: 'validation_failed', field: 'avatar', mentions: /data: URL/ },
  { name: 'PATCH group: avatar is a javascript: URL', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'javascript:alert(1)' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar is an SVG', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar is HTML', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'data:text/html;base64,PGgxPmhpPC9oMT4=' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar not base64-encoded', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'data:image/png,%89PNG' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar with no data', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'data:image/png;base64,' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar with characters outside base64', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'data:image/png;base64,iVBO"><script>' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar with padding in the middle', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'data:image/png;base64,AA==AA' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar with a trailing newline', method: 'PATCH', path: '/conversations/{group}', body: { avatar: `${PNG}\n` }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar with a parameter before base64', method: 'PATCH', path: '/conversations/{group}', body: { avatar: 'data:image/png;name=a.png;base64,AAAA' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar too large', method: 'PATCH', path: '/conversations/{group}', body: { avatar: `data:image/png;base64,${long(LIMITS.avatarMax, 'A')}` }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar empty', method: 'PATCH', path: '/conversations/{group}', body: { avatar: '' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar is an object', method: 'PATCH', path: '/conversations/{group}', body: { avatar: { url: PNG } }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: avatar is false', method: 'PATCH', path: '/conversations/{group}', body: { avatar: false }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: a valid title with an invalid avatar changes nothing', method: 'PATCH', path: '/conversations/{group}', body: { title: 'Half done', avatar: 'x' }, status: 400, code: 'validation_failed', field: 'avatar' },
  { name: 'PATCH group: members cannot be set', method: 'PATCH', path: '/conversations/{group}', body: { title: 'x', members: [] }, status: 400, code: 'validation_failed', field: 'members' },
  { name: 'PATCH group: kind cannot be changed', method: 'PATCH', path: '/conversations/{group}', body: { kind: 'direct' }, status: 400, code: 'validation_failed', field: 'kind' },
  { name: 'PATCH group: joinCode cannot be set', method: 'PATCH', path: '/conversations/{group}', body: { title: 'x', joinCode: 'ABCDEFGHJK' }, status: 400, code: 'validation_failed', field: 'joinCode' },
  { name: 'PATCH group: __proto__ key', method: 'PATCH', path: '/conversations/{group}', raw: '{"title":"Proto","__proto__":{"kind":"direct"}}', status: 400, code: 'validation_failed', field: '__proto__' },

  // DELETE /conversations/:id
  ...authCases('DELETE', '/conversations/{group}'),
  ...groupCases('DELETE', '/conversations/{group}'),

  // POST /conversations/:id/members
  ...bodyCases('POST', '/conversations/{group}/members', { userIds: ['{carol}'] }),
  ...authCases('POST', '/conversations/{group}/members', { userIds: ['{carol}'] }),
  ...groupCases('POST', '/conversations/{group}/members', { userIds: ['{carol}'] }),
  { name: 'add members: empty object', method: 'POST', path: '/conversations/{group}/members', body: {}, status: 400, code: 'validation_failed', field: 'userIds' },
  { name: 'add members: empty list', method: 'POST', path: '/conversations/{group}/members', body: { userIds: [] }, status: 400, code: 'validation_failed', field: 'userIds' },
  { name: 'add members: userIds is a string', method: 'POST', path: '/conversations/{group}/members', body: { userIds: '{carol}' }, status: 400, code: 'validation_failed', field: 'userIds' },
  { name: 'add members: userIds is null', method: 'POST', path: '/conversations/{group}/members', body: { userIds: null }, status: 400, code: 'validation_failed', field: 'userIds' },
  { name: 'add members: a username instead of an id', method: 'POST', path: '/conversations/{group}/members', body: { userIds: ['{alice}'] }, status: 400, code: 'validation_failed', field: 'userIds' },
  { name: 'add members: a number in the list', method: 'POST', path: '/conversations/{group}/members', body: { userIds: ['{carol}', 42] }, status: 400, code: 'validation_failed', field: 'userIds' },
  { name: 'add members: a nested list', method: 'POST', path: '/conversations/{group}/members', body: { userIds: [['{carol}']] }, status: 400, code: 'validation_failed', field: 'userIds' },
  {
    name: 'add members: too many',
    method: 'POST',
    path: '/conversations/{group}/members',
    body: { userIds: Array.from({ length: LIMITS.groupMembersMax + 1 }, () => randomUUID()) },
    status: 400,
    code: 'validation_failed',
    field: 'userIds'
  },
  { name: 'add members: memberIds instead of userIds', method: 'POST', path: '/conversations/{group}/members', body: { memberIds: ['{carol}'] }, status: 400, code: 'validation_failed', field: 'memberIds' },
  { name: 'add members: a role cannot be given', method: 'POST', path: '/conversations/{group}/members', body: { userIds: ['{carol}'], role: 'admin' }, status: 400, code: 'validation_failed', field: 'role' },
  { name: 'add members: an unknown user', method: 'POST', path: '/conversations/{group}/members', body: { userIds: ['{unknown}'] }, status: 404, code: 'not_found', field: '{unknown}' },
  // All or nothing: carol must not be added because the other id is unknown (checked at the end).
  { name: 'add members: a real user with an unknown one', method: 'POST', path: '/conversations/{group}/members', body: { userIds: ['{carol}', '{unknown}'] }, status: 404, code: 'not_found', field: '{unknown}' },
  { name: 'add members: people already in it are skipped', method: 'POST', path: '/conversations/{group}/members', body: { userIds: ['{bob}', '{aliceId}', '{bob}'] }, status: 200 },

  // DELETE /conversations/:id/members/:userId
  ...authCases('DELETE', '/conversations/{group}/members/{bob}'),
  ...groupCases('DELETE', '/conversations/{group}/members/{bob}'),
  ...memberIdCases('DELETE', '/conversations/{group}/members/{bob}'),
  { name: 'leave: a direct chat', method: 'DELETE', path: '/conversations/{conv}/members/{aliceId}', status: 409, code: 'conflict', mentions: /direct chat/ },
  { name: 'leave: a group one is not in', method: 'DELETE', path: '/conversations/{other}/members/{aliceId}', status: 403, code: 'forbidden', field: 'member' },
  { name: 'leave: an unknown group', method: 'DELETE', path: '/conversations/{unknown}/members/{aliceId}', status: 404, code: 'not_found', field: 'conversation' },

  // PATCH /conversations/:id/members/:userId
  ...bodyCases('PATCH', '/conversations/{group}/members/{bob}', { role: 'admin' }),
  ...authCases('PATCH', '/conversations/{group}/members/{bob}', { role: 'admin' }),
  ...groupCases('PATCH', '/conversations/{group}/members/{bob}', { role: 'admin' }),
  ...memberIdCases('PATCH', '/conversations/{group}/members/{bob}', { role: 'admin' }),
  { name: 'set role: empty object', method: 'PATCH', path: '/conversations/{group}/members/{bob}', body: {}, status: 400, code: 'validation_failed', field: 'role' },
  { name: 'set role: unknown role', method: 'PATCH', path: '/conversations/{group}/members/{bob}', body: { role: 'owner' }, status: 400, code: 'validation_failed', field: 'role' },
  { name: 'set role: role in upper case', method: 'PATCH', path: '/conversations/{group}/members/{bob}', body: { role: 'ADMIN' }, status: 400, code: 'validation_failed', field: 'role' },
  { name: 'set role: role is a number', method: 'PATCH', path: '/conversations/{group}/members/{bob}', body: { role: 1 }, status: 400, code: 'validation_failed', field: 'role' },
  { name: 'set role: role is null', method: 'PATCH', path: '/conversations/{group}/members/{bob}', body: { role: null }, status: 400, code: 'validation_failed', field: 'role' },
  { name: 'set role: role is a list', method: 'PATCH', path: '/conversations/{group}/members/{bob}', body: { role: ['admin'] }, status: 400, code: 'validation_failed', field: 'role' },
  { name: 'set role: another user id in the body', method: 'PATCH', path: '/conversations/{group}/members/{bob}', body: { role: 'admin', userId: '{carol}' }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'set role: the last admin cannot step down', method: 'PATCH', path: '/conversations/{group}/members/{aliceId}', body: { role: 'member' }, status: 409, code: 'conflict', mentions: /admin/ },
  { name: 'set role: unchanged role', method: 'PATCH', path: '/conversations/{group}/members/{bob}', body: { role: 'member' }, status: 200 },

  // GET /conversations/:id/join-code
  ...authCases('GET', '/conversations/{group}/join-code'),
  ...groupCases('GET', '/conversations/{group}/join-code'),
  { name: 'GET join-code: the admin sees it', method: 'GET', path: '/conversations/{group}/join-code', status: 200 },

  // POST /conversations/:id/join-code
  // {} is a valid body here: a body case the server wrongly accepted would create a code, so
  // these go to a spare group, not to {group} whose code the join cases below rely on.
  ...bodyCases('POST', '/conversations/{spare}/join-code', {}),
  ...authCases('POST', '/conversations/{group}/join-code', {}),
  ...groupCases('POST', '/conversations/{group}/join-code', {}),
  { name: 'new join-code: expiresInSeconds below 60', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresInSeconds: 59 }, status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'new join-code: expiresInSeconds 0', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresInSeconds: 0 }, status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'new join-code: expiresInSeconds negative', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresInSeconds: -3600 }, status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'new join-code: expiresInSeconds over 30 days', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresInSeconds: 30 * 24 * 3600 + 1 }, status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'new join-code: expiresInSeconds fractional', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresInSeconds: 60.5 }, status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'new join-code: expiresInSeconds as a string', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresInSeconds: '3600' }, status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'new join-code: expiresInSeconds null', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresInSeconds: null }, status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'new join-code: expiresInSeconds 1e300', method: 'POST', path: '/conversations/{group}/join-code', raw: '{"expiresInSeconds":1e300}', status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'new join-code: maxUses 0', method: 'POST', path: '/conversations/{group}/join-code', body: { maxUses: 0 }, status: 400, code: 'validation_failed', field: 'maxUses' },
  { name: 'new join-code: maxUses negative', method: 'POST', path: '/conversations/{group}/join-code', body: { maxUses: -1 }, status: 400, code: 'validation_failed', field: 'maxUses' },
  { name: 'new join-code: maxUses over 10000', method: 'POST', path: '/conversations/{group}/join-code', body: { maxUses: 10_001 }, status: 400, code: 'validation_failed', field: 'maxUses' },
  { name: 'new join-code: maxUses fractional', method: 'POST', path: '/conversations/{group}/join-code', body: { maxUses: 1.5 }, status: 400, code: 'validation_failed', field: 'maxUses' },
  { name: 'new join-code: maxUses as a string', method: 'POST', path: '/conversations/{group}/join-code', body: { maxUses: '5' }, status: 400, code: 'validation_failed', field: 'maxUses' },
  { name: 'new join-code: a valid expiry with a bad maxUses changes nothing', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresInSeconds: 3600, maxUses: 0 }, status: 400, code: 'validation_failed', field: 'maxUses' },
  { name: 'new join-code: the code cannot be chosen', method: 'POST', path: '/conversations/{group}/join-code', body: { code: 'ABCDEFGHJK' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'new join-code: expiresAt cannot be given', method: 'POST', path: '/conversations/{group}/join-code', body: { expiresAt: '2999-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'expiresAt' },
  { name: 'new join-code: uses cannot be given', method: 'POST', path: '/conversations/{group}/join-code', body: { uses: -100 }, status: 400, code: 'validation_failed', field: 'uses' },

  // DELETE /conversations/:id/join-code
  ...authCases('DELETE', '/conversations/{group}/join-code'),
  ...groupCases('DELETE', '/conversations/{group}/join-code'),

  // POST /join
  ...bodyCases('POST', '/join', { code: 'ABCDEFGHJK' }),
  ...authCases('POST', '/join', { code: '{code}' }),
  { name: 'join: empty object', method: 'POST', path: '/join', body: {}, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: empty code', method: 'POST', path: '/join', body: { code: '' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code of spaces', method: 'POST', path: '/join', body: { code: '          ' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code of dashes only', method: 'POST', path: '/join', body: { code: '----------' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code too short', method: 'POST', path: '/join', body: { code: 'ABCDEFGHJ' }, status: 400, code: 'validation_failed', field: 'code', mentions: /10/ },
  { name: 'join: code too long', method: 'POST', path: '/join', body: { code: 'ABCDEFGHJKM' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code far too long', method: 'POST', path: '/join', body: { code: long(10_000, 'A') }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code with I (not in the alphabet)', method: 'POST', path: '/join', body: { code: 'ABCDEFGHIJ' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code with L', method: 'POST', path: '/join', body: { code: 'ABCDEFGHJL' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code with O', method: 'POST', path: '/join', body: { code: 'ABCDEFGHJO' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code with U', method: 'POST', path: '/join', body: { code: 'ABCDEFGHJU' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code with an underscore', method: 'POST', path: '/join', body: { code: 'ABCDE_FGHJ' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code with a dot', method: 'POST', path: '/join', body: { code: 'ABCDE.FGHJK' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code with NUL', method: 'POST', path: '/join', body: { code: 'ABCDE\u0000FGHJK' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code in full-width letters', method: 'POST', path: '/join', body: { code: 'ＡＢＣＤＥＦＧＨＪＫ' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code with an accented letter', method: 'POST', path: '/join', body: { code: 'ABCDÉFGHJK' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code is a number', method: 'POST', path: '/join', body: { code: 1234567890 }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code is null', method: 'POST', path: '/join', body: { code: null }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code is a list', method: 'POST', path: '/join', body: { code: ['{code}'] }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: code is an object', method: 'POST', path: '/join', body: { code: { $ne: '' } }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'join: the group cannot be given', method: 'POST', path: '/join', body: { code: '{code}', conversationId: '{group}' }, status: 400, code: 'validation_failed', field: 'conversationId' },
  { name: 'join: a well-formed unknown code', method: 'POST', path: '/join', body: { code: 'ABCDEFGHJK' }, status: 404, code: 'not_found', field: 'join code' },
  // Normalised before the lookup: case, spaces (also tabs and newlines) and dashes do not matter.
  { name: 'join: an unknown code in lower case with dashes', method: 'POST', path: '/join', body: { code: 'abcde-fghjk' }, status: 404, code: 'not_found', field: 'join code' },
  { name: 'join: an unknown code with spaces, a tab and a newline', method: 'POST', path: '/join', body: { code: ' ABC DE\tFG\nHJK ' }, status: 404, code: 'not_found', field: 'join code' },
  { name: 'join: a revoked code', method: 'POST', path: '/join', body: { code: '{revoked}' }, status: 404, code: 'not_found', field: 'join code' },
  { name: 'join: a code replaced by a new one', method: 'POST', path: '/join', body: { code: '{replaced}' }, status: 404, code: 'not_found', field: 'join code' },
  { name: 'join: the code of a deleted group', method: 'POST', path: '/join', body: { code: '{deletedCode}' }, status: 404, code: 'not_found', field: 'join code' },
  { name: 'join: a used-up code', method: 'POST', path: '/join', body: { code: '{usedUp}' }, status: 410, code: 'join_code_expired', mentions: /used/ },
  { name: 'join: a used-up code typed loosely', method: 'POST', path: '/join', body: { code: '{usedUpLoose}' }, status: 410, code: 'join_code_expired', mentions: /used/ },
  { name: 'join: own group, already a member', method: 'POST', path: '/join', body: { code: '{code}' }, status: 200 },
  { name: 'join: own group, code typed loosely', method: 'POST', path: '/join', body: { code: '{codeLoose}' }, status: 200 },

  // GET /rooms
  ...authCases('GET', '/rooms'),
  { name: 'GET /rooms: all of them', method: 'GET', path: '/rooms', status: 200 },
  { name: 'GET /rooms: by name in another case, one result', method: 'GET', path: `/rooms?q=${ROOM.toLowerCase()}&limit=1`, status: 200 },
  { name: 'GET /rooms: the largest limit', method: 'GET', path: `/rooms?limit=${LIMITS.searchResultsMax}`, status: 200 },
  { name: 'GET /rooms: limit=0', method: 'GET', path: '/rooms?limit=0', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /rooms: limit over the most results', method: 'GET', path: `/rooms?limit=${LIMITS.searchResultsMax + 1}`, status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /rooms: limit=-1', method: 'GET', path: '/rooms?limit=-1', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /rooms: limit=abc', method: 'GET', path: '/rooms?limit=abc', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /rooms: limit=1.5', method: 'GET', path: '/rooms?limit=1.5', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /rooms: limit=1e1', method: 'GET', path: '/rooms?limit=1e1', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /rooms: limit empty', method: 'GET', path: '/rooms?limit=', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /rooms: limit repeated', method: 'GET', path: '/rooms?limit=1&limit=2', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'GET /rooms: q repeated (an array)', method: 'GET', path: '/rooms?q=a&q=b', status: 400, code: 'validation_failed', field: 'q' },
  { name: 'GET /rooms: q with brackets', method: 'GET', path: '/rooms?q[name]=x', status: 400, code: 'validation_failed', field: 'q' },
  { name: 'GET /rooms: q longer than a room name', method: 'GET', path: `/rooms?q=${long(LIMITS.roomNameMax + 1)}`, status: 400, code: 'validation_failed', field: 'q' },
  { name: 'GET /rooms: unknown parameter', method: 'GET', path: '/rooms?sort=name', status: 400, code: 'validation_failed', field: 'sort' },

  // POST /rooms: enter (join or create) a room by name. Valid bodies here name alice's own room, so a bad one
  // wrongly accepted changes nothing.
  ...bodyCases('POST', '/rooms', { name: ROOM }),
  ...authCases('POST', '/rooms', { name: ROOM }),
  { name: 'enter room: empty object', method: 'POST', path: '/rooms', body: {}, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: only a description', method: 'POST', path: '/rooms', body: { description: 'no name' }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: name empty', method: 'POST', path: '/rooms', body: { name: '' }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: name whitespace only', method: 'POST', path: '/rooms', body: { name: ' \t\n ' }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: name too long', method: 'POST', path: '/rooms', body: { name: long(LIMITS.roomNameMax + 1) }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: name with NUL', method: 'POST', path: '/rooms', body: { name: 'Lou\u0000nge' }, status: 400, code: 'validation_failed', field: 'name', mentions: /control character/ },
  { name: 'enter room: name with a newline inside', method: 'POST', path: '/rooms', body: { name: 'Two\nLines' }, status: 400, code: 'validation_failed', field: 'name', mentions: /control character/ },
  { name: 'enter room: name with a tab inside', method: 'POST', path: '/rooms', body: { name: 'Tab\tRoom' }, status: 400, code: 'validation_failed', field: 'name', mentions: /control character/ },
  { name: 'enter room: name with a carriage return', method: 'POST', path: '/rooms', body: { name: 'one\rtwo' }, status: 400, code: 'validation_failed', field: 'name', mentions: /control character/ },
  { name: 'enter room: name with an ANSI escape', method: 'POST', path: '/rooms', body: { name: '\u001b[31mRed' }, status: 400, code: 'validation_failed', field: 'name', mentions: /control character/ },
  { name: 'enter room: name with DEL', method: 'POST', path: '/rooms', body: { name: 'Del\u007f' }, status: 400, code: 'validation_failed', field: 'name', mentions: /control character/ },
  { name: 'enter room: name with a C1 control (NEL)', method: 'POST', path: '/rooms', body: { name: 'next\u0085line' }, status: 400, code: 'validation_failed', field: 'name', mentions: /control character/ },
  { name: 'enter room: name is a number', method: 'POST', path: '/rooms', body: { name: 7 }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: name is null', method: 'POST', path: '/rooms', body: { name: null }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: name is a list', method: 'POST', path: '/rooms', body: { name: [ROOM] }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: name is an object', method: 'POST', path: '/rooms', body: { name: { $regex: '.*' } }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'enter room: description too long', method: 'POST', path: '/rooms', body: { name: ROOM, description: long(LIMITS.groupDescriptionMax + 1) }, status: 400, code: 'validation_failed', field: 'description' },
  { name: 'enter room: description with NUL', method: 'POST', path: '/rooms', body: { name: ROOM, description: 'About\u0000us' }, status: 400, code: 'validation_failed', field: 'description', mentions: /control character/ },
  { name: 'enter room: description with an ANSI escape', method: 'POST', path: '/rooms', body: { name: ROOM, description: '\u001b[2Jgone' }, status: 400, code: 'validation_failed', field: 'description', mentions: /control character/ },
  { name: 'enter room: description is null', method: 'POST', path: '/rooms', body: { name: ROOM, description: null }, status: 400, code: 'validation_failed', field: 'description' },
  { name: 'enter room: description is a number', method: 'POST', path: '/rooms', body: { name: ROOM, description: 1 }, status: 400, code: 'validation_failed', field: 'description' },
  { name: 'enter room: title instead of name', method: 'POST', path: '/rooms', body: { title: ROOM }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'enter room: kind cannot be given', method: 'POST', path: '/rooms', body: { name: ROOM, kind: 'group' }, status: 400, code: 'validation_failed', field: 'kind' },
  { name: 'enter room: members cannot be given', method: 'POST', path: '/rooms', body: { name: ROOM, memberIds: ['{bob}'] }, status: 400, code: 'validation_failed', field: 'memberIds' },
  { name: 'enter room: __proto__ key', method: 'POST', path: '/rooms', raw: `{"name":"${ROOM}","__proto__":{"kind":"group"}}`, status: 400, code: 'validation_failed', field: '__proto__' },
  { name: 'enter room: own room, already in it', method: 'POST', path: '/rooms', body: { name: ROOM }, status: 200 },
  { name: 'enter room: own room, in another case with spaces', method: 'POST', path: '/rooms', body: { name: `  ${ROOM.toUpperCase()} ` }, status: 200 },
  // Trimmed before the length check: the name itself is short.
  { name: 'enter room: own room, padded past the length limit', method: 'POST', path: '/rooms', body: { name: `${long(40, ' ')}${ROOM}${long(40, ' ')}` }, status: 200 },
  // A description only describes a new room: it does not change an existing one (checked at the end).
  { name: 'enter room: own room with another description', method: 'POST', path: '/rooms', body: { name: ROOM, description: 'not the description' }, status: 200 },

  // POST /rooms/:id/join (no body)
  ...authCases('POST', '/rooms/{room}/join'),
  ...roomIdCases('POST', '/rooms/{room}/join'),
  ...noBodyCases('POST', '/rooms/{room}/join', 200),

  // Room names are unique regardless of case, also when renaming; rooms have no join codes.
  { name: 'rename room: to the name of another room', method: 'PATCH', path: '/conversations/{spareRoom}', body: { title: CAROL_ROOM }, status: 409, code: 'conflict', mentions: /already exists/ },
  { name: "rename room: to another room's name, typed loosely", method: 'PATCH', path: '/conversations/{spareRoom}', body: { title: `  ${CAROL_ROOM.toLowerCase()} ` }, status: 409, code: 'conflict', mentions: /already exists/ },
  { name: "rename room: to the name of one's other room in another case", method: 'PATCH', path: '/conversations/{spareRoom}', body: { title: ROOM.toUpperCase() }, status: 409, code: 'conflict', mentions: /already exists/ },
  { name: 'rename room: longer than a room name may be', method: 'PATCH', path: '/conversations/{spareRoom}', body: { title: long(LIMITS.roomNameMax + 1) }, status: 400, code: 'validation_failed', field: 'title' },
  { name: 'rename room: title with a control character', method: 'PATCH', path: '/conversations/{spareRoom}', body: { title: 'Room\u0007' }, status: 400, code: 'validation_failed', field: 'title', mentions: /control character/ },
  { name: 'new join-code: a public room', method: 'POST', path: '/conversations/{room}/join-code', body: {}, status: 409, code: 'conflict', mentions: /room/ },

  // POST /invitations
  ...bodyCases('POST', '/invitations', { userId: '{carol}' }),
  ...authCases('POST', '/invitations', { userId: '{carol}' }),
  { name: 'invite: empty object', method: 'POST', path: '/invitations', body: {}, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'invite: userId is a username', method: 'POST', path: '/invitations', body: { userId: '{alice}' }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'invite: userId is a number', method: 'POST', path: '/invitations', body: { userId: 42 }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'invite: userId is a list', method: 'POST', path: '/invitations', body: { userId: ['{carol}'] }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'invite: message too long', method: 'POST', path: '/invitations', body: { userId: '{carol}', message: long(LIMITS.invitationMessageMax + 1) }, status: 400, code: 'validation_failed', field: 'message' },
  { name: 'invite: message with a control character', method: 'POST', path: '/invitations', body: { userId: '{carol}', message: 'hi\u001b[2J' }, status: 400, code: 'validation_failed', field: 'message', mentions: /control character/ },
  { name: 'invite: message is null', method: 'POST', path: '/invitations', body: { userId: '{carol}', message: null }, status: 400, code: 'validation_failed', field: 'message' },
  { name: 'invite: unknown field', method: 'POST', path: '/invitations', body: { userId: '{carol}', status: 'accepted' }, status: 400, code: 'validation_failed', field: 'status' },
  { name: 'invite: oneself', method: 'POST', path: '/invitations', body: { userId: '{aliceId}' }, status: 400, code: 'validation_failed', field: 'userId', mentions: /yourself/ },
  { name: 'invite: an unknown user', method: 'POST', path: '/invitations', body: { userId: '{unknown}' }, status: 404, code: 'not_found', field: 'user' },
  { name: 'invite: someone already invited', method: 'POST', path: '/invitations', body: { userId: '{carol}', message: 'again?' }, status: 409, code: 'conflict', mentions: /already invited/ },

  // GET /invitations
  ...authCases('GET', '/invitations'),
  { name: 'GET /invitations: unknown query parameters are ignored', method: 'GET', path: '/invitations?status=accepted', status: 200 },

  // POST /invitations/:id/accept and /decline (take {}); DELETE /invitations/:id
  ...(['accept', 'decline'] as const).flatMap((verb): Case[] => [
    ...bodyCases('POST', `/invitations/{sentInvitation}/${verb}`, {}),
    ...authCases('POST', `/invitations/{sentInvitation}/${verb}`, {}),
    ...invitationIdCases('POST', `/invitations/{sentInvitation}/${verb}`, {}),
    { name: `${verb}: an unknown field`, method: 'POST', path: `/invitations/{sentInvitation}/${verb}`, body: { reason: 'x' }, status: 400, code: 'validation_failed', field: 'reason' },
    { name: `${verb}: one's own invitation`, method: 'POST', path: `/invitations/{sentInvitation}/${verb}`, body: {}, status: 403, code: 'forbidden', mentions: /only the person invited/ },
    { name: `${verb}: an invitation already declined`, method: 'POST', path: `/invitations/{declinedInvitation}/${verb}`, body: {}, status: 409, code: 'conflict', mentions: /already declined/ }
  ]),
  ...authCases('DELETE', '/invitations/{receivedInvitation}'),
  ...invitationIdCases('DELETE', '/invitations/{receivedInvitation}'),
  { name: 'cancel: an invitation someone else sent', method: 'DELETE', path: '/invitations/{receivedInvitation}', status: 403, code: 'forbidden', mentions: /only the sender/ },
  { name: 'cancel: an answered invitation someone else sent', method: 'DELETE', path: '/invitations/{declinedInvitation}', status: 403, code: 'forbidden', mentions: /only the sender/ },

  // GET /contacts, DELETE /contacts/:userId
  ...authCases('GET', '/contacts'),
  { name: 'GET /contacts: none yet', method: 'GET', path: '/contacts', status: 200 },
  ...authCases('DELETE', '/contacts/{bob}'),
  { name: 'remove contact: userId is not a UUID', method: 'DELETE', path: '/contacts/bob', status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'remove contact: userId is a username', method: 'DELETE', path: '/contacts/{alice}', status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'remove contact: malformed percent-encoding', method: 'DELETE', path: '/contacts/%E0%A4%A', status: 400, code: 'validation_failed', mentions: /path|id|encod/i },
  { name: 'remove contact: someone who is not a contact', method: 'DELETE', path: '/contacts/{bob}', status: 404, code: 'not_found', field: 'contact' },
  { name: 'remove contact: an unknown user', method: 'DELETE', path: '/contacts/{unknown}', status: 404, code: 'not_found', field: 'contact' },
  { name: 'PUT on an invitation', method: 'PUT', path: '/invitations/{sentInvitation}', body: { status: 'accepted' }, status: 404, code: 'not_found', field: 'PUT' },

  // The invite link's web page (i20-drafts): only join codes have one.
  { name: 'GET /join/{code}: not a join code', method: 'GET', path: '/join/{group}', root: true, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'GET /join/{code}: too short', method: 'GET', path: '/join/ABC', root: true, status: 400, code: 'validation_failed', field: '10 letters' },
  { name: 'GET /join/{code}: a code', method: 'GET', path: '/join/{code}', root: true, status: 200 },

  // Drafts (i20-drafts): GET /drafts, PUT and DELETE /drafts/:conversationId
  ...authCases('GET', '/drafts'),
  { name: 'GET /drafts: none yet', method: 'GET', path: '/drafts', status: 200 },
  ...authCases('PUT', '/drafts/{group}', { text: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }),
  { name: 'draft: conversationId is not a UUID', method: 'PUT', path: '/drafts/nope', body: { text: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'conversationId' },
  { name: 'draft: no updatedAt', method: 'PUT', path: '/drafts/{group}', body: { text: 'x' }, status: 400, code: 'validation_failed', field: 'updatedAt' },
  { name: 'draft: updatedAt is not a time', method: 'PUT', path: '/drafts/{group}', body: { text: 'x', updatedAt: 'yesterday' }, status: 400, code: 'validation_failed', field: 'updatedAt' },
  { name: 'draft: no text', method: 'PUT', path: '/drafts/{group}', body: { updatedAt: '2026-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'draft: text longer than a message', method: 'PUT', path: '/drafts/{group}', body: { text: 'x'.repeat(LIMITS.messageTextMax + 1), updatedAt: '2026-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'draft: threadRoot 0', method: 'PUT', path: '/drafts/{group}', body: { threadRoot: 0, text: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'threadRoot' },
  { name: 'draft: replyTo as a string', method: 'PUT', path: '/drafts/{group}', body: { replyTo: '3', text: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'replyTo' },
  { name: 'draft: an unknown field', method: 'PUT', path: '/drafts/{group}', body: { text: 'x', updatedAt: '2026-01-01T00:00:00.000Z', userId: '{bob}' }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'draft: a conversation alice is not in', method: 'PUT', path: '/drafts/{other}', body: { text: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, status: 403, code: 'forbidden', mentions: /not a member/ },
  { name: 'draft: an unknown conversation', method: 'PUT', path: '/drafts/{unknown}', body: { text: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, status: 404, code: 'not_found', field: 'conversation' },
  { name: 'draft: a thread root past the last message', method: 'PUT', path: '/drafts/{group}', body: { threadRoot: 1_000_000, text: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, status: 404, code: 'not_found', field: 'thread root' },
  { name: 'draft: a reply to a message past the last', method: 'PUT', path: '/drafts/{group}', body: { replyTo: 1_000_000, text: 'x', updatedAt: '2026-01-01T00:00:00.000Z' }, status: 404, code: 'not_found', field: 'replied to' },
  { name: 'draft: stored', method: 'PUT', path: '/drafts/{group}', body: { text: 'kept', updatedAt: '2026-01-01T00:00:00.000Z' }, status: 200 },
  ...authCases('DELETE', '/drafts/{group}'),
  { name: 'delete draft: threadRoot not a number', method: 'DELETE', path: '/drafts/{group}?threadRoot=abc', status: 400, code: 'validation_failed', field: 'threadRoot' },
  { name: 'delete draft: an unknown query field', method: 'DELETE', path: '/drafts/{group}?thread=1', status: 400, code: 'validation_failed', field: 'thread' },
  { name: 'delete draft: a conversation alice is not in', method: 'DELETE', path: '/drafts/{other}', status: 403, code: 'forbidden', mentions: /not a member/ },
  { name: 'delete draft: deleted', method: 'DELETE', path: '/drafts/{group}', status: 204 },
  // Scheduled messages (issue 21 item 4): send with sendAt, GET /scheduled, PATCH, DELETE, POST /scheduled/:id/send
  { name: 'schedule: sendAt is not a time', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 's1', text: 'hi', sendAt: 'tomorrow' }, status: 400, code: 'validation_failed', field: 'sendAt' },
  { name: 'schedule: sendAt in the past', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 's2', text: 'hi', sendAt: '2020-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'sendAt', mentions: /future/ },
  { name: 'schedule: sendAt more than a year ahead', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 's3', text: 'hi', sendAt: '2999-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'sendAt', mentions: /year/ },
  { name: 'schedule: a forward', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 's4', text: 'hi', sendAt: new Date(Date.now() + 3600_000).toISOString(), forward: { conversationId: '{conv}', seq: 1 } }, status: 400, code: 'validation_failed', field: 'forward' },
  { name: 'schedule: a conversation alice is not in', method: 'POST', path: '/conversations/{other}/messages', body: { clientId: 's5', text: 'hi', sendAt: new Date(Date.now() + 3600_000).toISOString() }, status: 403, code: 'forbidden', mentions: /not a member/ },
  ...authCases('GET', '/scheduled'),
  { name: 'GET /scheduled: listed', method: 'GET', path: '/scheduled', status: 200 },
  ...authCases('PATCH', '/scheduled/{unknown}', { text: 'x' }),
  { name: 'scheduled: id is not a UUID', method: 'PATCH', path: '/scheduled/nope', body: { text: 'x' }, status: 400, code: 'validation_failed', field: 'id' },
  { name: 'scheduled: neither text nor sendAt', method: 'PATCH', path: '/scheduled/{unknown}', body: {}, status: 400, code: 'validation_failed', mentions: /text or sendAt/ },
  { name: 'scheduled: empty text', method: 'PATCH', path: '/scheduled/{unknown}', body: { text: ' ' }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'scheduled: sendAt a number', method: 'PATCH', path: '/scheduled/{unknown}', body: { sendAt: 5 }, status: 400, code: 'validation_failed', field: 'sendAt' },
  { name: 'scheduled: an unknown field', method: 'PATCH', path: '/scheduled/{unknown}', body: { text: 'x', conversationId: '{conv}' }, status: 400, code: 'validation_failed', field: 'conversationId' },
  { name: 'scheduled: an unknown one', method: 'PATCH', path: '/scheduled/{unknown}', body: { text: 'x' }, status: 404, code: 'not_found', field: 'scheduled message' },
  ...authCases('DELETE', '/scheduled/{unknown}'),
  { name: 'delete scheduled: id is not a UUID', method: 'DELETE', path: '/scheduled/nope', status: 400, code: 'validation_failed', field: 'id' },
  { name: 'delete scheduled: an unknown one', method: 'DELETE', path: '/scheduled/{unknown}', status: 404, code: 'not_found', field: 'scheduled message' },
  ...authCases('POST', '/scheduled/{unknown}/send', {}),
  { name: 'send scheduled now: an unknown field', method: 'POST', path: '/scheduled/{unknown}/send', body: { sendAt: 'now' }, status: 400, code: 'validation_failed', field: 'sendAt' },
  { name: 'send scheduled now: an unknown one', method: 'POST', path: '/scheduled/{unknown}/send', body: {}, status: 404, code: 'not_found', field: 'scheduled message' },

  // Notification preferences (issue 21, i21-attention): GET and PATCH /me/notification-prefs
  ...authCases('GET', '/me/notification-prefs'),
  ...bodyCases('PATCH', '/me/notification-prefs', { level: 'mentions' }),
  ...authCases('PATCH', '/me/notification-prefs', { level: 'mentions' }),
  { name: 'notification prefs: empty object', method: 'PATCH', path: '/me/notification-prefs', body: {}, status: 400, code: 'validation_failed', mentions: /give level/ },
  { name: 'notification prefs: an unknown level', method: 'PATCH', path: '/me/notification-prefs', body: { level: 'loud' }, status: 400, code: 'validation_failed', field: 'level' },
  { name: 'notification prefs: sound as a string', method: 'PATCH', path: '/me/notification-prefs', body: { sound: 'on' }, status: 400, code: 'validation_failed', field: 'sound' },
  { name: 'notification prefs: 21 keywords', method: 'PATCH', path: '/me/notification-prefs', body: { keywords: Array.from({ length: 21 }, (_, i) => `word${i}`) }, status: 400, code: 'validation_failed', field: 'keywords' },
  { name: 'notification prefs: a keyword of one letter', method: 'PATCH', path: '/me/notification-prefs', body: { keywords: ['x'] }, status: 400, code: 'validation_failed', field: 'keywords' },
  { name: 'notification prefs: a conversation key that is not an id', method: 'PATCH', path: '/me/notification-prefs', body: { conversations: { nope: { level: 'all' } } }, status: 400, code: 'validation_failed', field: 'conversations' },
  { name: 'notification prefs: mutedUntil not a time', method: 'PATCH', path: '/me/notification-prefs', body: { conversations: { '00000000-0000-4000-8000-000000000000': { mutedUntil: 'later' } } }, status: 400, code: 'validation_failed', field: 'mutedUntil' },
  { name: 'notification prefs: dndUntil in the past', method: 'PATCH', path: '/me/notification-prefs', body: { dndUntil: '2020-01-01T00:00:00.000Z' }, status: 400, code: 'validation_failed', field: 'dndUntil', mentions: /future/ },
  { name: 'notification prefs: an unknown time zone', method: 'PATCH', path: '/me/notification-prefs', body: { workHours: { enabled: true, timeZone: 'Atlantis/Capital', days: [] } }, status: 400, code: 'validation_failed', field: 'timeZone' },
  { name: 'notification prefs: a time of 24:00', method: 'PATCH', path: '/me/notification-prefs', body: { workHours: { enabled: true, timeZone: 'UTC', days: [{ day: 1, start: '09:00', end: '24:00' }] } }, status: 400, code: 'validation_failed', field: 'end' },
  { name: 'notification prefs: day 7', method: 'PATCH', path: '/me/notification-prefs', body: { workHours: { enabled: true, timeZone: 'UTC', days: [{ day: 7, start: '09:00', end: '17:00' }] } }, status: 400, code: 'validation_failed', field: 'day' },
  { name: 'notification prefs: work ends before it starts', method: 'PATCH', path: '/me/notification-prefs', body: { workHours: { enabled: true, timeZone: 'UTC', days: [{ day: 1, start: '17:00', end: '09:00' }] } }, status: 400, code: 'validation_failed', mentions: /after start/ },
  { name: 'notification prefs: stored', method: 'PATCH', path: '/me/notification-prefs', body: { level: 'mentions' }, status: 200 },
  { name: 'GET /me/notification-prefs: read', method: 'GET', path: '/me/notification-prefs', status: 200 },

  // Unknown routes under /api/v1
  { name: 'unknown route', method: 'GET', path: '/nope', status: 404, code: 'not_found', field: '/api/v1/nope' },
  { name: 'unknown nested route', method: 'GET', path: '/conversations/{conv}/members', status: 404, code: 'not_found', field: 'members' },
  { name: 'unknown method on a known path', method: 'DELETE', path: '/me', status: 404, code: 'not_found', field: 'DELETE' },
  { name: 'PUT on a PATCH route', method: 'PUT', path: '/me', body: { displayName: 'x' }, status: 404, code: 'not_found', field: 'PUT' },
  // Only routes that take a body read one: an unknown route is not found, whatever was sent.
  // GET /server
  { name: 'GET /server: a garbage Authorization header is ignored', method: 'GET', path: '/server', headers: { authorization: 'Bearer junk' }, status: 200 },
  { name: 'POST /server: wrong method', method: 'POST', path: '/server', body: {}, status: 404, code: 'not_found', field: '/server' },

  // POST /auth/forgot-password
  ...bodyCases('POST', '/auth/forgot-password', { username: 'someone' }),
  { name: 'forgot-password: missing username', method: 'POST', path: '/auth/forgot-password', body: {}, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'forgot-password: empty username', method: 'POST', path: '/auth/forgot-password', body: { username: '' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'forgot-password: username too long', method: 'POST', path: '/auth/forgot-password', body: { username: long(LIMITS.usernameMax + 1) }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'forgot-password: unknown field', method: 'POST', path: '/auth/forgot-password', body: { username: 'someone', email: 'a@b.c' }, status: 400, code: 'validation_failed', field: 'email' },
  { name: 'forgot-password: no SMTP here, so ask an admin (whoever asks)', method: 'POST', path: '/auth/forgot-password', body: { username: 'nobody-at-all' }, status: 202 },

  // POST /auth/reset-password
  ...bodyCases('POST', '/auth/reset-password', { username: 'someone', code: 'ABCDEFGHJK', password: 'long enough pw' }),
  { name: 'reset-password: missing code', method: 'POST', path: '/auth/reset-password', body: { username: '{alice}', password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'reset-password: code too short', method: 'POST', path: '/auth/reset-password', body: { username: '{alice}', code: 'ABC', password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'reset-password: code with letters outside the alphabet', method: 'POST', path: '/auth/reset-password', body: { username: '{alice}', code: 'ILOUILOUIL', password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'reset-password: code is a number', method: 'POST', path: '/auth/reset-password', body: { username: '{alice}', code: 1234567890, password: 'long enough pw' }, status: 400, code: 'validation_failed', field: 'code' },
  { name: 'reset-password: password too short', method: 'POST', path: '/auth/reset-password', body: { username: '{alice}', code: 'ABCDEFGHJK', password: 'short' }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'reset-password: unknown field', method: 'POST', path: '/auth/reset-password', body: { username: '{alice}', code: 'ABCDEFGHJK', password: 'long enough pw', admin: true }, status: 400, code: 'validation_failed', field: 'admin' },
  { name: 'reset-password: a code nobody issued', method: 'POST', path: '/auth/reset-password', body: { username: '{alice}', code: 'ABCDEFGHJK', password: 'long enough pw' }, status: 400, code: 'reset_code_invalid', field: 'reset code' },
  { name: 'reset-password: an unknown account', method: 'POST', path: '/auth/reset-password', body: { username: `${GHOST}r`, code: 'ABCDEFGHJK', password: 'long enough pw' }, status: 400, code: 'reset_code_invalid', field: 'reset code' },

  // POST /auth/register on an open server: an invite code is checked only for its form
  { name: 'register: malformed inviteCode', method: 'POST', path: '/auth/register', body: { username: `${GHOST}m`, password: 'long enough pw', inviteCode: 'nope' }, status: 400, code: 'validation_failed', field: 'inviteCode' },
  { name: 'register: inviteCode is null', method: 'POST', path: '/auth/register', body: { username: `${GHOST}n`, password: 'long enough pw', inviteCode: null }, status: 400, code: 'validation_failed', field: 'inviteCode' },

  // GET/PATCH /admin/settings
  ...authCases('GET', '/admin/settings'),
  { name: 'GET /admin/settings: not a server admin', method: 'GET', path: '/admin/settings', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  { name: 'GET /admin/settings: the admin reads them', method: 'GET', path: '/admin/settings', status: 200 },
  ...bodyCases('PATCH', '/admin/settings', { name: 'Office' }),
  ...authCases('PATCH', '/admin/settings', { name: 'Office' }),
  { name: 'PATCH /admin/settings: not a server admin', method: 'PATCH', path: '/admin/settings', as: 'bob', body: { registration: 'closed' }, status: 403, code: 'forbidden', field: 'admin' },
  { name: 'PATCH /admin/settings: not a server admin, with nonsense', method: 'PATCH', path: '/admin/settings', as: 'bob', body: { x: 1 }, status: 403, code: 'forbidden', field: 'admin' },
  { name: 'PATCH /admin/settings: empty object', method: 'PATCH', path: '/admin/settings', body: {}, status: 400, code: 'validation_failed', field: 'registration' },
  { name: 'PATCH /admin/settings: empty name', method: 'PATCH', path: '/admin/settings', body: { name: ' ' }, status: 400, code: 'validation_failed', field: 'name' },
  // Issue 21: linkPreviews is off, public or all.
  { name: 'PATCH /admin/settings: linkPreviews of another word', method: 'PATCH', path: '/admin/settings', body: { linkPreviews: 'lan' }, status: 400, code: 'validation_failed', field: 'linkPreviews' },
  { name: 'PATCH /admin/settings: linkPreviews as true', method: 'PATCH', path: '/admin/settings', body: { linkPreviews: true }, status: 400, code: 'validation_failed', field: 'linkPreviews' },
  { name: 'PATCH /admin/settings: linkPreviews null', method: 'PATCH', path: '/admin/settings', body: { linkPreviews: null }, status: 400, code: 'validation_failed', field: 'linkPreviews' },
  { name: 'PATCH /admin/settings: name too long', method: 'PATCH', path: '/admin/settings', body: { name: long(LIMITS.serverNameMax + 1) }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'PATCH /admin/settings: unknown registration mode', method: 'PATCH', path: '/admin/settings', body: { registration: 'invite-only' }, status: 400, code: 'validation_failed', field: 'registration' },
  { name: 'PATCH /admin/settings: file size limit too small', method: 'PATCH', path: '/admin/settings', body: { maxFileBytes: 1 }, status: 400, code: 'validation_failed', field: 'maxFileBytes' },
  { name: 'PATCH /admin/settings: file size limit fractional', method: 'PATCH', path: '/admin/settings', body: { maxFileBytes: 4096.5 }, status: 400, code: 'validation_failed', field: 'maxFileBytes' },
  { name: 'PATCH /admin/settings: retention of 0 days', method: 'PATCH', path: '/admin/settings', body: { retentionDays: 0 }, status: 400, code: 'validation_failed', field: 'retentionDays' },
  { name: 'PATCH /admin/settings: retention as text', method: 'PATCH', path: '/admin/settings', body: { retentionDays: '30' }, status: 400, code: 'validation_failed', field: 'retentionDays' },
  { name: 'PATCH /admin/settings: unknown field', method: 'PATCH', path: '/admin/settings', body: { name: 'Office', theme: 'dark' }, status: 400, code: 'validation_failed', field: 'theme' },

  // GET /admin/users, PATCH /admin/users/:id
  ...authCases('GET', '/admin/users'),
  { name: 'GET /admin/users: not a server admin', method: 'GET', path: '/admin/users', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  { name: 'GET /admin/users: the admin lists everyone', method: 'GET', path: '/admin/users', status: 200 },
  ...bodyCases('PATCH', '/admin/users/{bob}', { disabled: false }),
  ...authCases('PATCH', '/admin/users/{bob}', { disabled: false }),
  { name: 'PATCH /admin/users/:id: not a server admin', method: 'PATCH', path: '/admin/users/{aliceId}', as: 'bob', body: { disabled: true }, status: 403, code: 'forbidden', field: 'admin' },
  { name: 'PATCH /admin/users/:id: id is not a UUID', method: 'PATCH', path: '/admin/users/bob', body: { disabled: false }, status: 400, code: 'validation_failed', field: 'id' },
  { name: 'PATCH /admin/users/:id: unknown account', method: 'PATCH', path: '/admin/users/{unknown}', body: { disabled: false }, status: 404, code: 'not_found', field: 'user' },
  { name: 'PATCH /admin/users/:id: empty object', method: 'PATCH', path: '/admin/users/{bob}', body: {}, status: 400, code: 'validation_failed', field: 'disabled' },
  { name: 'PATCH /admin/users/:id: disabled as text', method: 'PATCH', path: '/admin/users/{bob}', body: { disabled: 'yes' }, status: 400, code: 'validation_failed', field: 'disabled' },
  { name: 'PATCH /admin/users/:id: unknown field', method: 'PATCH', path: '/admin/users/{bob}', body: { disabled: false, password: 'x' }, status: 400, code: 'validation_failed', field: 'password' },
  { name: 'PATCH /admin/users/:id: the last admin steps down', method: 'PATCH', path: '/admin/users/{aliceId}', body: { serverAdmin: false }, status: 409, code: 'conflict', field: 'last enabled server admin' },
  { name: 'PATCH /admin/users/:id: the admin disables herself', method: 'PATCH', path: '/admin/users/{aliceId}', body: { disabled: true }, status: 409, code: 'conflict', field: 'your own account' },
  { name: 'PATCH /admin/users/:id: enabling an enabled account changes nothing', method: 'PATCH', path: '/admin/users/{bob}', body: { disabled: false, serverAdmin: false }, status: 200 },

  // GET /admin/users/:id/export (a zip: its contents are checked in test/integration/user-export.test.ts)
  ...authCases('GET', '/admin/users/{bob}/export'),
  { name: 'GET /admin/users/:id/export: not a server admin', method: 'GET', path: '/admin/users/{aliceId}/export', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  { name: 'GET /admin/users/:id/export: id is not a UUID', method: 'GET', path: '/admin/users/bob/export', status: 400, code: 'validation_failed', field: 'id' },
  { name: 'GET /admin/users/:id/export: unknown account', method: 'GET', path: '/admin/users/{unknown}/export', status: 404, code: 'not_found', field: 'user' },

  // POST /admin/users/:id/reset-password (no body): each answer has a new random code, so none equals another.
  ...noBodyCases('POST', '/admin/users/{victim}/reset-password', 201).map((c) => ({ ...c, sameAs: undefined })),
  ...authCases('POST', '/admin/users/{victim}/reset-password'),
  { name: 'POST /admin/users/:id/reset-password: not a server admin', method: 'POST', path: '/admin/users/{aliceId}/reset-password', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  { name: 'POST /admin/users/:id/reset-password: id is not a UUID', method: 'POST', path: '/admin/users/12345/reset-password', status: 400, code: 'validation_failed', field: 'id' },
  { name: 'POST /admin/users/:id/reset-password: unknown account', method: 'POST', path: '/admin/users/{unknown}/reset-password', status: 404, code: 'not_found', field: 'user' },

  // GET/POST /admin/invites, DELETE /admin/invites/:code
  ...authCases('GET', '/admin/invites'),
  { name: 'GET /admin/invites: not a server admin', method: 'GET', path: '/admin/invites', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  { name: 'GET /admin/invites: the admin lists them', method: 'GET', path: '/admin/invites', status: 200 },
  ...bodyCases('POST', '/admin/invites', {}),
  ...authCases('POST', '/admin/invites', {}),
  { name: 'POST /admin/invites: not a server admin', method: 'POST', path: '/admin/invites', as: 'bob', body: {}, status: 403, code: 'forbidden', field: 'admin' },
  { name: 'POST /admin/invites: maxUses 0', method: 'POST', path: '/admin/invites', body: { maxUses: 0 }, status: 400, code: 'validation_failed', field: 'maxUses' },
  { name: 'POST /admin/invites: maxUses too large', method: 'POST', path: '/admin/invites', body: { maxUses: 10_001 }, status: 400, code: 'validation_failed', field: 'maxUses' },
  { name: 'POST /admin/invites: expiry under a minute', method: 'POST', path: '/admin/invites', body: { expiresInSeconds: 59 }, status: 400, code: 'validation_failed', field: 'expiresInSeconds' },
  { name: 'POST /admin/invites: unknown field', method: 'POST', path: '/admin/invites', body: { forUser: 'bob' }, status: 400, code: 'validation_failed', field: 'forUser' },
  { name: 'POST /admin/invites: a code for one sign-up', method: 'POST', path: '/admin/invites', body: { maxUses: 1 }, status: 201 },
  ...authCases('DELETE', '/admin/invites/{code}'),
  { name: 'DELETE /admin/invites/:code: not a server admin', method: 'DELETE', path: '/admin/invites/{code}', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  { name: 'DELETE /admin/invites/:code: malformed code', method: 'DELETE', path: '/admin/invites/abc', status: 400, code: 'validation_failed', field: 'code' },
  { name: 'DELETE /admin/invites/:code: a group join code is no invite', method: 'DELETE', path: '/admin/invites/{code}', status: 404, code: 'not_found', field: 'invite' },
  // User groups (issue 20): GET/POST /user-groups, PATCH/DELETE /user-groups/:id
  ...authCases('GET', '/user-groups'),
  { name: 'GET /user-groups: anyone signed in lists them', method: 'GET', path: '/user-groups', as: 'bob', status: 200 },
  ...bodyCases('POST', '/user-groups', validUserGroup),
  ...authCases('POST', '/user-groups', validUserGroup),
  { name: 'POST /user-groups: not a server admin', method: 'POST', path: '/user-groups', as: 'bob', body: validUserGroup, status: 403, code: 'forbidden', field: 'admin' },
  { name: 'POST /user-groups: handle here is reserved', method: 'POST', path: '/user-groups', body: { ...validUserGroup, handle: 'Here' }, status: 400, code: 'validation_failed', field: 'handle' },
  { name: 'POST /user-groups: handle of one character', method: 'POST', path: '/user-groups', body: { ...validUserGroup, handle: 'a' }, status: 400, code: 'validation_failed', field: 'handle' },
  { name: 'POST /user-groups: handle with a space', method: 'POST', path: '/user-groups', body: { ...validUserGroup, handle: 'new team' }, status: 400, code: 'validation_failed', field: 'handle' },
  { name: 'POST /user-groups: empty name', method: 'POST', path: '/user-groups', body: { ...validUserGroup, name: ' ' }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'POST /user-groups: no memberIds', method: 'POST', path: '/user-groups', body: { handle: 'new-team', name: 'New team' }, status: 400, code: 'validation_failed', field: 'memberIds' },
  { name: 'POST /user-groups: a member id is not a UUID', method: 'POST', path: '/user-groups', body: { ...validUserGroup, memberIds: ['bob'] }, status: 400, code: 'validation_failed', field: 'memberIds' },
  { name: 'POST /user-groups: an unknown member', method: 'POST', path: '/user-groups', body: { ...validUserGroup, memberIds: ['{unknown}'] }, status: 400, code: 'validation_failed', field: 'memberIds' },
  { name: 'POST /user-groups: an unknown manager', method: 'POST', path: '/user-groups', body: { ...validUserGroup, managerIds: ['{unknown}'] }, status: 400, code: 'validation_failed', field: 'managerIds' },
  { name: 'POST /user-groups: unknown field', method: 'POST', path: '/user-groups', body: { ...validUserGroup, private: true }, status: 400, code: 'validation_failed', field: 'private' },
  { name: "POST /user-groups: a user's username as handle", method: 'POST', path: '/user-groups', body: { ...validUserGroup, handle: '{alice}' }, status: 409, code: 'handle_taken', field: 'handle' },
  { name: "POST /user-groups: another group's handle", method: 'POST', path: '/user-groups', body: { ...validUserGroup, handle: UG_HANDLE.toUpperCase() }, status: 409, code: 'handle_taken', field: UG_HANDLE },
  ...bodyCases('PATCH', '/user-groups/{userGroup}', { name: 'Renamed' }),
  ...authCases('PATCH', '/user-groups/{userGroup}', { name: 'Renamed' }),
  { name: 'PATCH /user-groups/:id: nothing to change', method: 'PATCH', path: '/user-groups/{userGroup}', body: {}, status: 400, code: 'validation_failed', field: 'handle, name' },
  { name: 'PATCH /user-groups/:id: id is not a UUID', method: 'PATCH', path: '/user-groups/design', body: { name: 'Renamed' }, status: 400, code: 'validation_failed', field: 'id' },
  { name: 'PATCH /user-groups/:id: unknown group', method: 'PATCH', path: '/user-groups/{unknown}', body: { name: 'Renamed' }, status: 404, code: 'not_found', field: 'user group' },
  { name: 'PATCH /user-groups/:id: neither server admin nor manager', method: 'PATCH', path: '/user-groups/{userGroup}', as: 'bob', body: { name: 'Mine' }, status: 403, code: 'forbidden', field: 'managers' },
  { name: "PATCH /user-groups/:id: a user's username as handle", method: 'PATCH', path: '/user-groups/{userGroup}', body: { handle: '{alice}' }, status: 409, code: 'handle_taken', field: 'handle' },
  ...authCases('DELETE', '/user-groups/{userGroup}'),
  { name: 'DELETE /user-groups/:id: not a server admin', method: 'DELETE', path: '/user-groups/{userGroup}', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  { name: 'DELETE /user-groups/:id: id is not a UUID', method: 'DELETE', path: '/user-groups/12345', status: 400, code: 'validation_failed', field: 'id' },
  { name: 'DELETE /user-groups/:id: unknown group', method: 'DELETE', path: '/user-groups/{unknown}', status: 404, code: 'not_found', field: 'user group' },
  // Issue 21 item 6: webhooks ({group}: alice administers it, bob is a member; {conv}: a direct chat) and bots.
  ...bodyCases('POST', '/conversations/{group}/webhooks', { name: 'CI' }),
  ...authCases('POST', '/conversations/{group}/webhooks', { name: 'CI' }),
  { name: 'POST webhooks: empty name', method: 'POST', path: '/conversations/{group}/webhooks', body: { name: ' ' }, status: 400, code: 'validation_failed', field: 'name' },
  { name: 'POST webhooks: unknown field', method: 'POST', path: '/conversations/{group}/webhooks', body: { name: 'CI', channel: '#x' }, status: 400, code: 'validation_failed', field: 'channel' },
  { name: 'POST webhooks: not an admin', method: 'POST', path: '/conversations/{group}/webhooks', as: 'bob', body: { name: 'CI' }, status: 403, code: 'forbidden', field: 'admins' },
  { name: 'POST webhooks: a direct chat', method: 'POST', path: '/conversations/{conv}/webhooks', body: { name: 'CI' }, status: 403, code: 'forbidden', field: 'direct' },
  { name: 'POST webhooks: not a member', method: 'POST', path: '/conversations/{other}/webhooks', body: { name: 'CI' }, status: 403, code: 'forbidden', field: 'member' },
  { name: 'POST webhooks: unknown conversation', method: 'POST', path: '/conversations/{unknown}/webhooks', body: { name: 'CI' }, status: 404, code: 'not_found', field: 'conversation' },
  ...authCases('GET', '/conversations/{group}/webhooks'),
  { name: 'GET webhooks: not an admin', method: 'GET', path: '/conversations/{group}/webhooks', as: 'bob', status: 403, code: 'forbidden', field: 'admins' },
  { name: 'GET webhooks: id is not a UUID', method: 'GET', path: '/conversations/abc/webhooks', status: 400, code: 'validation_failed', field: 'id' },
  ...authCases('DELETE', '/conversations/{group}/webhooks/{unknown}'),
  { name: 'DELETE webhook: id is not a UUID', method: 'DELETE', path: '/conversations/{group}/webhooks/ci', status: 400, code: 'validation_failed', field: 'webhookId' },
  { name: 'DELETE webhook: unknown webhook', method: 'DELETE', path: '/conversations/{group}/webhooks/{unknown}', status: 404, code: 'not_found', field: 'webhook' },
  { name: 'DELETE webhook: not an admin', method: 'DELETE', path: '/conversations/{group}/webhooks/{unknown}', as: 'bob', status: 403, code: 'forbidden', field: 'admins' },
  ...bodyCases('POST', `/hooks/${'A'.repeat(32)}`, { text: 'hi' }),
  { name: 'POST /hooks: no text', method: 'POST', path: `/hooks/${'A'.repeat(32)}`, as: 'nobody', body: { username: 'CI' }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'POST /hooks: empty text', method: 'POST', path: `/hooks/${'A'.repeat(32)}`, as: 'nobody', body: { text: '   ' }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'POST /hooks: icon_url not http(s)', method: 'POST', path: `/hooks/${'A'.repeat(32)}`, as: 'nobody', body: { text: 'hi', icon_url: 'javascript:alert(1)' }, status: 400, code: 'validation_failed', field: 'icon_url' },
  { name: 'POST /hooks: a token of the wrong shape', method: 'POST', path: '/hooks/abc', as: 'nobody', body: { text: 'hi' }, status: 400, code: 'validation_failed', field: 'token' },
  { name: 'POST /hooks: a wrong token', method: 'POST', path: `/hooks/${'A'.repeat(32)}`, as: 'nobody', body: { text: 'hi' }, status: 404, code: 'not_found', field: 'webhook' },
  ...authCases('GET', '/admin/bots'),
  { name: 'GET /admin/bots: not a server admin', method: 'GET', path: '/admin/bots', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  ...bodyCases('POST', '/admin/bots', { username: 'printer', displayName: 'Printer' }),
  ...authCases('POST', '/admin/bots', { username: 'printer', displayName: 'Printer' }),
  { name: 'POST /admin/bots: username with a space', method: 'POST', path: '/admin/bots', body: { username: 'the printer', displayName: 'P' }, status: 400, code: 'validation_failed', field: 'username' },
  { name: 'POST /admin/bots: no displayName', method: 'POST', path: '/admin/bots', body: { username: 'printer' }, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'POST /admin/bots: a conversation id is not a UUID', method: 'POST', path: '/admin/bots', body: { username: 'printer', displayName: 'P', conversationIds: ['x'] }, status: 400, code: 'validation_failed', field: 'conversationIds' },
  { name: 'POST /admin/bots: a taken username', method: 'POST', path: '/admin/bots', body: { username: '{alice}', displayName: 'P' }, status: 409, code: 'username_taken', field: 'taken' },
  { name: 'POST /admin/bots: not a server admin', method: 'POST', path: '/admin/bots', as: 'bob', body: { username: 'printer', displayName: 'P' }, status: 403, code: 'forbidden', field: 'admin' },
  ...bodyCases('PATCH', '/admin/bots/{unknown}', { displayName: 'P' }),
  ...authCases('PATCH', '/admin/bots/{unknown}', { displayName: 'P' }),
  { name: 'PATCH /admin/bots/:id: nothing to change', method: 'PATCH', path: '/admin/bots/{unknown}', body: {}, status: 400, code: 'validation_failed', field: 'displayName' },
  { name: 'PATCH /admin/bots/:id: id is not a UUID', method: 'PATCH', path: '/admin/bots/printer', body: { displayName: 'P' }, status: 400, code: 'validation_failed', field: 'id' },
  { name: 'PATCH /admin/bots/:id: unknown bot', method: 'PATCH', path: '/admin/bots/{unknown}', body: { displayName: 'P' }, status: 404, code: 'not_found', field: 'bot' },
  ...authCases('DELETE', '/admin/bots/{unknown}'),
  { name: 'DELETE /admin/bots/:id: unknown bot', method: 'DELETE', path: '/admin/bots/{unknown}', status: 404, code: 'not_found', field: 'bot' },
  { name: 'DELETE /admin/bots/:id: not a server admin', method: 'DELETE', path: '/admin/bots/{unknown}', as: 'bob', status: 403, code: 'forbidden', field: 'admin' },
  ...authCases('POST', '/admin/bots/{unknown}/tokens'),
  { name: 'POST bot token: unknown bot', method: 'POST', path: '/admin/bots/{unknown}/tokens', status: 404, code: 'not_found', field: 'bot' },
  { name: 'POST bot token: id is not a UUID', method: 'POST', path: '/admin/bots/printer/tokens', status: 400, code: 'validation_failed', field: 'id' },
  ...authCases('DELETE', '/admin/bots/{unknown}/tokens/{unknown}'),
  { name: 'DELETE bot token: unknown bot', method: 'DELETE', path: '/admin/bots/{unknown}/tokens/{unknown}', status: 404, code: 'not_found', field: 'bot' },
  { name: 'DELETE bot token: token id is not a UUID', method: 'DELETE', path: '/admin/bots/{unknown}/tokens/t1', status: 400, code: 'validation_failed', field: 'tokenId' },
  { name: 'unknown route with a bad JSON body', method: 'POST', path: '/nope', raw: '{bad', status: 400, code: 'bad_json' },
  { name: 'unknown route with a body over 256 KB', method: 'POST', path: '/nope', raw: oversized, status: 413, code: 'payload_too_large' },
  { name: 'a DELETE route reads a malformed JSON body too', method: 'DELETE', path: '/contacts/{bob}', raw: '{bad', status: 400, code: 'bad_json' },
  { name: 'PUT on a message', method: 'PUT', path: '/conversations/{conv}/messages/{seq}', body: validEdit, status: 404, code: 'not_found', field: 'PUT' },
  { name: 'GET on a message', method: 'GET', path: '/conversations/{conv}/messages/{seq}', status: 404, code: 'not_found', field: 'GET' },
  { name: 'DELETE on reactions', method: 'DELETE', path: '/conversations/{conv}/messages/{seq}/reactions', status: 404, code: 'not_found', field: 'DELETE' },
  { name: 'a reaction in the path', method: 'DELETE', path: '/conversations/{conv}/messages/{seq}/reactions/%F0%9F%91%8D', status: 404, code: 'not_found', field: 'reactions' },
  { name: 'POST on search', method: 'POST', path: '/search', body: { q: 'storm' }, status: 404, code: 'not_found', field: 'POST' },
  { name: 'POST on changes', method: 'POST', path: '/conversations/{conv}/changes', body: { since: 0 }, status: 404, code: 'not_found', field: 'POST' },
  { name: 'GET on the POST-only /join', method: 'GET', path: '/join', status: 404, code: 'not_found', field: 'GET' },
  { name: 'PUT on the join-code route', method: 'PUT', path: '/conversations/{group}/join-code', body: {}, status: 404, code: 'not_found', field: 'PUT' },
  { name: 'POST on a member', method: 'POST', path: '/conversations/{group}/members/{bob}', body: { role: 'admin' }, status: 404, code: 'not_found', field: 'POST' },
  { name: 'a join code in the path', method: 'POST', path: '/join/{code}', body: {}, status: 404, code: 'not_found', field: '/join/' },
  { name: 'GET on the POST-only room join', method: 'GET', path: '/rooms/{room}/join', status: 404, code: 'not_found', field: 'GET' },
  { name: 'DELETE on /rooms', method: 'DELETE', path: '/rooms', status: 404, code: 'not_found', field: 'DELETE' },
  { name: 'GET on the POST-only clear', method: 'GET', path: '/conversations/{spare}/clear', status: 404, code: 'not_found', field: 'GET' },
  { name: 'POST on receipts', method: 'POST', path: '/conversations/{conv}/messages/{seq}/receipts', body: {}, status: 404, code: 'not_found', field: 'POST' },
  { name: 'receipts without a seq', method: 'GET', path: '/conversations/{conv}/messages/receipts', status: 404, code: 'not_found', field: 'receipts' },

  // POST /files
  ...bodyCases('POST', '/files', { conversationId: '{conv}', name: 'a.txt', size: 1 }),
  ...authCases('POST', '/files', { conversationId: '{conv}', name: 'a.txt', size: 1 }),
  ...(
    [
      ['a name with ../', { name: '../../etc/passwd' }, 'name', /not a path/],
      ['a name of two dots', { name: '..' }, 'name', /dots/],
      ['a name with a backslash', { name: '..\\boot.ini' }, 'name', /not a path/],
      ['a name with a control character', { name: 'a\u0000b.txt' }, 'name', /control/],
      ['a name with a newline', { name: 'a\nb.txt' }, 'name', /control/],
      ['a name of 300 characters', { name: long(300) }, 'name', /255/],
      ['an empty name', { name: '' }, 'name', undefined],
      ['a name of spaces', { name: '   ' }, 'name', undefined],
      ['a negative size', { size: -1 }, 'size', undefined],
      ['a fractional size', { size: 1.5 }, 'size', undefined],
      ['a size as a string', { size: '10' }, 'size', undefined],
      ['no size', { size: undefined }, 'size', undefined],
      ['a media type that is not one', { type: 'text' }, 'type', /media type/],
      ['a sha256 that is not hex', { sha256: 'z'.repeat(64) }, 'sha256', /SHA-256/],
      ['a thumbnail that is SVG', { thumbnail: 'data:image/svg+xml;base64,PHN2Zz4=' }, 'thumbnail', /PNG/],
      ['a conversation id that is not a UUID', { conversationId: 'x' }, 'conversationId', undefined],
      ['an unknown field', { path: '/tmp/x' }, 'path', /Unrecognized/]
    ] as [string, Record<string, unknown>, string, RegExp | undefined][]
  ).map(([what, change, field, mentions]): Case => ({
    name: `POST /files: ${what}`,
    method: 'POST',
    path: '/files',
    body: { conversationId: '{conv}', name: 'a.txt', size: 1, ...change },
    status: 400,
    code: 'validation_failed',
    field: field === 'path' ? 'path' : `body.${field}`,
    ...(mentions ? { mentions } : {})
  })),
  { name: 'POST /files: bigger than the limit', method: 'POST', path: '/files', body: { conversationId: '{conv}', name: 'big.iso', size: 2 * 1024 ** 3 + 1 }, status: 413, code: 'payload_too_large', field: 'body.size' },
  { name: 'POST /files: a conversation alice is not in', method: 'POST', path: '/files', body: { conversationId: '{other}', name: 'a.txt', size: 1 }, status: 403, code: 'forbidden' },
  { name: 'POST /files: an unknown conversation', method: 'POST', path: '/files', body: { conversationId: '{unknown}', name: 'a.txt', size: 1 }, status: 404, code: 'not_found' },

  // GET /uploads/:id, PATCH /uploads/:id, DELETE /uploads/:id
  ...(['GET', 'PATCH', 'DELETE'] as const).flatMap((method): Case[] => [
    ...authCases(method, '/uploads/{upload}'),
    { name: `${method} /uploads: id is not a UUID`, method, path: '/uploads/not-a-uuid', status: 400, code: 'validation_failed', field: 'id' },
    { name: `${method} /uploads: an unknown id`, method, path: '/uploads/{unknown}', status: 404, code: 'not_found', ...(method === 'PATCH' ? uploadBytes('abc', 0) : {}) },
    { name: `${method} /uploads: bob's upload`, method, path: '/uploads/{bobUpload}', status: 403, code: 'forbidden', ...(method === 'PATCH' ? uploadBytes('abc', 0) : {}) }
  ]),
  { name: 'PATCH /uploads: the wrong offset', method: 'PATCH', path: '/uploads/{upload}', ...uploadBytes('abc', 5), status: 409, code: 'conflict', mentions: /send from 10/ },
  { name: 'PATCH /uploads: no Upload-Offset', method: 'PATCH', path: '/uploads/{upload}', raw: 'abc', headers: { 'content-type': 'application/offset+octet-stream' }, status: 400, code: 'validation_failed', field: 'Upload-Offset' },
  { name: 'PATCH /uploads: Upload-Offset not a number', method: 'PATCH', path: '/uploads/{upload}', ...uploadBytes('abc', 'ten'), status: 400, code: 'validation_failed', field: 'Upload-Offset' },
  { name: 'PATCH /uploads: Upload-Offset negative', method: 'PATCH', path: '/uploads/{upload}', ...uploadBytes('abc', '-1'), status: 400, code: 'validation_failed', field: 'Upload-Offset' },
  { name: 'PATCH /uploads: bytes sent as JSON', method: 'PATCH', path: '/uploads/{upload}', body: {}, headers: { 'upload-offset': '10' }, status: 415, code: 'unsupported_media_type', mentions: /offset\+octet-stream/ },
  { name: 'PATCH /uploads: bytes with no Content-Type', method: 'PATCH', path: '/uploads/{upload}', raw: 'abc', noContentType: true, headers: { 'upload-offset': '10' }, status: 415, code: 'unsupported_media_type' },
  { name: 'PATCH /uploads: more bytes than remain', method: 'PATCH', path: '/uploads/{upload}', ...uploadBytes(long(91), 10), status: 413, code: 'payload_too_large', mentions: /only 90 remain/ },
  { name: 'PATCH /uploads: a complete file', method: 'PATCH', path: '/uploads/{file}', ...uploadBytes('abc', 0), status: 409, code: 'conflict', mentions: /complete/ },
  { name: 'DELETE /uploads: a complete file sent in a message', method: 'DELETE', path: '/uploads/{sentFile}', status: 409, code: 'conflict', mentions: /already a file/ },
  { name: 'GET /uploads: alice sees her upload', method: 'GET', path: '/uploads/{upload}', status: 200 },

  // tus: OPTIONS /uploads, POST /uploads (creation from headers), HEAD /uploads/:id; tus's headers on the routes above.
  { name: 'OPTIONS /uploads: what the server offers', method: 'OPTIONS', path: '/uploads', as: 'nobody', status: 204 },
  { name: 'OPTIONS /uploads: malformed JSON', method: 'OPTIONS', path: '/uploads', raw: '{bad', status: 400, code: 'bad_json' },
  ...authCases('POST', '/uploads'),
  ...(
    [
      ['no Upload-Length', { 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=' }, 400, 'validation_failed', /Upload-Length/],
      ['Upload-Length not a number', { 'upload-length': 'ten', 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=' }, 400, 'validation_failed', /Upload-Length/],
      ['Upload-Length negative', { 'upload-length': '-1', 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=' }, 400, 'validation_failed', /Upload-Length/],
      ['Upload-Defer-Length', { 'upload-defer-length': '1', 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=' }, 400, 'validation_failed', /Upload-Defer-Length/],
      ['no Upload-Metadata', { 'upload-length': '10' }, 400, 'validation_failed', /Upload-Metadata.*conversationId/],
      ['Upload-Metadata not base64', { 'upload-length': '10', 'upload-metadata': 'conversationId %%%' }, 400, 'validation_failed', /Upload-Metadata/],
      ['Upload-Metadata a key twice', { 'upload-length': '10', 'upload-metadata': 'filename YQ==,filename Yg==' }, 400, 'validation_failed', /twice/],
      ['Upload-Metadata not UTF-8', { 'upload-length': '10', 'upload-metadata': 'conversationId {convB64},filename //79' }, 400, 'validation_failed', /UTF-8/],
      ['no filename', { 'upload-length': '10', 'upload-metadata': 'conversationId {convB64}' }, 400, 'validation_failed', /Upload-Metadata\.filename/],
      ['a filename that is a path', { 'upload-length': '10', 'upload-metadata': 'conversationId {convB64},filename Li4vYQ==' }, 400, 'validation_failed', /Upload-Metadata\.filename/],
      ['a sha256 that is not hex', { 'upload-length': '10', 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=,sha256 eHl6' }, 400, 'validation_failed', /Upload-Metadata\.sha256/],
      ['bigger than the limit', { 'upload-length': String(2 * 1024 ** 3 + 1), 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=' }, 413, 'payload_too_large', /limit/],
      ['a conversation alice is not in', { 'upload-length': '10', 'upload-metadata': 'conversationId {otherB64},filename YS5iaW4=' }, 403, 'forbidden', /member/],
      ['an unknown conversation', { 'upload-length': '10', 'upload-metadata': 'conversationId {unknownB64},filename YS5iaW4=' }, 404, 'not_found', /not found/],
      ['Tus-Resumable 0.2.2', { 'tus-resumable': '0.2.2', 'upload-length': '10', 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=' }, 412, 'precondition_failed', /Tus-Resumable/]
    ] as const
  ).map(([what, headers, status, code, mentions]): Case => ({
    name: `POST /uploads: ${what}`,
    method: 'POST',
    path: '/uploads',
    headers: { 'tus-resumable': '1.0.0', ...headers },
    status,
    code,
    mentions
  })),
  {
    name: 'POST /uploads: first bytes of another media type',
    method: 'POST',
    path: '/uploads',
    raw: 'abc',
    headers: { 'tus-resumable': '1.0.0', 'upload-length': '10', 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=', 'content-type': 'text/plain' },
    status: 415,
    code: 'unsupported_media_type'
  },
  {
    name: 'POST /uploads: more first bytes than Upload-Length',
    method: 'POST',
    path: '/uploads',
    raw: 'abc',
    headers: { 'tus-resumable': '1.0.0', 'upload-length': '2', 'upload-metadata': 'conversationId {convB64},filename YS5iaW4=', 'content-type': 'application/offset+octet-stream' },
    status: 413,
    code: 'payload_too_large'
  },
  { name: 'HEAD /uploads: alice asks her upload’s offset', method: 'HEAD', path: '/uploads/{upload}', headers: { 'tus-resumable': '1.0.0' }, status: 200 },
  { name: 'PATCH /uploads: Upload-Checksum of another algorithm', method: 'PATCH', path: '/uploads/{upload}', ...uploadBytes('abc', 10), headers: { ...uploadBytes('abc', 10).headers, 'upload-checksum': 'md5 kAFQmDzST7DWlj99KOF/cg==' }, status: 400, code: 'validation_failed', mentions: /Upload-Checksum/ },
  { name: 'PATCH /uploads: Upload-Checksum without a digest', method: 'PATCH', path: '/uploads/{upload}', ...uploadBytes('abc', 10), headers: { ...uploadBytes('abc', 10).headers, 'upload-checksum': 'sha1' }, status: 400, code: 'validation_failed', mentions: /Upload-Checksum/ },
  { name: 'PATCH /uploads: bytes that do not match their Upload-Checksum', method: 'PATCH', path: '/uploads/{upload}', ...uploadBytes('abc', 10), headers: { ...uploadBytes('abc', 10).headers, 'upload-checksum': 'sha1 ZrJ0F9N+AkxGUmwvbTWKdU/FUvM=' }, status: 460, code: 'chunk_checksum_mismatch', mentions: /not kept/ },
  ...(['GET', 'PATCH', 'DELETE'] as const).map((method): Case => ({
    name: `${method} /uploads: Tus-Resumable 0.2.2`,
    method,
    path: '/uploads/{upload}',
    ...(method === 'PATCH' ? uploadBytes('abc', 10) : {}),
    headers: { ...(method === 'PATCH' ? uploadBytes('abc', 10).headers : {}), 'tus-resumable': '0.2.2' },
    status: 412,
    code: 'precondition_failed',
    mentions: /1\.0\.0/
  })),

  // GET /files/:id and GET /files/:id/preview
  ...(['/files/{file}', '/files/{file}/preview'] as const).flatMap((path): Case[] => [
    ...authCases('GET', path),
    { name: `GET ${path}: id is not a UUID`, method: 'GET', path: path.replace('{file}', 'not-a-uuid'), status: 400, code: 'validation_failed', field: 'id' },
    { name: `GET ${path}: an unknown id`, method: 'GET', path: path.replace('{file}', '{unknown}'), status: 404, code: 'not_found' },
    { name: `GET ${path}: a file of a conversation alice is not in`, method: 'GET', path: path.replace('{file}', '{carolFile}'), status: 403, code: 'forbidden' },
    { name: `GET ${path}: an upload that is not complete`, method: 'GET', path: path.replace('{file}', '{upload}'), status: 404, code: 'not_found', mentions: /not complete/ },
    { name: `GET ${path}: a range past the end`, method: 'GET', path, headers: { range: 'bytes=100000-' }, status: 416, code: 'range_not_satisfiable', mentions: /Range/ },
    { name: `GET ${path}: the image`, method: 'GET', path, status: 200 },
    { name: `GET ${path}: its first bytes`, method: 'GET', path, headers: { range: 'bytes=0-7' }, status: 206 }
  ]),
  { name: 'GET /files/{textFile}/preview: not an image', method: 'GET', path: '/files/{textFile}/preview', status: 409, code: 'conflict', mentions: /not an image/ },

  // Issue 20 (pins): the pins of a conversation and saved messages. Refusals only: nothing is pinned or saved here.
  ...authCases('GET', '/conversations/{conv}/pins'),
  ...idCases('GET', '/conversations/{conv}/pins'),
  ...(['PUT', 'DELETE'] as const).flatMap((method) => [
    ...authCases(method, '/conversations/{conv}/pins/{seq}'),
    ...idCases(method, '/conversations/{conv}/pins/{seq}'),
    ...seqCases(method, '/conversations/{conv}/pins/{seq}')
  ]),
  { name: 'pin: a system message', method: 'PUT', path: '/conversations/{group}/pins/1', status: 409, code: 'conflict', mentions: /system messages cannot be pinned/ },
  { name: 'pin: a deleted message', method: 'PUT', path: '/conversations/{chat}/pins/{tomb}', status: 409, code: 'conflict', mentions: /deleted/ },
  { name: 'pin: a member who is no admin', method: 'PUT', path: '/conversations/{notAdmin}/pins/{carolSays}', status: 403, code: 'forbidden', field: 'admins' },
  { name: 'pin: a body is ignored', method: 'PUT', path: '/conversations/{conv}/pins/99', body: { seq: 1 }, status: 404, code: 'not_found', field: 'message' },
  ...authCases('GET', '/saved'),
  ...authCases('PUT', '/saved/{conv}/{seq}'),
  ...idCases('PUT', '/saved/{conv}/{seq}'),
  ...seqCases('PUT', '/saved/{conv}/{seq}'),
  { name: 'save: a system message', method: 'PUT', path: '/saved/{group}/1', status: 409, code: 'conflict', mentions: /system messages cannot be saved/ },
  { name: 'save: a deleted message', method: 'PUT', path: '/saved/{chat}/{tomb}', status: 409, code: 'conflict', mentions: /deleted/ },
  // Removing is allowed whatever the conversation (also one the user left): only a malformed id or seq is refused.
  ...authCases('DELETE', '/saved/{conv}/{seq}'),
  ...idCases('DELETE', '/saved/{conv}/{seq}').filter((c) => c.status === 400),
  ...seqCases('DELETE', '/saved/{conv}/{seq}').filter((c) => c.status === 400),
  { name: 'unsave: what was never saved', method: 'DELETE', path: '/saved/{other}/99', status: 204 },

  // Attachments of a new message: only the sender's complete uploads to that conversation.
  ...(
    [
      ['an unfinished upload', ['{upload}'], /not complete/],
      ['bob’s upload', ['{bobUpload}'], /no upload/],
      ['an unknown id', ['{unknown}'], /no upload/],
      ['a file of another conversation', ['{carolFile}'], /no upload/],
      ['an id that is not a UUID', ['x'], /attachments/],
      ['none at all', [], /attachments/],
      ['more than allowed', Array.from({ length: LIMITS.attachmentsMax + 1 }, () => '{file}'), /attachments/]
    ] as [string, string[], RegExp][]
  ).map(([what, attachments, mentions]): Case => ({
    name: `send: attachments: ${what}`,
    method: 'POST',
    path: '/conversations/{conv}/messages',
    body: { clientId: 'att-1', text: 'see the file', attachments },
    status: 400,
    code: 'validation_failed',
    mentions
  })),

  // Threads (issue 20, item 3): {mine} in {chat} is a text message, seq 1 of {chat} the system message of its creation.
  ...authCases('GET', '/conversations/{chat}/threads/{mine}'),
  ...authCases('PUT', '/conversations/{chat}/threads/{mine}/follow', { following: true }),
  ...authCases('POST', '/conversations/{chat}/threads/{mine}/read', { seq: 1 }),
  ...authCases('GET', '/threads'),
  { name: 'thread: seq 0', method: 'GET', path: '/conversations/{chat}/threads/0', status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'thread: seq not a number', method: 'GET', path: '/conversations/{chat}/threads/x', status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'thread: limit 0', method: 'GET', path: '/conversations/{chat}/threads/{mine}?limit=0', status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'thread: limit too large', method: 'GET', path: `/conversations/{chat}/threads/{mine}?limit=${LIMITS.pageSizeMax + 1}`, status: 400, code: 'validation_failed', field: 'limit' },
  { name: 'thread: an unknown query parameter', method: 'GET', path: '/conversations/{chat}/threads/{mine}?around=3', status: 400, code: 'validation_failed', field: 'around' },
  { name: 'thread: of a system message', method: 'GET', path: '/conversations/{chat}/threads/1', status: 400, code: 'validation_failed', mentions: /system message/ },
  { name: 'thread: of no message', method: 'GET', path: '/conversations/{chat}/threads/99999', status: 404, code: 'not_found', mentions: /thread root/ },
  { name: 'thread: of a conversation alice is not in', method: 'GET', path: '/conversations/{other}/threads/1', status: 403, code: 'forbidden' },
  { name: 'follow: an empty body', method: 'PUT', path: '/conversations/{chat}/threads/{mine}/follow', body: {}, status: 400, code: 'validation_failed', field: 'following' },
  { name: 'follow: not a boolean', method: 'PUT', path: '/conversations/{chat}/threads/{mine}/follow', body: { following: 'yes' }, status: 400, code: 'validation_failed', field: 'following' },
  { name: 'follow: an unknown field', method: 'PUT', path: '/conversations/{chat}/threads/{mine}/follow', body: { following: true, muted: true }, status: 400, code: 'validation_failed', field: 'muted' },
  { name: 'thread read: negative seq', method: 'POST', path: '/conversations/{chat}/threads/{mine}/read', body: { seq: -1 }, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'thread read: no seq', method: 'POST', path: '/conversations/{chat}/threads/{mine}/read', body: {}, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'send: threadRoot 0', method: 'POST', path: '/conversations/{chat}/messages', body: { clientId: 'thr-1', text: 'hi', threadRoot: 0 }, status: 400, code: 'validation_failed', field: 'threadRoot' },
  { name: 'send: threadRoot not a number', method: 'POST', path: '/conversations/{chat}/messages', body: { clientId: 'thr-1', text: 'hi', threadRoot: '{mine}' }, status: 400, code: 'validation_failed', field: 'threadRoot' },
  { name: 'send: alsoInConversation not a boolean', method: 'POST', path: '/conversations/{chat}/messages', body: { clientId: 'thr-1', text: 'hi', threadRoot: 2, alsoInConversation: 'yes' }, status: 400, code: 'validation_failed', field: 'alsoInConversation' },
  { name: 'send: threadRoot a system message', method: 'POST', path: '/conversations/{chat}/messages', body: { clientId: 'thr-1', text: 'hi', threadRoot: 1 }, status: 400, code: 'validation_failed', mentions: /system message/ },
  { name: 'send: threadRoot no message', method: 'POST', path: '/conversations/{chat}/messages', body: { clientId: 'thr-1', text: 'hi', threadRoot: 99999 }, status: 404, code: 'not_found', mentions: /thread root/ },
  // Issue 20 (i20-menu): POST /conversations/:id/unread, and send with `forward`.
  ...bodyCases('POST', '/conversations/{conv}/unread', { seq: 1 }),
  ...authCases('POST', '/conversations/{conv}/unread', { seq: 1 }),
  ...idCases('POST', '/conversations/{conv}/unread', { seq: 1 }),
  { name: 'unread: missing seq', method: 'POST', path: '/conversations/{conv}/unread', body: {}, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'unread: seq 0', method: 'POST', path: '/conversations/{conv}/unread', body: { seq: 0 }, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'unread: seq as a string', method: 'POST', path: '/conversations/{conv}/unread', body: { seq: '1' }, status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'unread: seq beyond safe integers', method: 'POST', path: '/conversations/{conv}/unread', raw: '{"seq":1e300}', status: 400, code: 'validation_failed', field: 'seq' },
  { name: 'unread: unknown field', method: 'POST', path: '/conversations/{conv}/unread', body: { seq: 1, userId: '{bob}' }, status: 400, code: 'validation_failed', field: 'userId' },
  { name: 'unread: a seq no message has', method: 'POST', path: '/conversations/{conv}/unread', body: { seq: 999_999 }, status: 404, code: 'not_found', field: 'message' },
  { name: 'unread: of a conversation one is not in', method: 'POST', path: '/conversations/{other}/unread', body: { seq: 1 }, status: 403, code: 'forbidden' },
  { name: 'forward: not an object', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'fw1', text: '', forward: 1 }, status: 400, code: 'validation_failed', field: 'forward' },
  { name: 'forward: conversationId not a UUID', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'fw2', text: '', forward: { conversationId: 'x', seq: 1 } }, status: 400, code: 'validation_failed', field: 'forward.conversationId' },
  { name: 'forward: seq 0', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'fw3', text: '', forward: { conversationId: '{conv}', seq: 0 } }, status: 400, code: 'validation_failed', field: 'forward.seq' },
  { name: 'forward: unknown field', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'fw4', text: '', forward: { conversationId: '{conv}', seq: 1, text: 'x' } }, status: 400, code: 'validation_failed', field: 'text' },
  { name: 'forward: from a conversation one is not in', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'fw5', text: '', forward: { conversationId: '{other}', seq: 1 } }, status: 403, code: 'forbidden' },
  { name: 'forward: from no conversation', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'fw6', text: '', forward: { conversationId: '{unknown}', seq: 1 } }, status: 404, code: 'not_found' },
  { name: 'forward: a seq no message has', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'fw7', text: '', forward: { conversationId: '{conv}', seq: 999_999 } }, status: 404, code: 'not_found', field: 'message' },
  { name: 'forward: with files of one’s own', method: 'POST', path: '/conversations/{conv}/messages', body: { clientId: 'fw8', text: '', forward: { conversationId: '{conv}', seq: 1 }, attachments: ['{unknown}'] }, status: 400, code: 'validation_failed', field: 'body.attachments' },
]

/** A REST call that must succeed with `status`; the body is returned. */
async function ok(user: TestUser, method: Method, path: string, status: number, body?: unknown): Promise<any> {
  const res = await api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status)
  return res.body
}

/** A join code as a person might type it: lower case, a dash in the middle, spaces around. */
const loosely = (code: string): string => ` ${code.slice(0, 5).toLowerCase()}-${code.slice(5).toLowerCase()} `

/** Everything about the groups that bad input must not change. */
async function groupState(): Promise<typeof before> {
  return {
    group: (await ok(alice, 'GET', `/conversations/${ids.group}`, 200)).conversation,
    groupMessages: (await ok(alice, 'GET', `/conversations/${ids.group}/messages`, 200)).messages,
    joinCode: (await ok(alice, 'GET', `/conversations/${ids.group}/join-code`, 200)).joinCode,
    notAdmin: (await ok(carol, 'GET', `/conversations/${ids.notAdmin}`, 200)).conversation,
    other: (await ok(carol, 'GET', `/conversations/${ids.other}`, 200)).conversation,
    usedUp: (await ok(bob, 'GET', `/conversations/${usedUpGroup}/join-code`, 200)).joinCode
  }
}

beforeAll(async () => {
  // A high login limit: this file sends many refused sign-ins (and join-code guesses) on purpose.
  srv = await startServer({ loginLimit: { windowMs: 60_000, max: 10_000 }, clock: () => Date.now() + clockSkew })
  alice = await register(srv.url)
  bob = await register(srv.url)
  carol = await register(srv.url)
  ids.victim = (await register(srv.url)).user.id
  ids.userGroup = (await ok(alice, 'POST', '/user-groups', 201, { handle: UG_HANDLE, name: 'Designers', memberIds: [] })).userGroup.id
  ids.alice = alice.user.username.toUpperCase()
  ids.aliceId = alice.user.id
  ids.bob = bob.user.id
  ids.carol = carol.user.id
  ids.conv = (await ok(alice, 'POST', '/conversations', 201, { kind: 'direct', userId: bob.user.id })).conversation.id
  ids.other = (await ok(carol, 'POST', '/conversations', 201, { kind: 'group', title: 'Carol only', memberIds: [] })).conversation.id
  // Alice's own group, with bob, and a join code.
  ids.group = (await ok(alice, 'POST', '/conversations', 201, { kind: 'group', title: 'Alice team', memberIds: [bob.user.id] })).conversation.id
  ids.code = (await ok(alice, 'POST', `/conversations/${ids.group}/join-code`, 201, { expiresInSeconds: 3600, maxUses: 100 })).joinCode.code
  ids.codeLoose = loosely(ids.code)
  ids.spare = (await ok(alice, 'POST', '/conversations', 201, { kind: 'group', title: 'Alice spare', memberIds: [] })).conversation.id
  // Carol's group, where alice is only a member; its code was revoked.
  ids.notAdmin = (await ok(carol, 'POST', '/conversations', 201, { kind: 'group', title: 'Carol runs it', memberIds: [alice.user.id] })).conversation.id
  ids.revoked = (await ok(carol, 'POST', `/conversations/${ids.notAdmin}/join-code`, 201, {})).joinCode.code
  await ok(carol, 'DELETE', `/conversations/${ids.notAdmin}/join-code`, 204)
  // A code of carol's own group, replaced by a new one.
  ids.replaced = (await ok(carol, 'POST', `/conversations/${ids.other}/join-code`, 201, {})).joinCode.code
  const current = (await ok(carol, 'POST', `/conversations/${ids.other}/join-code`, 201, {})).joinCode.code as string
  expect(current).not.toBe(ids.replaced)
  // Bob's group with a one-use code that carol used.
  usedUpGroup = (await ok(bob, 'POST', '/conversations', 201, { kind: 'group', title: 'Bob club', memberIds: [] })).conversation.id
  ids.usedUp = (await ok(bob, 'POST', `/conversations/${usedUpGroup}/join-code`, 201, { maxUses: 1 })).joinCode.code
  ids.usedUpLoose = loosely(ids.usedUp)
  await ok(carol, 'POST', '/join', 201, { code: ids.usedUp })
  // A group that is gone, with the code it had.
  deletedGroup = (await ok(carol, 'POST', '/conversations', 201, { kind: 'group', title: 'Gone', memberIds: [alice.user.id] })).conversation.id
  ids.deletedCode = (await ok(carol, 'POST', `/conversations/${deletedGroup}/join-code`, 201, {})).joinCode.code
  await ok(carol, 'DELETE', `/conversations/${deletedGroup}`, 204)

  // Invitations (see `ids`): carol's to alice, declined; alice's to carol and bob's to alice, pending.
  ids.declinedInvitation = (await ok(carol, 'POST', '/invitations', 201, { userId: alice.user.id })).invitation.id
  await ok(alice, 'POST', `/invitations/${ids.declinedInvitation}/decline`, 200, {})
  ids.sentInvitation = (await ok(alice, 'POST', '/invitations', 201, { userId: carol.user.id, message: 'hello carol' })).invitation.id
  ids.receivedInvitation = (await ok(bob, 'POST', '/invitations', 201, { userId: alice.user.id })).invitation.id
  invitationsBefore = await ok(alice, 'GET', '/invitations', 200)

  // Files (see `ids`).
  ids.convB64 = Buffer.from(ids.conv).toString('base64')
  ids.otherB64 = Buffer.from(ids.other).toString('base64')
  ids.unknownB64 = Buffer.from(ids.unknown).toString('base64')
  const upload = (user: TestUser, body: object) => ok(user, 'POST', '/files', 201, body).then((b) => b.upload.id as string)
  const put = async (user: TestUser, id: string, bytes: Uint8Array) => {
    const res = await api(srv.url, 'PATCH', `/uploads/${id}`, { token: user.accessToken, bytes, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' } })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }
  const png = Buffer.from(PNG.split(',')[1]!, 'base64')
  ids.upload = await upload(alice, { conversationId: ids.conv, name: 'half.bin', size: 100 })
  await put(alice, ids.upload, new Uint8Array(10))
  ids.file = await upload(alice, { conversationId: ids.conv, name: 'dot.png', size: png.length, type: 'image/png' })
  await put(alice, ids.file, png)
  ids.textFile = await upload(alice, { conversationId: ids.conv, name: 'notes.txt', size: 3, type: 'text/plain' })
  await put(alice, ids.textFile, Buffer.from('abc'))
  ids.bobUpload = await upload(bob, { conversationId: ids.conv, name: 'bob.bin', size: 10 })
  ids.carolFile = await upload(carol, { conversationId: ids.other, name: 'carol.txt', size: 3 })
  await put(carol, ids.carolFile, Buffer.from('xyz'))

  // Public rooms: alice runs two, carol one alice is not in.
  ids.room = (await ok(alice, 'POST', '/rooms', 201, { name: ROOM, description: 'where alice hangs out' })).conversation.id
  ids.spareRoom = (await ok(alice, 'POST', '/rooms', 201, { name: SPARE_ROOM })).conversation.id
  ids.sentFile = await upload(alice, { conversationId: ids.spareRoom, name: 'sent.txt', size: 3, type: 'text/plain' })
  await put(alice, ids.sentFile, Buffer.from('abc'))
  await ok(alice, 'POST', `/conversations/${ids.spareRoom}/messages`, 201, { clientId: 'sent-file', text: '', attachments: [ids.sentFile] })
  await ok(carol, 'POST', '/rooms', 201, { name: CAROL_ROOM })
  roomsBefore = ((await ok(alice, 'GET', '/rooms', 200)).rooms as { id: string }[]).filter((r) => r.id !== ids.spareRoom)
  expect(roomsBefore).toHaveLength(2)

  keptMessage = (await ok(alice, 'POST', `/conversations/${ids.conv}/messages`, 201, { clientId: 'kept-1', text: 'sent before the storm' })).message
  ids.seq = String(keptMessage.seq)

  // Messages to change ({chat}, alice's group with bob), and others' messages alice may not change.
  const say = async (user: TestUser, conversation: string, text: string): Promise<string> =>
    String((await ok(user, 'POST', `/conversations/${conversation}/messages`, 201, { clientId: randomUUID(), text })).message.seq)
  ids.chat = (await ok(alice, 'POST', '/conversations', 201, { kind: 'group', title: 'Workshop', memberIds: [bob.user.id] })).conversation.id
  ids.mine = await say(alice, ids.chat, MINE_TEXT)
  ids.bobs = await say(bob, ids.chat, 'bob was here')
  ids.doomed = await say(bob, ids.chat, 'spam, spam, spam')
  ids.tomb = await say(alice, ids.chat, 'sent to the wrong chat')
  await ok(alice, 'DELETE', `/conversations/${ids.chat}/messages/${ids.tomb}`, 200)
  ids.full = await say(bob, ids.chat, 'react to this')
  for (const emoji of FACES.slice(0, -1)) await ok(alice, 'POST', `/conversations/${ids.chat}/messages/${ids.full}/reactions`, 200, { emoji })
  ids.dm = (await ok(alice, 'POST', '/conversations', 201, { kind: 'direct', userId: carol.user.id })).conversation.id
  ids.carolDm = await say(carol, ids.dm, 'only carol may change this')
  ids.carolSays = await say(carol, ids.notAdmin, 'carol runs this group')
  chatBefore = (await ok(alice, 'GET', `/conversations/${ids.chat}/messages`, 200)).messages
  dmBefore = (await ok(alice, 'GET', `/conversations/${ids.dm}/messages`, 200)).messages
  aliceConversationCount = (await api(srv.url, 'GET', '/conversations', { token: alice.accessToken })).body.conversations.length
  Object.assign(before, await groupState())
})
afterAll(() => srv.destroy())

describe('every REST route refuses bad input clearly', () => {
  it('covers every route of the API', async () => {
    const doc = (await api(srv.url, 'GET', '/openapi.json', { checkContract: false })).body as { paths: Record<string, object> }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    const template = (path: string): string =>
      path
        .split('?')[0]!
        .replace(/^\/conversations\/\{\w+\}/, '/conversations/{id}')
        .replace(/^\/conversations\/\{id\}\/messages\/\{\w+\}/, '/conversations/{id}/messages/{seq}')
        .replace(/^\/conversations\/\{id\}\/threads\/[^/]+/, '/conversations/{id}/threads/{seq}')
        .replace(/^\/rooms\/\{\w+\}\/join$/, '/rooms/{id}/join')
        .replace(/\/members\/\{\w+\}$/, '/members/{userId}')
        .replace(/^\/invitations\/\{\w+\}/, '/invitations/{id}')
        .replace(/^\/contacts\/\{\w+\}$/, '/contacts/{userId}')
        .replace(/^\/drafts\/\{\w+\}$/, '/drafts/{conversationId}')
        .replace(/^\/scheduled\/[^/]+/, '/scheduled/{id}')
        .replace(/^\/join\/[^/]+$/, '/join/{code}')
        .replace(/^\/admin\/users\/[^/]+/, '/admin/users/{id}')
        .replace(/^\/(uploads|files)\/[^/]+/, '/$1/{id}')
        .replace(/^\/user-groups\/[^/]+/, '/user-groups/{id}')
        .replace(/^\/conversations\/\{id\}\/pins\/[^/]+$/, '/conversations/{id}/pins/{seq}')
        .replace(/^\/saved\/[^/]+\/[^/]+$/, '/saved/{conversationId}/{seq}')
        .replace(/^\/conversations\/\{id\}\/webhooks\/[^/]+$/, '/conversations/{id}/webhooks/{webhookId}')
        .replace(/^\/hooks\/[^/]+$/, '/hooks/{token}')
        .replace(/^\/admin\/bots\/[^/]+\/tokens\/[^/]+$/, '/admin/bots/{id}/tokens/{tokenId}')
        .replace(/^\/admin\/bots\/[^/]+\/tokens$/, '/admin/bots/{id}/tokens')
        .replace(/^\/admin\/bots\/[^/]+$/, '/admin/bots/{id}')
    const covered = new Set(cases.map((c) => `${c.method} ${template(c.path)}`))
    expect(documented.filter((op) => !covered.has(op))).toEqual([])
  })

  it.for(cases)('$name → $status', async (c) => {
    const res = await send(c)
    answered.set(c.name, `${res.status} ${res.body?.error?.code ?? ''}`)
    bodies.set(c.name, res.body)
    expect(res.status, `${c.name}: ${JSON.stringify(res.body)}`).toBe(c.status)
    if (c.sameAs) {
      expect(bodies.has(c.sameAs), `${c.sameAs} runs before ${c.name}`).toBe(true)
      expect(res.body, `${c.name} answers as ${c.sameAs}`).toEqual(bodies.get(c.sameAs))
    }
    if (c.status >= 400) {
      expect(res.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } })
      if (c.code) expect(res.body.error.code).toBe(c.code)
      if (c.field) expect(res.body.error.message).toContain(fill(c.field))
      if (c.mentions) expect(res.body.error.message).toMatch(c.mentions)
      expect(res.body.error.message.length).toBeGreaterThan(5)
    }
    if (c.status === 401) expect(res.headers.get('www-authenticate')).toBe(`Bearer error="${c.code}"`)
  })

  it('refuses access tokens that are expired, forged, for another audience or of a signed-out session', async () => {
    const key = await tokenKey(srv)
    const { sid } = decodeJwt(alice.accessToken)
    const now = Math.floor(Date.now() / 1000)
    const sign = (secret: Uint8Array, opts: { exp?: number; aud?: string; sub?: string } = {}): Promise<string> =>
      new SignJWT({ sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(opts.sub ?? alice.user.id)
        .setIssuer('messenger-server')
        .setAudience(opts.aud ?? 'messenger-client')
        .setIssuedAt(now - 3600)
        .setExpirationTime(opts.exp ?? now + 600)
        .sign(secret)
    const second = await api(srv.url, 'POST', '/auth/login', { body: { username: alice.user.username, password: alice.password } })
    expect(second.status).toBe(200)
    expect((await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken: second.body.refreshToken } })).status).toBe(204)
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')
    const unsigned = `${none}.${alice.accessToken.split('.')[1]!}.`
    const tokens: [string, ErrorCode][] = [
      [await sign(key, { exp: now - 60 }), 'token_expired'],
      [await sign(new Uint8Array(32).fill(7)), 'invalid_token'],
      [await sign(key, { aud: 'someone-else' }), 'invalid_token'],
      [`${alice.accessToken.slice(0, -2)}xx`, 'invalid_token'],
      [unsigned, 'invalid_token'],
      [await sign(key, { sub: bob.user.id }), 'session_revoked'],
      [second.body.accessToken as string, 'session_revoked']
    ]
    for (const [token, code] of tokens) {
      for (const [method, path] of [
        ['GET', '/me'],
        ['GET', `/conversations/${ids.conv}/messages`]
      ] as const) {
        const res = await api<ErrorBody>(srv.url, method, path, { token })
        expect(res.status, `${code}: ${JSON.stringify(res.body)}`).toBe(401)
        expect(res.body.error.code).toBe(code)
        expect(res.body.error.message).toMatch(/token|session/)
        expect(res.headers.get('www-authenticate')).toBe(`Bearer error="${code}"`)
      }
    }
  })

  it('answers many bad requests at once exactly as it answered them one by one', async () => {
    // Cases whose answer broke the contract (thrown by `api`) were reported above and are left out.
    const burst = cases.filter((c) => answered.has(c.name) && c.raw !== oversized)
    expect(burst.length).toBeGreaterThan(100)
    // 64 in flight at a time: enough to interleave every handler, and below what one
    // process's HTTP client and server can hold open together without resets.
    const results: Awaited<ReturnType<typeof send>>[] = new Array(burst.length)
    let next = 0
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < burst.length) {
          const i = next++
          results[i] = await send(burst[i]!)
        }
      })
    )
    const got = results.map((r) => `${r.status} ${r.body?.error?.code ?? ''}`)
    expect(got.filter((g) => g.startsWith('5'))).toEqual([])
    expect(got).toEqual(burst.map((c) => answered.get(c.name)))
  })

  it('afterwards the server is up and nothing valid was lost or changed', async () => {
    const health = await api(srv.url, 'GET', '/health')
    expect(health.status).toBe(200)
    expect(health.body.ok).toBe(true)

    const page = await api(srv.url, 'GET', `/conversations/${ids.conv}/messages`, { token: alice.accessToken })
    expect(page.status).toBe(200)
    // Only the message sent before: no refused send was stored.
    expect(page.body.messages).toEqual([keptMessage])
    const bobView = await api(srv.url, 'GET', `/conversations/${ids.conv}/messages`, { token: bob.accessToken })
    expect(bobView.body.messages).toEqual([keptMessage])

    const me = await api(srv.url, 'GET', '/me', { token: alice.accessToken })
    expect(me.status).toBe(200)
    // GET /me adds the private settings to what registering answered.
    expect(me.body.user).toEqual({ ...alice.user, hideLastSeen: false, contactsOnlyDirect: false, serverAdmin: true, email: null })
    // No refused (or harmless) admin call changed the server's settings or anyone's role.
    expect((await api(srv.url, 'GET', '/admin/settings', { token: alice.accessToken })).body.settings).toEqual({
      name: 'LAN Messenger',
      registration: 'open',
      maxFileBytes: 2 * 1024 ** 3,
      retentionDays: null,
      linkPreviews: 'public'
    })
    const people = (await api(srv.url, 'GET', '/admin/users', { token: alice.accessToken })).body.users as { id: string; serverAdmin: boolean; disabled: boolean }[]
    expect(people.filter((u) => u.serverAdmin).map((u) => u.id)).toEqual([alice.user.id])
    expect(people.filter((u) => u.disabled)).toEqual([])

    const convs = await api(srv.url, 'GET', '/conversations', { token: alice.accessToken })
    expect(convs.body.conversations).toHaveLength(aliceConversationCount)
    const direct = convs.body.conversations.find((c: { id: string }) => c.id === ids.conv)
    expect(direct.lastMessage).toEqual(keptMessage)

    // No refused group change was applied, and the accepted no-ops changed nothing, not even the
    // history (a change would have left a system message).
    expect(await groupState()).toEqual(before)
    expect(before.groupMessages.map((m) => [m.kind, m.system?.type])).toEqual([
      ['system', 'group_created'],
      ['system', 'join_code_changed']
    ])
    const members = (before.group as { members: { user: { id: string }; role: string }[] }).members
    expect(members.map((m) => [m.user.id, m.role]).sort()).toEqual(
      [
        [alice.user.id, 'admin'],
        [bob.user.id, 'member']
      ].sort()
    )
    expect(before.joinCode).toMatchObject({ code: ids.code, uses: 0, maxUses: 100 })
    expect(before.usedUp).toMatchObject({ code: ids.usedUp, uses: 1, maxUses: 1 })
    expect((await api(srv.url, 'GET', `/conversations/${deletedGroup}`, { token: carol.accessToken })).status).toBe(404)
    expect((await api(srv.url, 'GET', `/conversations/${usedUpGroup}`, { token: alice.accessToken })).status).toBe(403)

    // No refused room request created, joined or changed a room (the renames of {spareRoom} have cases of their own).
    const rooms = (await ok(alice, 'GET', '/rooms', 200)).rooms as { id: string }[]
    expect(rooms.filter((r) => r.id !== ids.spareRoom)).toEqual(roomsBefore)
    expect(rooms.map((r) => r.id)).toContain(ids.spareRoom)

    // Message changes: only the accepted ones were made. Bob's message carries no more than the reactions alice
    // toggled on and off; the doomed message is a tombstone; the rest is as it was.
    const chat = (await ok(alice, 'GET', `/conversations/${ids.chat}/messages`, 200)).messages as Message[]
    const bySeq = (messages: Message[], seq: string): Message | undefined => messages.find((m) => m.seq === Number(seq))
    expect(chat.map((m) => m.seq)).toEqual(chatBefore.map((m) => m.seq))
    for (const seq of ['1', ids.mine, ids.tomb, ids.full]) expect(bySeq(chat, seq), `{chat} seq ${seq}`).toEqual(bySeq(chatBefore, seq))
    expect(bySeq(chat, ids.mine)).toMatchObject({ text: MINE_TEXT, senderId: alice.user.id })
    expect(bySeq(chat, ids.mine)?.editedAt).toBeUndefined()
    expect(bySeq(chat, ids.mine)?.mentions).toBeUndefined()
    expect(Object.keys(bySeq(chat, ids.full)?.reactions ?? {})).toEqual(FACES.slice(0, -1))
    const { reactions, version, ...bobsNow } = bySeq(chat, ids.bobs)!
    const { version: versionBefore, ...bobsBefore } = bySeq(chatBefore, ids.bobs)!
    expect(bobsNow).toEqual(bobsBefore)
    expect(version).toBeGreaterThan(versionBefore ?? 0)
    expect(Object.values(reactions ?? {}).flat().every((id) => id === alice.user.id)).toBe(true)
    expect(bySeq(chat, ids.doomed)).toMatchObject({ text: '', senderId: bob.user.id, deletedAt: expect.any(String) })
    expect((await ok(carol, 'GET', `/conversations/${ids.dm}/messages`, 200)).messages).toEqual(dmBefore)
    expect(bySeq((await ok(carol, 'GET', `/conversations/${ids.notAdmin}/messages`, 200)).messages, ids.carolSays)).toMatchObject({ text: 'carol runs this group' })

    // Refused file requests changed nothing: the upload still waits at 10 bytes, the file is whole.
    expect((await ok(alice, 'GET', `/uploads/${ids.upload}`, 200)).upload).toMatchObject({ offset: 10, complete: false })
    expect((await ok(alice, 'GET', `/uploads/${ids.file}`, 200)).upload).toMatchObject({ complete: true })
    expect((await ok(bob, 'GET', `/uploads/${ids.bobUpload}`, 200)).upload).toMatchObject({ offset: 0, complete: false })

    const ghosts = await api(srv.url, 'GET', `/users?q=${GHOST}`, { token: alice.accessToken })
    expect(ghosts.body.users).toEqual([])

    for (const user of [alice, bob, carol]) {
      const login = await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
      expect(login.status).toBe(200)
    }

    // And valid requests still work.
    const again = await api(srv.url, 'POST', `/conversations/${ids.conv}/messages`, {
      token: bob.accessToken,
      body: { clientId: 'after-1', text: 'still here' }
    })
    expect(again.status).toBe(201)
    expect(again.body.message.seq).toBe(keptMessage.seq + 1)

    const lastSeq = (before.group as { lastSeq: number }).lastSeq
    const renamed = await ok(alice, 'PATCH', `/conversations/${ids.group}`, 200, { title: ' Renamed ', description: 'Line one\n\tLine two', avatar: PNG })
    expect(renamed.conversation).toMatchObject({ title: 'Renamed', description: 'Line one\n\tLine two', avatar: PNG, lastSeq: lastSeq + 3 })
    const joined = await ok(carol, 'POST', '/join', 201, { code: ids.codeLoose })
    expect(joined.conversation.members.map((m: { user: { id: string } }) => m.user.id)).toContain(carol.user.id)
    const history = (await ok(alice, 'GET', `/conversations/${ids.group}/messages?after=${lastSeq}`, 200)).messages as Message[]
    expect(history.map((m) => m.system?.type)).toEqual(['group_renamed', 'description_changed', 'avatar_changed', 'member_joined'])
  })

  it('a join code past its expiry answers 410 join_code_expired (members still get their group)', async () => {
    const club = (await ok(bob, 'POST', '/conversations', 201, { kind: 'group', title: 'Short-lived', memberIds: [] })).conversation.id
    const { code, expiresAt } = (await ok(bob, 'POST', `/conversations/${club}/join-code`, 201, { expiresInSeconds: 60 })).joinCode
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(55_000)
    clockSkew = 61_000
    try {
      const late = await api<ErrorBody>(srv.url, 'POST', '/join', { token: alice.accessToken, body: { code: loosely(code) } })
      expect(late.status, JSON.stringify(late.body)).toBe(410)
      expect(late.body.error.code).toBe('join_code_expired')
      expect(late.body.error.message).toMatch(/expired/)
      expect((await api(srv.url, 'POST', '/join', { token: bob.accessToken, body: { code } })).status).toBe(200)
    } finally {
      clockSkew = 0
    }
    const club2 = await ok(bob, 'GET', `/conversations/${club}`, 200)
    expect(club2.conversation.members).toHaveLength(1)
  })

  it('afterwards the invitations are as they were and nobody became a contact', async () => {
    expect(await ok(alice, 'GET', '/invitations', 200)).toEqual(invitationsBefore)
    const { incoming, outgoing } = invitationsBefore as { incoming: { id: string }[]; outgoing: { id: string; message: string }[] }
    expect(incoming.map((i) => i.id)).toEqual([ids.receivedInvitation])
    expect(outgoing).toEqual([expect.objectContaining({ id: ids.sentInvitation, message: 'hello carol' })])
    for (const user of [alice, bob, carol]) expect((await ok(user, 'GET', '/contacts', 200)).contacts).toEqual([])
  })

})
