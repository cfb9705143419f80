// The OpenAPI document describes the real API: every route is in it, every
// documented operation is exercised here with a valid request and with its
// documented errors, and every answer matches the document (`api` checks each
// response against it and throws otherwise).
import { createHash, randomUUID } from 'node:crypto'
import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../src/shared/errors'
import { LIMITS } from '../../src/shared/limits'
import { JOIN_CODE_ALPHABET } from '../../src/shared/schemas/groups'
import { api, recorded, register, type ApiResponse, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

interface Operation {
  operationId?: string
  summary?: string
  security?: Record<string, string[]>[]
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> }
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Record<string, unknown> }> }>
}

interface OpenApiDoc {
  openapi: string
  info: { title: string; version: string }
  servers?: { url: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes?: Record<string, Record<string, unknown>> }
}

/** Every route of the API, as `method path` in OpenAPI syntax. */
const ROUTES = [
  'get /health',
  'post /auth/register',
  'post /auth/login',
  'post /auth/refresh',
  'post /auth/logout',
  'get /me',
  'patch /me',
  'get /users',
  'post /conversations',
  'get /conversations',
  'get /conversations/{id}',
  'get /conversations/{id}/messages',
  'post /conversations/{id}/messages',
  'post /conversations/{id}/read',
  'post /conversations/{id}/unread',
  'get /conversations/{id}/messages/{seq}/receipts',
  'post /conversations/{id}/clear',
  'patch /conversations/{id}',
  'delete /conversations/{id}',
  'post /conversations/{id}/members',
  'delete /conversations/{id}/members/{userId}',
  'patch /conversations/{id}/members/{userId}',
  'get /conversations/{id}/join-code',
  'post /conversations/{id}/join-code',
  'delete /conversations/{id}/join-code',
  'post /join',
  'post /invitations',
  'get /invitations',
  'post /invitations/{id}/accept',
  'post /invitations/{id}/decline',
  'delete /invitations/{id}',
  'get /contacts',
  'delete /contacts/{userId}',
  'get /rooms',
  'post /rooms',
  'post /rooms/{id}/join',
  'patch /conversations/{id}/messages/{seq}',
  'delete /conversations/{id}/messages/{seq}',
  'post /conversations/{id}/messages/{seq}/reactions',
  // Issue 21 (link previews).
  'delete /conversations/{id}/messages/{seq}/preview',
  'get /conversations/{id}/changes',
  // Issue 20 (pins).
  'get /conversations/{id}/pins',
  'put /conversations/{id}/pins/{seq}',
  'delete /conversations/{id}/pins/{seq}',
  'get /saved',
  'put /saved/{conversationId}/{seq}',
  'delete /saved/{conversationId}/{seq}',
  'get /search',
  'get /drafts',
  'get /user-groups',
  'post /user-groups',
  'patch /user-groups/{id}',
  'delete /user-groups/{id}',
  'put /drafts/{conversationId}',
  'delete /drafts/{conversationId}',
  'get /me/notification-prefs',
  'patch /me/notification-prefs',
  'get /scheduled',
  'patch /scheduled/{id}',
  'delete /scheduled/{id}',
  'post /scheduled/{id}/send',
  'get /join/{code}',
  'get /server',
  'post /auth/forgot-password',
  'post /auth/reset-password',
  'get /admin/settings',
  'patch /admin/settings',
  'get /admin/users',
  'patch /admin/users/{id}',
  'post /admin/users/{id}/reset-password',
  'get /admin/users/{id}/export',
  'get /admin/invites',
  'post /admin/invites',
  'delete /admin/invites/{code}',
  'post /files',
  'get /uploads/{id}',
  'patch /uploads/{id}',
  'delete /uploads/{id}',
  'options /uploads',
  'post /uploads',
  'head /uploads/{id}',
  'get /files/{id}',
  'get /files/{id}/preview',
  'get /metrics',
  // Threads (issue 20, item 3)
  'get /conversations/{id}/threads/{seq}',
  'put /conversations/{id}/threads/{seq}/follow',
  'post /conversations/{id}/threads/{seq}/read',
  'get /threads',
  // Issue 21 item 6: webhooks and bots.
  'post /conversations/{id}/webhooks',
  'get /conversations/{id}/webhooks',
  'delete /conversations/{id}/webhooks/{webhookId}',
  'post /hooks/{token}',
  'get /admin/bots',
  'post /admin/bots',
  'patch /admin/bots/{id}',
  'delete /admin/bots/{id}',
  'post /admin/bots/{id}/tokens',
  'delete /admin/bots/{id}/tokens/{tokenId}'
]

/** Operations whose body is bytes (an upload's), not JSON, with its media type. */
const BYTES_BODY: Record<string, string> = { 'patch /uploads/{id}': 'application/offset+octet-stream', 'post /uploads': 'application/offset+octet-stream' }
/** Bytes a request may carry or not (tus's creation-with-upload). */
const OPTIONAL_BODY = ['post /uploads']
/** Success answers that are bytes (downloads), with their media type. */
const BYTES_RESPONSE: Record<string, string> = {
  'get /files/{id} 200': 'application/octet-stream',
  'get /files/{id} 206': 'application/octet-stream',
  'get /files/{id}/preview 200': 'image/*',
  'get /files/{id}/preview 206': 'image/*',
  'get /metrics 200': 'text/plain',
  'get /join/{code} 200': 'text/html',
  'get /admin/users/{id}/export 200': 'application/zip'
}

/** POST operations that take no body: the path says it all. */
const NO_BODY = ['post /rooms/{id}/join', 'post /conversations/{id}/clear', 'post /admin/users/{id}/reset-password', 'post /admin/bots/{id}/tokens']

/**
 * Path parameters that are not ids (those are UUIDs), with values their documented schema must accept and refuse.
 * A message's seq is a whole number in the path.
 */
const NUMERIC_PATH_PARAMS: Record<string, { accepts: string[]; refuses: string[] }> = {
  seq: { accepts: ['1', '42', String(Number.MAX_SAFE_INTEGER)], refuses: ['', '-1', '1.5', '1e3', '+1', 'abc', '1'.repeat(17), randomUUID()] },
  // An invite code: 10 letters and digits of the join code alphabet, either case.
  code: { accepts: ['ABCDEFGHJK', 'abcdefghjk'], refuses: ['', 'abc', 'abcde-fghjk', 'ILOUILOUIL', randomUUID()] },
  // A webhook's token (issue 21): 32 base64url characters.
  token: { accepts: ['A'.repeat(32), 'abc-_'.padEnd(32, 'x')], refuses: ['', 'short', 'x'.repeat(33), 'a+b/'.padEnd(32, 'x'), randomUUID()] }
}

/** Documented answers no request through the API can provoke, and why. */
const UNREACHABLE: Record<string, string> = {
  'get /me 404': 'the account behind a valid token is gone; the API cannot delete accounts',
  'patch /me 404': 'the account behind a valid token is gone; the API cannot delete accounts',
  'put /drafts/{conversationId} 409':
    'a 201st draft: filling the 200 costs some 400 requests, too slow for this file; test/integration/drafts.test.ts reaches it',
  'patch /scheduled/{id} 409': 'it is being sent at that instant (a claim runs for milliseconds); test/integration/scheduled.test.ts covers the claims',
  'delete /scheduled/{id} 409': 'it is being sent at that instant (a claim runs for milliseconds)',
  'post /scheduled/{id}/send 409': 'it is being sent at that instant (a claim runs for milliseconds)',
  'post /scheduled/{id}/send 429': "this file's server has no send limits; test/integration/send-limits.test.ts covers the budget the send takes",
  'get /search 503':
    'only a runtime without node:sqlite answers it (search is off there); the tests run on one that has it, and no request can take it away'
}

/**
 * 503 of every operation but /health: the store is out of reach (a database
 * restarting). This file's store never is; test/reliability/postgres-outage.test.ts
 * stops PostgreSQL under the server and checks those answers.
 */
const STORE_AWAY = 503

/** Failed sign-ins per address and username, and failed joins per address (the same option). */
const LOGIN_LIMIT = 8
/** A JSON body in a charset the server refuses: 415. */
const LATIN1 = { 'content-type': 'application/json; charset=latin1' }

let srv: TestServer
let doc: OpenApiDoc
const METRICS_TOKEN = 'openapi-metrics-token-0123456789'

const operations = (): [string, Operation][] =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]): [string, Operation] => [`${method} ${path}`, op]))

/** The documented operation a concrete call matched: literal paths win over templates, like the router. */
function operationOf(method: string, path: string): string | undefined {
  const templates = Object.keys(doc.paths)
    .filter((t) => doc.paths[t]?.[method])
    .filter((t) => new RegExp('^' + t.replace(/\{[^}]+\}/g, '[^/]+') + '$').test(path))
    .sort((a, b) => a.split('{').length - b.split('{').length)
  return templates[0] === undefined ? undefined : `${method} ${templates[0]}`
}

function expectStatus(res: ApiResponse, status: number): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
}

beforeAll(async () => {
  srv = await startServer({ loginLimit: { windowMs: 60_000, max: LOGIN_LIMIT }, metricsToken: METRICS_TOKEN })
  const res = await api<OpenApiDoc>(srv.url, 'GET', '/openapi.json', { checkContract: false })
  expect(res.status).toBe(200)
  doc = res.body
})
afterAll(() => srv.destroy())

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 JSON served at /api/v1/openapi.json', async () => {
    const res = await fetch(`${srv.url}/api/v1/openapi.json`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/)
    expect(doc.info.title).toBeTruthy()
    const health = await api(srv.url, 'GET', '/health')
    expect(doc.info.version).toBe(health.body.version)
    expect(doc.servers).toEqual([{ url: '/api/v1' }])
  })

  it('lists every route of the API, and nothing else', () => {
    expect(operations().map(([key]) => key).sort()).toEqual([...ROUTES].sort())
  })

  it('gives every operation a unique id, a summary and a documented success status', () => {
    const ids = operations().map(([, op]) => op.operationId)
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    for (const [key, op] of operations()) {
      expect(op.summary, key).toBeTruthy()
      const success = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s))
      expect(success.length, `${key} documents no success status`).toBeGreaterThan(0)
      for (const status of success) {
        const response = op.responses[status]!
        expect(response.description, `${key} ${status}`).toBeTruthy()
        const bytes = BYTES_RESPONSE[`${key} ${status}`]
        if (status === '204' || key.startsWith('head ')) expect(response.content, `${key} ${status} has no body`).toBeUndefined()
        else if (bytes) expect(Object.keys(response.content ?? {}), `${key} ${status} is bytes`).toEqual([bytes])
        else expect(response.content?.['application/json']?.schema, `${key} ${status} has a schema`).toBeDefined()
      }
    }
  })

  it('makes every error response reference the ErrorResponse schema', () => {
    const schema = doc.components.schemas['ErrorResponse']
    expect(schema).toBeDefined()
    expect(schema).toMatchObject({ type: 'object', required: ['error'] })
    const error = (schema!['properties'] as Record<string, Record<string, unknown>>)['error']!
    expect(error).toMatchObject({ type: 'object', required: ['code', 'message'] })
    const props = error['properties'] as Record<string, Record<string, unknown>>
    expect([...(props['code']!['enum'] as string[])].sort()).toEqual([...ERROR_CODES].sort())
    expect(props['message']).toMatchObject({ type: 'string' })

    for (const [key, op] of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) < 400) continue
        expect(response.description, `${key} ${status}`).toBeTruthy()
        expect(response.content, `${key} ${status}`).toEqual({
          'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } }
        })
      }
    }
  })

  it('documents authentication, parameters, bodies and their error statuses consistently', () => {
    const ajv = new Ajv2020({ strict: false })
    expect(ROUTES).toEqual(expect.arrayContaining(NO_BODY))
    expect(doc.components.securitySchemes?.['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' })
    for (const [key, op] of operations()) {
      const statuses = Object.keys(op.responses)
      const path = key.split(' ')[1]!
      if (op.security) {
        // The metrics' reader holds the operator's metrics token, not an access token.
        expect(op.security, key).toEqual([key === 'get /metrics' ? { metricsToken: [] } : { bearer: [] }])
        expect(statuses, `${key} needs a token: 401`).toContain('401')
      }
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)) {
        const numeric = NUMERIC_PATH_PARAMS[name]
        expect(op.parameters, `${key} path parameter ${name}`).toContainEqual(
          expect.objectContaining({
            name,
            in: 'path',
            required: true,
            schema: numeric ? expect.objectContaining({ type: 'string', pattern: expect.any(String) }) : expect.objectContaining({ format: 'uuid' })
          })
        )
        if (!numeric) continue
        const validate = ajv.compile(op.parameters!.find((p) => p.name === name && p.in === 'path')!.schema as object)
        for (const value of numeric.accepts) expect(validate(value), `${key} ${name}=${JSON.stringify(value)} is accepted`).toBe(true)
        for (const value of numeric.refuses) expect(validate(value), `${key} ${name}=${JSON.stringify(value)} is refused`).toBe(false)
      }
      if ((op.parameters ?? []).length > 0) expect(statuses, `${key} has parameters: 400`).toContain('400')
      if (NO_BODY.includes(key)) {
        expect(op.requestBody, `${key} takes no body`).toBeUndefined()
      } else if (BYTES_BODY[key]) {
        expect(op.requestBody, `${key} takes bytes`).toMatchObject({ required: !OPTIONAL_BODY.includes(key), content: { [BYTES_BODY[key]]: { schema: expect.any(Object) } } })
      } else if (key.startsWith('post ') || key.startsWith('patch ')) {
        expect(op.requestBody, `${key} takes a JSON body`).toMatchObject({ required: true, content: { 'application/json': { schema: expect.any(Object) } } })
      }
      if (op.requestBody) {
        expect(statuses, `${key} has a body: 400`).toContain('400')
        expect(statuses, `${key} has a body: 413`).toContain('413')
        expect(statuses, `${key} has a body: 415`).toContain('415')
      }
    }
    // Routes that need no token.
    const open = operations().filter(([, op]) => !op.security).map(([key]) => key).sort()
    expect(open).toEqual([
      'get /health',
      'get /join/{code}',
      'get /server',
      'options /uploads',
      'post /auth/forgot-password',
      'post /auth/login',
      'post /auth/logout',
      'post /auth/refresh',
      'post /auth/register',
      'post /auth/reset-password',
      // Issue 21: the token in a webhook's URL is its key.
      'post /hooks/{token}'
    ])
    // Admin routes say so, and answer 403 to everyone else.
    for (const [key, op] of operations().filter(([key]) => key.includes(' /admin/'))) {
      expect(op.summary, key).toMatch(/\(server admins\)$/)
      expect(Object.keys(op.responses), key).toContain('403')
    }
  })

  it('resolves every $ref to a component', () => {
    const refs = new Set<string>()
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk)
      else if (node !== null && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.add(v)
          else walk(v)
        }
      }
    }
    walk(doc)
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//)
      expect(doc.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined()
    }
  })
})

describe('every documented operation, exercised', () => {
  let alice: TestUser
  let bob: TestUser
  let carol: TestUser
  let conv = ''
  let group = ''
  let carolOnly = ''
  let dave: TestUser
  const oversized = JSON.stringify({ padding: 'x'.repeat(300 * 1024) })
  /** A 1×1 PNG as a data: URL. */
  const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
  const CODE = new RegExp(`^[${JOIN_CODE_ALPHABET}]{10}$`)
  /** A join code as a person might type it. */
  const loosely = (code: string): string => ` ${code.slice(0, 5).toLowerCase()}-${code.slice(5).toLowerCase()} `
  const memberIds = (res: ApiResponse): string[] => res.body.conversation.members.map((m: { user: { id: string } }) => m.user.id)

  it('GET /health', async () => {
    const res = await api(srv.url, 'GET', '/health')
    expectStatus(res, 200)
    expect(res.body.ok).toBe(true)
  })

  it('GET /metrics: from the root, with the metrics token; 404 on a server without one', async () => {
    const res = await api(srv.url, 'GET', '/metrics', { root: true, headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    expectStatus(res, 200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    expectStatus(await api(srv.url, 'GET', '/metrics', { root: true, token: 'not-the-metrics-token-at-all' }), 401)
    const off = await startServer()
    try {
      expectStatus(await api(off.url, 'GET', '/metrics', { root: true, headers: { authorization: `Bearer ${METRICS_TOKEN}` } }), 404)
    } finally {
      await off.destroy()
    }
  })

  it('POST /auth/register', async () => {
    const name = `openapi${process.pid}`
    const created = await api(srv.url, 'POST', '/auth/register', { body: { username: name, password: 'long enough pw', displayName: 'Alice' } })
    expectStatus(created, 201)
    alice = { ...created.body, password: 'long enough pw' }
    bob = await register(srv.url)
    carol = await register(srv.url)
    expectStatus(await api(srv.url, 'POST', '/auth/register', { body: { username: 'ab', password: 'long enough pw' } }), 400)
    expectStatus(await api(srv.url, 'POST', '/auth/register', { body: { username: name.toUpperCase(), password: 'long enough pw' } }), 409)
    expectStatus(await api(srv.url, 'POST', '/auth/register', { raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', '/auth/register', { raw: '{}', headers: LATIN1 }), 415)
  })

  it('POST /auth/login', async () => {
    expectStatus(await api(srv.url, 'POST', '/auth/login', { body: { username: alice.user.username, password: alice.password } }), 200)
    expectStatus(await api(srv.url, 'POST', '/auth/login', { body: { username: alice.user.username } }), 400)
    expectStatus(await api(srv.url, 'POST', '/auth/login', { raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', '/auth/login', { raw: '{}', headers: LATIN1 }), 415)
    const target = { username: bob.user.username, password: 'not the password' }
    for (let i = 0; i < LOGIN_LIMIT; i++) expectStatus(await api(srv.url, 'POST', '/auth/login', { body: target }), 401)
    const limited = await api(srv.url, 'POST', '/auth/login', { body: { username: bob.user.username, password: bob.password } })
    expectStatus(limited, 429)
    expect(limited.body.error.code).toBe('rate_limited')
  })

  it('POST /auth/refresh', async () => {
    const res = await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: alice.refreshToken } })
    expectStatus(res, 200)
    alice = { ...alice, accessToken: res.body.accessToken, refreshToken: res.body.refreshToken }
    expectStatus(await api(srv.url, 'POST', '/auth/refresh', { body: {} }), 400)
    expectStatus(await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: 'no-such-token' } }), 401)
    expectStatus(await api(srv.url, 'POST', '/auth/refresh', { raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', '/auth/refresh', { raw: '{}', headers: LATIN1 }), 415)
  })

  it('POST /auth/logout', async () => {
    const session = await api(srv.url, 'POST', '/auth/login', { body: { username: carol.user.username, password: carol.password } })
    expectStatus(session, 200)
    expectStatus(await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken: session.body.refreshToken } }), 204)
    expectStatus(await api(srv.url, 'POST', '/auth/logout', { body: { refreshToken: 42 } }), 400)
    expectStatus(await api(srv.url, 'POST', '/auth/logout', { raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', '/auth/logout', { raw: '{}', headers: LATIN1 }), 415)
  })

  it('GET /me', async () => {
    expectStatus(await api(srv.url, 'GET', '/me', { token: alice.accessToken }), 200)
    expectStatus(await api(srv.url, 'GET', '/me'), 401)
  })

  it('PATCH /me', async () => {
    const res = await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: { statusText: 'documented' } })
    expectStatus(res, 200)
    expect(res.body.user.statusText).toBe('documented')
    expectStatus(await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, body: {} }), 400)
    expectStatus(await api(srv.url, 'PATCH', '/me', { body: { statusText: 'x' } }), 401)
    expectStatus(await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'PATCH', '/me', { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('GET /users', async () => {
    const res = await api(srv.url, 'GET', `/users?q=${alice.user.username}&limit=5`, { token: alice.accessToken })
    expectStatus(res, 200)
    expect(res.body.users.map((u: { id: string }) => u.id)).toContain(alice.user.id)
    expectStatus(await api(srv.url, 'GET', '/users?limit=0', { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', '/users'), 401)
  })

  it('POST /conversations', async () => {
    const direct = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })
    expectStatus(direct, 201)
    conv = direct.body.conversation.id
    const again = await api(srv.url, 'POST', '/conversations', { token: bob.accessToken, body: { kind: 'direct', userId: alice.user.id } })
    expectStatus(again, 200)
    expect(again.body.conversation.id).toBe(conv)
    const team = await api(srv.url, 'POST', '/conversations', {
      token: alice.accessToken,
      body: { kind: 'group', title: 'Team', memberIds: [bob.user.id, carol.user.id] }
    })
    expectStatus(team, 201)
    group = team.body.conversation.id
    const solo = await api(srv.url, 'POST', '/conversations', { token: carol.accessToken, body: { kind: 'group', title: 'Carol', memberIds: [] } })
    expectStatus(solo, 201)
    carolOnly = solo.body.conversation.id
    expectStatus(await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'channel' } }), 400)
    expectStatus(await api(srv.url, 'POST', '/conversations', { body: { kind: 'direct', userId: bob.user.id } }), 401)
    expectStatus(await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: randomUUID() } }), 404)
    expectStatus(await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('GET /conversations', async () => {
    const res = await api(srv.url, 'GET', '/conversations', { token: alice.accessToken })
    expectStatus(res, 200)
    expect(res.body.conversations.map((c: { id: string }) => c.id).sort()).toEqual([conv, group].sort())
    expectStatus(await api(srv.url, 'GET', '/conversations'), 401)
  })

  it('GET /conversations/{id}', async () => {
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}`, { token: carol.accessToken }), 200)
    expectStatus(await api(srv.url, 'GET', '/conversations/not-a-uuid', { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}`), 401)
    expectStatus(await api(srv.url, 'GET', `/conversations/${carolOnly}`, { token: alice.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/conversations/${randomUUID()}`, { token: alice.accessToken }), 404)
  })

  it('POST /conversations/{id}/messages', async () => {
    const sent = await api(srv.url, 'POST', `/conversations/${conv}/messages`, { token: alice.accessToken, body: { clientId: 'doc-1', text: 'hello' } })
    expectStatus(sent, 201)
    const repeat = await api(srv.url, 'POST', `/conversations/${conv}/messages`, { token: alice.accessToken, body: { clientId: 'doc-1', text: 'hello' } })
    expectStatus(repeat, 200)
    expect(repeat.body.message).toEqual(sent.body.message)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/messages`, { token: alice.accessToken, body: { clientId: 'doc-2', text: ' ' } }), 400)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/messages`, { body: { clientId: 'doc-3', text: 'hi' } }), 401)
    expectStatus(await api(srv.url, 'POST', `/conversations/${carolOnly}/messages`, { token: alice.accessToken, body: { clientId: 'doc-4', text: 'hi' } }), 403)
    expectStatus(await api(srv.url, 'POST', `/conversations/${randomUUID()}/messages`, { token: alice.accessToken, body: { clientId: 'doc-5', text: 'hi' } }), 404)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/messages`, { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/messages`, { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('GET /conversations/{id}/messages', async () => {
    const page = await api(srv.url, 'GET', `/conversations/${conv}/messages?limit=10`, { token: bob.accessToken })
    expectStatus(page, 200)
    expect(page.body.messages.map((m: { clientId: string }) => m.clientId)).toEqual(['doc-1'])
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}/messages?after=0`, { token: bob.accessToken }), 200)
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}/messages?before=2&after=0`, { token: bob.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}/messages`), 401)
    expectStatus(await api(srv.url, 'GET', `/conversations/${carolOnly}/messages`, { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/conversations/${randomUUID()}/messages`, { token: bob.accessToken }), 404)
  })

  it('POST /conversations/{id}/read', async () => {
    const read = await api(srv.url, 'POST', `/conversations/${conv}/read`, { token: bob.accessToken, body: { seq: 1 } })
    expectStatus(read, 200)
    expect(read.body).toEqual({ readSeq: 1, deliveredSeq: 1 })
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/read`, { token: bob.accessToken, body: { seq: -1 } }), 400)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/read`, { body: { seq: 1 } }), 401)
    expectStatus(await api(srv.url, 'POST', `/conversations/${carolOnly}/read`, { token: bob.accessToken, body: { seq: 1 } }), 403)
    expectStatus(await api(srv.url, 'POST', `/conversations/${randomUUID()}/read`, { token: bob.accessToken, body: { seq: 1 } }), 404)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/read`, { token: bob.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/read`, { token: bob.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  // Issue 20 (i20-menu): mark unread from here, and a forward's 409 on the send route.
  it('POST /conversations/{id}/unread, and a forward of a deleted message', async () => {
    const other = await register(srv.url)
    const chat = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: other.user.id } })).body.conversation.id as string
    const sent = await api(srv.url, 'POST', `/conversations/${chat}/messages`, { token: other.accessToken, body: { clientId: 'un-1', text: 'read me twice' } })
    const seq = sent.body.message.seq as number
    await api(srv.url, 'POST', `/conversations/${chat}/read`, { token: alice.accessToken, body: { seq } })
    const unread = await api(srv.url, 'POST', `/conversations/${chat}/unread`, { token: alice.accessToken, body: { seq } })
    expectStatus(unread, 200)
    expect(unread.body.conversation).toMatchObject({ id: chat, readSeq: seq - 1, unreadCount: 1 })
    expectStatus(await api(srv.url, 'POST', `/conversations/${chat}/unread`, { token: alice.accessToken, body: { seq: 0 } }), 400)
    expectStatus(await api(srv.url, 'POST', `/conversations/${chat}/unread`, { body: { seq } }), 401)
    expectStatus(await api(srv.url, 'POST', `/conversations/${chat}/unread`, { token: bob.accessToken, body: { seq } }), 403)
    expectStatus(await api(srv.url, 'POST', `/conversations/${randomUUID()}/unread`, { token: alice.accessToken, body: { seq } }), 404)
    expectStatus(await api(srv.url, 'POST', `/conversations/${chat}/unread`, { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', `/conversations/${chat}/unread`, { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)

    await api(srv.url, 'DELETE', `/conversations/${chat}/messages/${seq}`, { token: other.accessToken })
    const forward = await api(srv.url, 'POST', `/conversations/${chat}/messages`, {
      token: alice.accessToken,
      body: { clientId: 'fw-1', text: '', forward: { conversationId: chat, seq } }
    })
    expectStatus(forward, 409)
  })

  it('PATCH /conversations/{id}', async () => {
    dave = await register(srv.url)
    const res = await api(srv.url, 'PATCH', `/conversations/${group}`, {
      token: alice.accessToken,
      body: { title: 'Team two', description: 'Who we are\nand what we do', avatar: PNG }
    })
    expectStatus(res, 200)
    expect(res.body.conversation).toMatchObject({ id: group, title: 'Team two', description: 'Who we are\nand what we do', avatar: PNG })
    const history = await api(srv.url, 'GET', `/conversations/${group}/messages`, { token: bob.accessToken })
    expect(history.body.messages.map((m: { system?: { type: string } }) => m.system?.type)).toEqual([
      'group_created',
      'group_renamed',
      'description_changed',
      'avatar_changed'
    ])
    expectStatus(await api(srv.url, 'PATCH', `/conversations/${group}`, { token: alice.accessToken, body: {} }), 400)
    expectStatus(await api(srv.url, 'PATCH', `/conversations/${group}`, { body: { title: 'x' } }), 401)
    expectStatus(await api(srv.url, 'PATCH', `/conversations/${group}`, { token: bob.accessToken, body: { title: 'Mine now' } }), 403)
    expectStatus(await api(srv.url, 'PATCH', `/conversations/${randomUUID()}`, { token: alice.accessToken, body: { title: 'x' } }), 404)
    expectStatus(await api(srv.url, 'PATCH', `/conversations/${conv}`, { token: alice.accessToken, body: { title: 'x' } }), 409)
    expectStatus(await api(srv.url, 'PATCH', `/conversations/${group}`, { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'PATCH', `/conversations/${group}`, { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('POST /conversations/{id}/members', async () => {
    const res = await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, body: { userIds: [dave.user.id, bob.user.id] } })
    expectStatus(res, 200)
    expect(memberIds(res).sort()).toEqual([alice.user.id, bob.user.id, carol.user.id, dave.user.id].sort())
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, body: { userIds: [] } }), 400)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/members`, { body: { userIds: [dave.user.id] } }), 401)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/members`, { token: bob.accessToken, body: { userIds: [dave.user.id] } }), 403)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, body: { userIds: [randomUUID()] } }), 404)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/members`, { token: alice.accessToken, body: { userIds: [dave.user.id] } }), 409)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('PATCH /conversations/{id}/members/{userId}', async () => {
    const at = (userId: string, id = group): string => `/conversations/${id}/members/${userId}`
    const promoted = await api(srv.url, 'PATCH', at(bob.user.id), { token: alice.accessToken, body: { role: 'admin' } })
    expectStatus(promoted, 200)
    const roleOf = (res: ApiResponse, id: string): string =>
      res.body.conversation.members.find((m: { user: { id: string } }) => m.user.id === id).role
    expect(roleOf(promoted, bob.user.id)).toBe('admin')
    const demoted = await api(srv.url, 'PATCH', at(bob.user.id), { token: alice.accessToken, body: { role: 'member' } })
    expectStatus(demoted, 200)
    expect(roleOf(demoted, bob.user.id)).toBe('member')
    expectStatus(await api(srv.url, 'PATCH', at(bob.user.id), { token: alice.accessToken, body: { role: 'owner' } }), 400)
    expectStatus(await api(srv.url, 'PATCH', at('bob'), { token: alice.accessToken, body: { role: 'admin' } }), 400)
    expectStatus(await api(srv.url, 'PATCH', at(bob.user.id), { body: { role: 'admin' } }), 401)
    expectStatus(await api(srv.url, 'PATCH', at(carol.user.id), { token: carol.accessToken, body: { role: 'admin' } }), 403)
    expectStatus(await api(srv.url, 'PATCH', at(randomUUID()), { token: alice.accessToken, body: { role: 'admin' } }), 404)
    const lastAdmin = await api(srv.url, 'PATCH', at(alice.user.id), { token: alice.accessToken, body: { role: 'member' } })
    expectStatus(lastAdmin, 409)
    expect(lastAdmin.body.error.code).toBe('conflict')
    expectStatus(await api(srv.url, 'PATCH', at(bob.user.id, conv), { token: alice.accessToken, body: { role: 'admin' } }), 409)
    expectStatus(await api(srv.url, 'PATCH', at(bob.user.id), { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'PATCH', at(bob.user.id), { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('DELETE /conversations/{id}/members/{userId}', async () => {
    const at = (userId: string, id = group): string => `/conversations/${id}/members/${userId}`
    // An admin removes dave; then dave, added again, leaves by himself.
    expectStatus(await api(srv.url, 'DELETE', at(dave.user.id), { token: alice.accessToken }), 204)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, body: { userIds: [dave.user.id] } }), 200)
    expectStatus(await api(srv.url, 'DELETE', at(dave.user.id), { token: dave.accessToken }), 204)
    const after = await api(srv.url, 'GET', `/conversations/${group}`, { token: alice.accessToken })
    expect(memberIds(after)).not.toContain(dave.user.id)
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}`, { token: dave.accessToken }), 403)
    expectStatus(await api(srv.url, 'DELETE', at('dave'), { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', at(carol.user.id)), 401)
    expectStatus(await api(srv.url, 'DELETE', at(carol.user.id), { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'DELETE', at(dave.user.id), { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', at(alice.user.id, conv), { token: alice.accessToken }), 409)
  })

  it('GET /conversations/{id}/join-code', async () => {
    const res = await api(srv.url, 'GET', `/conversations/${group}/join-code`, { token: alice.accessToken })
    expectStatus(res, 200)
    expect(res.body).toEqual({ joinCode: null })
    expectStatus(await api(srv.url, 'GET', '/conversations/not-a-uuid/join-code', { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}/join-code`), 401)
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}/join-code`, { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/conversations/${randomUUID()}/join-code`, { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}/join-code`, { token: alice.accessToken }), 409)
  })

  it('POST /conversations/{id}/join-code', async () => {
    const created = await api(srv.url, 'POST', `/conversations/${group}/join-code`, { token: alice.accessToken, body: { expiresInSeconds: 3600, maxUses: 5 } })
    expectStatus(created, 201)
    const code = created.body.joinCode
    expect(code).toMatchObject({ code: expect.stringMatching(CODE), createdBy: alice.user.id, maxUses: 5, uses: 0 })
    expect(Date.parse(code.expiresAt) - Date.parse(code.createdAt)).toBe(3600 * 1000)
    expect((await api(srv.url, 'GET', `/conversations/${group}/join-code`, { token: alice.accessToken })).body).toEqual({ joinCode: code })
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/join-code`, { token: alice.accessToken, body: { expiresInSeconds: 59 } }), 400)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/join-code`, { body: {} }), 401)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/join-code`, { token: bob.accessToken, body: {} }), 403)
    expectStatus(await api(srv.url, 'POST', `/conversations/${randomUUID()}/join-code`, { token: alice.accessToken, body: {} }), 404)
    expectStatus(await api(srv.url, 'POST', `/conversations/${conv}/join-code`, { token: alice.accessToken, body: {} }), 409)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/join-code`, { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/join-code`, { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
    // Failed attempts above did not replace the code.
    expect((await api(srv.url, 'GET', `/conversations/${group}/join-code`, { token: alice.accessToken })).body).toEqual({ joinCode: code })
  })

  // Every failed join counts against the address (LOGIN_LIMIT): this test and the ones up to
  // the rate-limit test stay below it.
  it('POST /join', async () => {
    const { joinCode } = (await api(srv.url, 'GET', `/conversations/${group}/join-code`, { token: alice.accessToken })).body
    const joined = await api(srv.url, 'POST', '/join', { token: dave.accessToken, body: { code: loosely(joinCode.code) } })
    expectStatus(joined, 201)
    expect(joined.body.conversation.id).toBe(group)
    expect(memberIds(joined)).toContain(dave.user.id)
    const again = await api(srv.url, 'POST', '/join', { token: dave.accessToken, body: { code: joinCode.code } })
    expectStatus(again, 200)
    expect(again.body.conversation.id).toBe(group)
    expect((await api(srv.url, 'GET', `/conversations/${group}/join-code`, { token: alice.accessToken })).body.joinCode.uses).toBe(1)
    // A one-use code of carol's group: dave uses it up, then alice is too late.
    const once = await api(srv.url, 'POST', `/conversations/${carolOnly}/join-code`, { token: carol.accessToken, body: { maxUses: 1 } })
    expectStatus(once, 201)
    expectStatus(await api(srv.url, 'POST', '/join', { token: dave.accessToken, body: { code: once.body.joinCode.code } }), 201)
    const late = await api(srv.url, 'POST', '/join', { token: alice.accessToken, body: { code: once.body.joinCode.code } })
    expectStatus(late, 410)
    expect(late.body.error.code).toBe('join_code_expired')
    expectStatus(await api(srv.url, 'POST', '/join', { token: alice.accessToken, body: { code: 'ABCDEFGHJK' } }), 404)
    expectStatus(await api(srv.url, 'POST', '/join', { token: alice.accessToken, body: { code: 'short' } }), 400)
    expectStatus(await api(srv.url, 'POST', '/join', { body: { code: joinCode.code } }), 401)
    expectStatus(await api(srv.url, 'POST', '/join', { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', '/join', { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('DELETE /conversations/{id}/join-code', async () => {
    const { joinCode } = (await api(srv.url, 'GET', `/conversations/${group}/join-code`, { token: alice.accessToken })).body
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${group}/join-code`, { token: alice.accessToken }), 204)
    expect((await api(srv.url, 'GET', `/conversations/${group}/join-code`, { token: alice.accessToken })).body).toEqual({ joinCode: null })
    expectStatus(await api(srv.url, 'POST', '/join', { token: bob.accessToken, body: { code: joinCode.code } }), 404)
    // Revoking when there is no code is fine too.
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${group}/join-code`, { token: alice.accessToken }), 204)
    expectStatus(await api(srv.url, 'DELETE', '/conversations/12345/join-code', { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${group}/join-code`), 401)
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${group}/join-code`, { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${randomUUID()}/join-code`, { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${conv}/join-code`, { token: alice.accessToken }), 409)
  })

  it('DELETE /conversations/{id}', async () => {
    const temp = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Temporary', memberIds: [bob.user.id] } })
    expectStatus(temp, 201)
    const id = temp.body.conversation.id as string
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${id}`, { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${id}`), 401)
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${id}`, { token: alice.accessToken }), 204)
    expectStatus(await api(srv.url, 'GET', `/conversations/${id}`, { token: bob.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${id}`, { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', '/conversations/not-a-uuid', { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${conv}`, { token: alice.accessToken }), 409)
  })

  // Public rooms, receipts and clearing history: after GET /conversations, which lists alice's conversations.
  let room = ''

  it('POST /rooms', async () => {
    const created = await api(srv.url, 'POST', '/rooms', { token: alice.accessToken, body: { name: 'Town Square', description: 'everyone welcome' } })
    expectStatus(created, 201)
    expect(created.body.conversation).toMatchObject({ kind: 'room', title: 'Town Square', description: 'everyone welcome' })
    room = created.body.conversation.id
    // The same name in any case, with spaces around, is the same room.
    const joined = await api(srv.url, 'POST', '/rooms', { token: bob.accessToken, body: { name: ' town SQUARE ' } })
    expectStatus(joined, 200)
    expect(joined.body.conversation.id).toBe(room)
    expect(memberIds(joined).sort()).toEqual([alice.user.id, bob.user.id].sort())
    const again = await api(srv.url, 'POST', '/rooms', { token: bob.accessToken, body: { name: 'Town Square' } })
    expectStatus(again, 200)
    expect(memberIds(again)).toHaveLength(2)
    expectStatus(await api(srv.url, 'POST', '/rooms', { token: alice.accessToken, body: { name: 'Bad\u0007Name' } }), 400)
    expectStatus(await api(srv.url, 'POST', '/rooms', { token: alice.accessToken, body: { name: 'x'.repeat(LIMITS.roomNameMax + 1) } }), 400)
    expectStatus(await api(srv.url, 'POST', '/rooms', { body: { name: 'Town Square' } }), 401)
    expectStatus(await api(srv.url, 'POST', '/rooms', { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', '/rooms', { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('GET /rooms', async () => {
    const res = await api(srv.url, 'GET', '/rooms?q=SQUARE&limit=5', { token: carol.accessToken })
    expectStatus(res, 200)
    expect(res.body.rooms).toEqual([expect.objectContaining({ id: room, name: 'Town Square', memberCount: 2, joined: false })])
    expectStatus(await api(srv.url, 'GET', `/rooms?limit=${LIMITS.searchResultsMax + 1}`, { token: carol.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', '/rooms'), 401)
  })

  it('POST /rooms/{id}/join', async () => {
    const joined = await api(srv.url, 'POST', `/rooms/${room}/join`, { token: carol.accessToken })
    expectStatus(joined, 201)
    expect(memberIds(joined)).toContain(carol.user.id)
    expectStatus(await api(srv.url, 'POST', `/rooms/${room}/join`, { token: carol.accessToken }), 200)
    expectStatus(await api(srv.url, 'POST', '/rooms/town-square/join', { token: carol.accessToken }), 400)
    expectStatus(await api(srv.url, 'POST', `/rooms/${room}/join`), 401)
    expectStatus(await api(srv.url, 'POST', `/rooms/${randomUUID()}/join`, { token: carol.accessToken }), 404)
    // Only rooms are joined this way: a group or a direct chat is not found, whether one is in it or not.
    expectStatus(await api(srv.url, 'POST', `/rooms/${carolOnly}/join`, { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'POST', `/rooms/${group}/join`, { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'POST', `/rooms/${conv}/join`, { token: carol.accessToken }), 404)
  })

  it('PATCH /conversations/{id} and join codes of a room: names stay unique in any case; rooms take no join code', async () => {
    expectStatus(await api(srv.url, 'POST', '/rooms', { token: carol.accessToken, body: { name: 'Back Room' } }), 201)
    const taken = await api(srv.url, 'PATCH', `/conversations/${room}`, { token: alice.accessToken, body: { title: ' BACK room ' } })
    expectStatus(taken, 409)
    expect(taken.body.error.code).toBe('conflict')
    const recased = await api(srv.url, 'PATCH', `/conversations/${room}`, { token: alice.accessToken, body: { title: 'TOWN SQUARE' } })
    expectStatus(recased, 200)
    expect(recased.body.conversation.title).toBe('TOWN SQUARE')
    const code = await api(srv.url, 'POST', `/conversations/${room}/join-code`, { token: alice.accessToken, body: {} })
    expectStatus(code, 409)
    expect(code.body.error.code).toBe('conflict')
  })

  it('GET /conversations/{id}/messages/{seq}/receipts', async () => {
    // In conv, seq 1 is alice's doc-1, which bob read; the sender is left out.
    const res = await api(srv.url, 'GET', `/conversations/${conv}/messages/1/receipts`, { token: alice.accessToken })
    expectStatus(res, 200)
    expect(res.body).toEqual({ readBy: { [bob.user.id]: expect.any(String) }, deliveredTo: { [bob.user.id]: expect.any(String) } })
    expect((await api(srv.url, 'GET', `/conversations/${conv}/messages/1/receipts`, { token: bob.accessToken })).body).toEqual(res.body)
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}/messages/0/receipts`, { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}/messages/${randomUUID()}/receipts`, { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}/messages/1/receipts`), 401)
    expectStatus(await api(srv.url, 'GET', `/conversations/${carolOnly}/messages/1/receipts`, { token: alice.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/conversations/${conv}/messages/99/receipts`, { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'GET', `/conversations/${randomUUID()}/messages/1/receipts`, { token: alice.accessToken }), 404)
  })

  it('POST /conversations/{id}/clear', async () => {
    // Alice clears the room's history for herself; bob keeps his.
    const cleared = await api(srv.url, 'POST', `/conversations/${room}/clear`, { token: alice.accessToken })
    expectStatus(cleared, 200)
    const view = (await api(srv.url, 'GET', `/conversations/${room}`, { token: alice.accessToken })).body.conversation
    expect(cleared.body).toEqual({ clearedSeq: view.lastSeq })
    expect(view).toMatchObject({ clearedSeq: view.lastSeq, lastMessage: null, unreadCount: 0 })
    expect((await api(srv.url, 'GET', `/conversations/${room}/messages`, { token: alice.accessToken })).body.messages).toEqual([])
    expect((await api(srv.url, 'GET', `/conversations/${room}/messages`, { token: bob.accessToken })).body.messages).toHaveLength(view.lastSeq)
    // Nothing new since: clearing again changes nothing.
    const again = await api(srv.url, 'POST', `/conversations/${room}/clear`, { token: alice.accessToken })
    expectStatus(again, 200)
    expect(again.body).toEqual(cleared.body)
    expectStatus(await api(srv.url, 'POST', '/conversations/not-a-uuid/clear', { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'POST', `/conversations/${room}/clear`), 401)
    expectStatus(await api(srv.url, 'POST', `/conversations/${carolOnly}/clear`, { token: alice.accessToken }), 403)
    expectStatus(await api(srv.url, 'POST', `/conversations/${randomUUID()}/clear`, { token: alice.accessToken }), 404)
  })

  it('POST /conversations/{id}/clear: read still implies delivered afterwards', async () => {
    // Bob writes to carol; carol has received and read only the first message when she clears.
    const chat = await api(srv.url, 'POST', '/conversations', { token: bob.accessToken, body: { kind: 'direct', userId: carol.user.id } })
    expectStatus(chat, 201)
    const id = chat.body.conversation.id as string
    const say = (clientId: string): Promise<ApiResponse> =>
      api(srv.url, 'POST', `/conversations/${id}/messages`, { token: bob.accessToken, body: { clientId, text: clientId } })
    expectStatus(await say('first'), 201)
    expect((await api(srv.url, 'POST', `/conversations/${id}/read`, { token: carol.accessToken, body: { seq: 1 } })).body).toEqual({ readSeq: 1, deliveredSeq: 1 })
    expectStatus(await say('second'), 201)
    expectStatus(await say('third'), 201)
    const cleared = await api(srv.url, 'POST', `/conversations/${id}/clear`, { token: carol.accessToken })
    expectStatus(cleared, 200)
    expect(cleared.body).toEqual({ clearedSeq: 3 })
    // Clearing counts as reading up to clearedSeq, so it must count as receiving it too.
    const cursors = await api(srv.url, 'POST', `/conversations/${id}/read`, { token: carol.accessToken, body: { seq: 0 } })
    expect(cursors.body).toEqual({ readSeq: 3, deliveredSeq: 3 })
    const receipts = await api(srv.url, 'GET', `/conversations/${id}/messages/3/receipts`, { token: bob.accessToken })
    expect(Object.keys(receipts.body.deliveredTo)).toEqual(Object.keys(receipts.body.readBy))
  })

  // Replies, mentions, edits, deletions, reactions, catch-up and search, in the group (alice runs it; bob, carol and
  // dave are members).
  let questionSeq = 0
  let answerSeq = 0
  const msg = (seq: number | string, rest = '', id = group): string => `/conversations/${id}/messages/${seq}${rest}`

  it('POST /conversations/{id}/messages: replies and mentions', async () => {
    const stranger = await register(srv.url)
    const asked = await api(srv.url, 'POST', `/conversations/${group}/messages`, { token: alice.accessToken, body: { clientId: 'q-1', text: 'Who has the keys?' } })
    expectStatus(asked, 201)
    questionSeq = asked.body.message.seq
    const replied = await api(srv.url, 'POST', `/conversations/${group}/messages`, {
      token: bob.accessToken,
      body: { clientId: 'a-1', text: 'I do, ask me', replyTo: questionSeq, mentions: [alice.user.id, stranger.user.id, randomUUID(), alice.user.id] }
    })
    expectStatus(replied, 201)
    answerSeq = replied.body.message.seq
    // The reply quotes the question; only members are mentioned, each once.
    expect(replied.body.message).toMatchObject({ replyTo: { seq: questionSeq, senderId: alice.user.id, preview: 'Who has the keys?' }, mentions: [alice.user.id] })
    const missing = await api(srv.url, 'POST', `/conversations/${group}/messages`, { token: bob.accessToken, body: { clientId: 'a-2', text: 'to what?', replyTo: 999 } })
    expectStatus(missing, 400)
    expect(missing.body.error.message).toMatch(/body\.replyTo/)
  })

  it('PATCH /conversations/{id}/messages/{seq}', async () => {
    const edited = await api(srv.url, 'PATCH', msg(questionSeq), { token: alice.accessToken, body: { text: 'Who has the keys to room 4?', mentions: [bob.user.id, randomUUID()] } })
    expectStatus(edited, 200)
    expect(edited.body.message).toMatchObject({ seq: questionSeq, text: 'Who has the keys to room 4?', mentions: [bob.user.id], editedAt: expect.any(String), version: expect.any(Number) })
    // The same again changes nothing.
    const again = await api(srv.url, 'PATCH', msg(questionSeq), { token: alice.accessToken, body: { text: 'Who has the keys to room 4?', mentions: [bob.user.id] } })
    expectStatus(again, 200)
    expect(again.body.message).toEqual(edited.body.message)
    expectStatus(await api(srv.url, 'PATCH', msg(questionSeq), { token: alice.accessToken, body: { text: ' ' } }), 400)
    expectStatus(await api(srv.url, 'PATCH', msg(0), { token: alice.accessToken, body: { text: 'x' } }), 400)
    expectStatus(await api(srv.url, 'PATCH', msg(questionSeq), { body: { text: 'x' } }), 401)
    const others = await api(srv.url, 'PATCH', msg(questionSeq), { token: bob.accessToken, body: { text: 'mine now' } })
    expectStatus(others, 403)
    expect(others.body.error.message).toMatch(/your own/)
    expectStatus(await api(srv.url, 'PATCH', msg(1, '', carolOnly), { token: alice.accessToken, body: { text: 'x' } }), 403)
    expectStatus(await api(srv.url, 'PATCH', msg(999), { token: alice.accessToken, body: { text: 'x' } }), 404)
    expectStatus(await api(srv.url, 'PATCH', msg(1, '', randomUUID()), { token: alice.accessToken, body: { text: 'x' } }), 404)
    // Seq 1 is the group's first system message.
    const system = await api(srv.url, 'PATCH', msg(1), { token: alice.accessToken, body: { text: 'x' } })
    expectStatus(system, 409)
    expect(system.body.error.code).toBe('conflict')
    expectStatus(await api(srv.url, 'PATCH', msg(questionSeq), { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'PATCH', msg(questionSeq), { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('DELETE /conversations/{id}/messages/{seq}/preview', async () => {
    const remove = (user: TestUser | null, seq: number | string, id = group): Promise<ApiResponse> =>
      api(srv.url, 'DELETE', msg(seq, '/preview', id), user ? { token: user.accessToken } : {})
    const removed = await remove(alice, questionSeq)
    expectStatus(removed, 200)
    expect(removed.body.message).toMatchObject({ seq: questionSeq, previewRemoved: true })
    expect(removed.body.message.preview).toBeUndefined()
    expectStatus(await remove(alice, 0), 400)
    expectStatus(await remove(null, questionSeq), 401)
    // Only the sender: a member who is not gets 403, as does a stranger to the conversation.
    expect((await remove(bob, questionSeq)).body.error.message).toMatch(/sender/)
    expectStatus(await remove(alice, 1, carolOnly), 403)
    expectStatus(await remove(alice, 999), 404)
    expectStatus(await remove(alice, 1), 409)
  })

  it('POST /conversations/{id}/messages/{seq}/reactions', async () => {
    const react = (user: TestUser, emoji: unknown, seq = questionSeq): Promise<ApiResponse> =>
      api(srv.url, 'POST', msg(seq, '/reactions'), { token: user.accessToken, body: { emoji } })
    expectStatus(await react(bob, '👍'), 200)
    const two = await react(carol, '👍')
    expectStatus(two, 200)
    expect(two.body.message.reactions).toEqual({ '👍': [bob.user.id, carol.user.id] })
    // A toggle: again takes it back.
    const back = await react(bob, '👍')
    expectStatus(back, 200)
    expect(back.body.message.reactions).toEqual({ '👍': [carol.user.id] })
    expectStatus(await react(bob, 'thumbs up'), 400)
    expectStatus(await api(srv.url, 'POST', msg(questionSeq, '/reactions'), { body: { emoji: '👍' } }), 401)
    expectStatus(await api(srv.url, 'POST', msg(1, '/reactions', carolOnly), { token: alice.accessToken, body: { emoji: '👍' } }), 403)
    expectStatus(await react(bob, '👍', 999), 404)
    expectStatus(await react(bob, '👍', 1), 409)
    // At most 50 different emoji on one message.
    const target = await api(srv.url, 'POST', `/conversations/${group}/messages`, { token: carol.accessToken, body: { clientId: 'r-1', text: 'react to me' } })
    expectStatus(target, 201)
    const faces = Array.from({ length: LIMITS.reactionsPerMessageMax + 1 }, (_, i) => String.fromCodePoint(0x1f600 + i))
    for (const face of faces.slice(0, -1)) expectStatus(await react(alice, face, target.body.message.seq), 200)
    const full = await react(bob, faces.at(-1), target.body.message.seq)
    expectStatus(full, 409)
    expect(full.body.error.message).toMatch(new RegExp(`${LIMITS.reactionsPerMessageMax} different`))
    // One already there may still be added by someone else.
    expectStatus(await react(bob, faces[0], target.body.message.seq), 200)
    expectStatus(await api(srv.url, 'POST', msg(questionSeq, '/reactions'), { token: bob.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', msg(questionSeq, '/reactions'), { token: bob.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  // Issue 20 (pins): alice administers the group, bob is a member.
  it('PUT, DELETE and GET /conversations/{id}/pins', async () => {
    const pin = (method: string, user: TestUser | null, seq: number | string = questionSeq, id = group): Promise<ApiResponse> =>
      api(srv.url, method, `/conversations/${id}/pins/${seq}`, user ? { token: user.accessToken } : {})
    const pinned = await pin('PUT', alice)
    expectStatus(pinned, 200)
    expect(pinned.body.pins).toMatchObject([{ seq: questionSeq, pinnedBy: alice.user.id, message: { seq: questionSeq } }])
    const listed = await api(srv.url, 'GET', `/conversations/${group}/pins`, { token: bob.accessToken })
    expectStatus(listed, 200)
    expect(listed.body).toEqual(pinned.body)
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}/pins`), 401)
    expectStatus(await api(srv.url, 'GET', '/conversations/not-an-id/pins', { token: bob.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/conversations/${carolOnly}/pins`, { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/conversations/${randomUUID()}/pins`, { token: bob.accessToken }), 404)
    for (const method of ['PUT', 'DELETE']) {
      expectStatus(await pin(method, null), 401)
      const member = await pin(method, bob)
      expectStatus(member, 403)
      expect(member.body.error.message).toMatch(/group admins/)
      expectStatus(await pin(method, alice, 999), 404)
    }
    // Seq 1 is the group's first system message; a deleted message cannot be pinned either.
    expectStatus(await pin('PUT', alice, 1), 409)
    const unpinned = await pin('DELETE', alice)
    expectStatus(unpinned, 200)
    expect(unpinned.body.pins).toEqual([])
    expectStatus(await pin('DELETE', alice, 1, carolOnly), 403)
  })

  it('PUT, DELETE and GET /saved', async () => {
    const save = (method: string, user: TestUser | null, seq: number | string = questionSeq, id = group): Promise<ApiResponse> =>
      api(srv.url, method, `/saved/${id}/${seq}`, user ? { token: user.accessToken } : {})
    const saved = await save('PUT', bob)
    expectStatus(saved, 200)
    expect(saved.body).toMatchObject({ conversationId: group, seq: questionSeq, message: { seq: questionSeq } })
    const listed = await api(srv.url, 'GET', '/saved', { token: bob.accessToken })
    expectStatus(listed, 200)
    expect(listed.body).toEqual({ saved: [saved.body] })
    expectStatus(await api(srv.url, 'GET', '/saved'), 401)
    expectStatus(await save('PUT', null), 401)
    expectStatus(await save('PUT', bob, 1, carolOnly), 403)
    expectStatus(await save('PUT', bob, 999), 404)
    expectStatus(await save('PUT', bob, 1), 409)
    expectStatus(await save('DELETE', null), 401)
    expectStatus(await save('DELETE', bob), 204)
    expect((await api(srv.url, 'GET', '/saved', { token: bob.accessToken })).body).toEqual({ saved: [] })
  })

  it('DELETE /conversations/{id}/messages/{seq}', async () => {
    // Bob (a member) may not delete alice's question; alice (the admin) may delete bob's answer.
    const refused = await api(srv.url, 'DELETE', msg(questionSeq), { token: bob.accessToken })
    expectStatus(refused, 403)
    expect(refused.body.error.code).toBe('forbidden')
    const deleted = await api(srv.url, 'DELETE', msg(answerSeq), { token: alice.accessToken })
    expectStatus(deleted, 200)
    const tomb = deleted.body.message
    expect(tomb).toMatchObject({ seq: answerSeq, senderId: bob.user.id, text: '', deletedAt: expect.any(String) })
    expect(tomb.replyTo).toBeUndefined()
    expect(tomb.mentions).toBeUndefined()
    // Deleting twice is harmless: the same tombstone.
    const twice = await api(srv.url, 'DELETE', msg(answerSeq), { token: bob.accessToken })
    expectStatus(twice, 200)
    expect(twice.body.message).toEqual(tomb)
    // A tombstone cannot be edited nor reacted to.
    expectStatus(await api(srv.url, 'PATCH', msg(answerSeq), { token: bob.accessToken, body: { text: 'back' } }), 409)
    expectStatus(await api(srv.url, 'POST', msg(answerSeq, '/reactions'), { token: bob.accessToken, body: { emoji: '👍' } }), 409)
    expectStatus(await api(srv.url, 'DELETE', msg('first'), { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', msg(answerSeq)), 401)
    expectStatus(await api(srv.url, 'DELETE', msg(999), { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', msg(1), { token: alice.accessToken }), 409)
  })

  it('GET /conversations/{id}/changes', async () => {
    const all = await api(srv.url, 'GET', `/conversations/${group}/changes?since=0`, { token: dave.accessToken })
    expectStatus(all, 200)
    const changed = all.body.messages as { seq: number; version: number }[]
    // In order of change: the question (edited, reactions), the reaction target, then the deleted answer.
    expect(changed.map((m) => m.seq)).toEqual([questionSeq, questionSeq + 2, answerSeq])
    expect(changed.map((m) => m.version)).toEqual([...changed.map((m) => m.version)].sort((a, b) => a - b))
    expect(all.body).toMatchObject({ version: changed.at(-1)!.version, hasMore: false })
    const none = await api(srv.url, 'GET', `/conversations/${group}/changes?since=${all.body.version}`, { token: dave.accessToken })
    expectStatus(none, 200)
    expect(none.body).toEqual({ messages: [], version: all.body.version, hasMore: false, people: [] })
    const first = await api(srv.url, 'GET', `/conversations/${group}/changes?since=0&limit=1`, { token: dave.accessToken })
    expectStatus(first, 200)
    expect(first.body).toMatchObject({ messages: [changed[0]], version: changed[0]!.version, hasMore: true })
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}/changes`, { token: dave.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}/changes?since=-1`, { token: dave.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}/changes?since=0`), 401)
    expectStatus(await api(srv.url, 'GET', `/conversations/${carolOnly}/changes?since=0`, { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/conversations/${randomUUID()}/changes?since=0`, { token: dave.accessToken }), 404)
  })

  it('GET /search', async () => {
    const found = await api(srv.url, 'GET', '/search?q=KEYS%20room', { token: carol.accessToken })
    expectStatus(found, 200)
    // The edit was indexed; the deleted answer left the index.
    expect(found.body).toEqual({ results: [{ conversationId: group, message: expect.objectContaining({ seq: questionSeq, text: 'Who has the keys to room 4?' }) }], nextBefore: null })
    const gone = await api(srv.url, 'GET', '/search?q=ask%20me', { token: carol.accessToken })
    expectStatus(gone, 200)
    expect(gone.body.results).toEqual([])
    const short = await api(srv.url, 'GET', '/search?q=to%20me', { token: carol.accessToken })
    expectStatus(short, 400)
    expect(short.body.error.message).toMatch(/q/)
    expectStatus(await api(srv.url, 'GET', '/search', { token: carol.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', '/search?q=keys'), 401)
  })

  // Threads (issue 20, item 3), in a group of their own.
  it('threads: GET, follow and read a thread; GET /threads', async () => {
    const made = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'threads', memberIds: [bob.user.id] } })
    const id = made.body.conversation.id as string
    const root = await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: 'root' } })
    const seq = root.body.message.seq as number
    const reply = await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: bob.accessToken, body: { clientId: randomUUID(), text: 'r', threadRoot: seq } })
    expectStatus(reply, 201)
    const at = `/conversations/${id}/threads/${seq}`
    const page = await api(srv.url, 'GET', at, { token: alice.accessToken })
    expectStatus(page, 200)
    expect(page.body).toMatchObject({ root: { seq, thread: { replyCount: 1 } }, replies: [{ text: 'r' }], hasMore: false, people: [] })
    expectStatus(await api(srv.url, 'GET', `${at}?limit=0`, { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', at), 401)
    expectStatus(await api(srv.url, 'GET', at, { token: carol.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/conversations/${id}/threads/9999`, { token: alice.accessToken }), 404)
    for (const [verb, path, body] of [
      ['PUT', `${at}/follow`, { following: true }],
      ['POST', `${at}/read`, { seq: reply.body.message.seq }]
    ] as const) {
      const done = await api(srv.url, verb, path, { token: alice.accessToken, body })
      expectStatus(done, 200)
      expect(done.body).toMatchObject({ following: true, thread: { conversationId: id, rootSeq: seq } })
      expectStatus(await api(srv.url, verb, path, { token: alice.accessToken, body: {} }), 400)
      expectStatus(await api(srv.url, verb, path, { body }), 401)
      expectStatus(await api(srv.url, verb, path, { token: carol.accessToken, body }), 403)
      expectStatus(await api(srv.url, verb, path.replace(`/${seq}/`, '/9999/'), { token: alice.accessToken, body }), 404)
    }
    const list = await api(srv.url, 'GET', '/threads', { token: alice.accessToken })
    expectStatus(list, 200)
    expect(list.body.threads).toEqual([expect.objectContaining({ conversationId: id, rootSeq: seq, unreadCount: 0 })])
    expectStatus(await api(srv.url, 'GET', '/threads'), 401)
  })

  // Contacts, among people of their own, so the conversations above stay as they are.
  let ivy: TestUser
  let jon: TestUser
  let kim: TestUser
  let lee: TestUser
  let invitation = ''
  const invite = (from: TestUser, to: TestUser): Promise<ApiResponse> =>
    api(srv.url, 'POST', '/invitations', { token: from.accessToken, body: { userId: to.user.id } })
  const answer = (user: TestUser | null, path: string, body: unknown = {}): Promise<ApiResponse> =>
    api(srv.url, 'POST', path, { ...(user ? { token: user.accessToken } : {}), body })

  it('POST /invitations', async () => {
    ivy = await register(srv.url)
    jon = await register(srv.url)
    kim = await register(srv.url)
    lee = await register(srv.url)
    const sent = await api(srv.url, 'POST', '/invitations', { token: ivy.accessToken, body: { userId: jon.user.id, message: 'Hello Jon' } })
    expectStatus(sent, 201)
    expect(sent.body.invitation).toMatchObject({ from: { id: ivy.user.id }, to: { id: jon.user.id }, message: 'Hello Jon', status: 'pending' })
    invitation = sent.body.invitation.id
    expectStatus(await invite(ivy, jon), 409)
    // Kim had invited ivy: ivy inviting kim accepts that invitation.
    expectStatus(await invite(kim, ivy), 201)
    const mutual = await invite(ivy, kim)
    expectStatus(mutual, 200)
    expect(mutual.body.invitation).toMatchObject({ from: { id: kim.user.id }, status: 'accepted' })
    // Kim declines lee: lee may not invite kim again for a day.
    const declined = await invite(lee, kim)
    expectStatus(declined, 201)
    expectStatus(await answer(kim, `/invitations/${declined.body.invitation.id}/decline`), 200)
    const early = await invite(lee, kim)
    expectStatus(early, 429)
    expect(early.body.error.code).toBe('rate_limited')
    expectStatus(await api(srv.url, 'POST', '/invitations', { token: ivy.accessToken, body: { userId: 'jon' } }), 400)
    expectStatus(await api(srv.url, 'POST', '/invitations', { body: { userId: jon.user.id } }), 401)
    expectStatus(await api(srv.url, 'POST', '/invitations', { token: ivy.accessToken, body: { userId: randomUUID() } }), 404)
    expectStatus(await api(srv.url, 'POST', '/invitations', { token: ivy.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', '/invitations', { token: ivy.accessToken, raw: '{}', headers: LATIN1 }), 415)
  })

  it('GET /invitations', async () => {
    const res = await api(srv.url, 'GET', '/invitations', { token: jon.accessToken })
    expectStatus(res, 200)
    expect(res.body.incoming.map((i: { id: string }) => i.id)).toEqual([invitation])
    expect(res.body.outgoing).toEqual([])
    expectStatus(await api(srv.url, 'GET', '/invitations'), 401)
  })

  it('POST /invitations/{id}/accept', async () => {
    const path = `/invitations/${invitation}/accept`
    expectStatus(await answer(ivy, path), 403)
    expectStatus(await answer(jon, '/invitations/not-a-uuid/accept'), 400)
    expectStatus(await answer(null, path), 401)
    expectStatus(await answer(jon, `/invitations/${randomUUID()}/accept`), 404)
    expectStatus(await api(srv.url, 'POST', path, { token: jon.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', path, { token: jon.accessToken, raw: '{}', headers: LATIN1 }), 415)
    const accepted = await answer(jon, path)
    expectStatus(accepted, 200)
    expect(accepted.body.invitation.status).toBe('accepted')
    expectStatus(await answer(jon, path), 409)
  })

  it('POST /invitations/{id}/decline', async () => {
    const sent = await invite(lee, jon)
    expectStatus(sent, 201)
    const path = `/invitations/${sent.body.invitation.id}/decline`
    expectStatus(await answer(lee, path), 403)
    expectStatus(await answer(jon, '/invitations/12345/decline'), 400)
    expectStatus(await answer(null, path), 401)
    expectStatus(await answer(jon, `/invitations/${randomUUID()}/decline`), 404)
    expectStatus(await api(srv.url, 'POST', path, { token: jon.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'POST', path, { token: jon.accessToken, raw: '{}', headers: LATIN1 }), 415)
    const declined = await answer(jon, path)
    expectStatus(declined, 200)
    expect(declined.body.invitation.status).toBe('declined')
    expectStatus(await answer(jon, path), 409)
  })

  it('DELETE /invitations/{id}', async () => {
    const sent = await invite(jon, lee)
    expectStatus(sent, 201)
    const path = `/invitations/${sent.body.invitation.id}`
    expectStatus(await api(srv.url, 'DELETE', path, { token: lee.accessToken }), 403)
    expectStatus(await api(srv.url, 'DELETE', '/invitations/not-a-uuid', { token: jon.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', path), 401)
    expectStatus(await api(srv.url, 'DELETE', `/invitations/${randomUUID()}`, { token: jon.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', path, { token: jon.accessToken }), 204)
    expectStatus(await api(srv.url, 'DELETE', path, { token: jon.accessToken }), 409)
  })

  // Notification preferences (issue 21, i21-attention): one's own.
  it('GET and PATCH /me/notification-prefs', async () => {
    const kim = await register(srv.url)
    const read = await api(srv.url, 'GET', '/me/notification-prefs', { token: kim.accessToken })
    expectStatus(read, 200)
    expect(read.body.prefs).toMatchObject({ level: 'all', sound: true })
    expectStatus(await api(srv.url, 'GET', '/me/notification-prefs'), 401)
    const changed = await api(srv.url, 'PATCH', '/me/notification-prefs', { token: kim.accessToken, body: { level: 'none' } })
    expectStatus(changed, 200)
    expect(changed.body.prefs.level).toBe('none')
    expectStatus(await api(srv.url, 'PATCH', '/me/notification-prefs', { token: kim.accessToken, body: { level: 'loud' } }), 400)
    expectStatus(await api(srv.url, 'PATCH', '/me/notification-prefs', { body: { level: 'none' } }), 401)
  })

  // Drafts (i20-drafts), among people of their own.
  it('GET /drafts, PUT and DELETE /drafts/{conversationId}', async () => {
    const [kim, lee] = await Promise.all([register(srv.url), register(srv.url)])
    const chat = await api(srv.url, 'POST', '/conversations', { token: kim.accessToken, body: { kind: 'group', title: 'Drafts', memberIds: [] } })
    const path = `/drafts/${chat.body.conversation.id}`
    const updatedAt = '2026-01-01T00:00:00.000Z'
    const stored = await api(srv.url, 'PUT', path, { token: kim.accessToken, body: { text: 'half a thought', updatedAt } })
    expectStatus(stored, 200)
    expect(stored.body.draft).toMatchObject({ text: 'half a thought', threadRoot: null, replyTo: null, updatedAt })
    expectStatus(await api(srv.url, 'PUT', path, { token: kim.accessToken, body: { text: 1, updatedAt } }), 400)
    expectStatus(await api(srv.url, 'PUT', path, { body: { text: 'x', updatedAt } }), 401)
    expectStatus(await api(srv.url, 'PUT', path, { token: lee.accessToken, body: { text: 'x', updatedAt } }), 403)
    expectStatus(await api(srv.url, 'PUT', `/drafts/${randomUUID()}`, { token: kim.accessToken, body: { text: 'x', updatedAt } }), 404)
    const listed = await api(srv.url, 'GET', '/drafts', { token: kim.accessToken })
    expectStatus(listed, 200)
    expect(listed.body.drafts).toHaveLength(1)
    expectStatus(await api(srv.url, 'GET', '/drafts'), 401)
    expectStatus(await api(srv.url, 'DELETE', `${path}?threadRoot=x`, { token: kim.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', path), 401)
    expectStatus(await api(srv.url, 'DELETE', path, { token: lee.accessToken }), 403)
    expectStatus(await api(srv.url, 'DELETE', `/drafts/${randomUUID()}`, { token: kim.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', path, { token: kim.accessToken }), 204)
    expect((await api(srv.url, 'GET', '/drafts', { token: kim.accessToken })).body.drafts).toEqual([])
  })

  // Scheduled messages (issue 21 item 4).
  it('GET /scheduled, PATCH and DELETE /scheduled/{id}, POST /scheduled/{id}/send', async () => {
    const [kim, lee] = await Promise.all([register(srv.url), register(srv.url)])
    const chat = await api(srv.url, 'POST', '/conversations', { token: lee.accessToken, body: { kind: 'group', title: 'Later', memberIds: [kim.user.id] } })
    const conversationId = chat.body.conversation.id as string
    const later = new Date(Date.now() + 3600_000).toISOString()
    const schedule = (text: string) =>
      api(srv.url, 'POST', `/conversations/${conversationId}/messages`, { token: kim.accessToken, body: { clientId: randomUUID(), text, sendAt: later } })
    const made = await schedule('later')
    expectStatus(made, 201)
    const path = `/scheduled/${made.body.scheduled.id as string}`
    const listed = await api(srv.url, 'GET', '/scheduled', { token: kim.accessToken })
    expectStatus(listed, 200)
    expect(listed.body.scheduled).toHaveLength(1)
    expectStatus(await api(srv.url, 'GET', '/scheduled'), 401)
    expectStatus(await api(srv.url, 'PATCH', path, { token: kim.accessToken, body: { text: 'sooner' } }), 200)
    expectStatus(await api(srv.url, 'PATCH', path, { token: kim.accessToken, body: {} }), 400)
    expectStatus(await api(srv.url, 'PATCH', path, { body: { text: 'x' } }), 401)
    expectStatus(await api(srv.url, 'PATCH', path, { token: lee.accessToken, body: { text: 'x' } }), 404)
    expectStatus(await api(srv.url, 'POST', `${path}/send`, { body: {} }), 401)
    expectStatus(await api(srv.url, 'POST', '/scheduled/nope/send', { token: kim.accessToken, body: {} }), 400)
    expectStatus(await api(srv.url, 'POST', `${path}/send`, { token: lee.accessToken, body: {} }), 404)
    const sent = await api(srv.url, 'POST', `${path}/send`, { token: kim.accessToken, body: {} })
    expectStatus(sent, 200)
    expect(sent.body.message.text).toBe('sooner')
    const kept = await schedule('kept')
    const keptPath = `/scheduled/${kept.body.scheduled.id as string}`
    expectStatus(await api(srv.url, 'DELETE', `/conversations/${conversationId}/members/${kim.user.id}`, { token: lee.accessToken }), 204)
    expectStatus(await api(srv.url, 'POST', `${keptPath}/send`, { token: kim.accessToken, body: {} }), 403)
    expectStatus(await api(srv.url, 'DELETE', '/scheduled/nope', { token: kim.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', keptPath), 401)
    expectStatus(await api(srv.url, 'DELETE', keptPath, { token: lee.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', keptPath, { token: kim.accessToken }), 204)
  })

  // User groups (i20-ug): alice, the first account, is the server admin.
  it('GET and POST /user-groups, PATCH and DELETE /user-groups/{id}', async () => {
    const [kim, lee] = await Promise.all([register(srv.url), register(srv.url)])
    const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
      api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })
    const handle = `ops${Date.now() % 100_000}`
    const made = await as(alice, 'POST', '/user-groups', { handle, name: 'Operations', memberIds: [kim.user.id], managerIds: [kim.user.id] })
    expectStatus(made, 201)
    const path = `/user-groups/${made.body.userGroup.id as string}`
    expectStatus(await as(alice, 'POST', '/user-groups', { handle: 'x', name: 'Too short', memberIds: [] }), 400)
    expectStatus(await api(srv.url, 'POST', '/user-groups', { body: { handle: 'nobody', name: 'N', memberIds: [] } }), 401)
    expectStatus(await as(lee, 'POST', '/user-groups', { handle: 'mine', name: 'Mine', memberIds: [] }), 403)
    expectStatus(await as(alice, 'POST', '/user-groups', { handle: lee.user.username, name: 'Taken', memberIds: [] }), 409)
    const listed = await as(lee, 'GET', '/user-groups')
    expectStatus(listed, 200)
    expect(listed.body.userGroups.map((g: { handle: string }) => g.handle)).toContain(handle)
    expectStatus(await api(srv.url, 'GET', '/user-groups'), 401)
    expectStatus(await as(kim, 'PATCH', path, { memberIds: [kim.user.id, lee.user.id] }), 200)
    expectStatus(await as(kim, 'PATCH', path, {}), 400)
    expectStatus(await api(srv.url, 'PATCH', path, { body: { name: 'x' } }), 401)
    expectStatus(await as(lee, 'PATCH', path, { name: 'Not his' }), 403)
    expectStatus(await as(alice, 'PATCH', `/user-groups/${randomUUID()}`, { name: 'Gone' }), 404)
    expectStatus(await as(alice, 'PATCH', path, { handle: lee.user.username }), 409)
    expectStatus(await as(alice, 'DELETE', '/user-groups/not-an-id'), 400)
    expectStatus(await api(srv.url, 'DELETE', path), 401)
    expectStatus(await as(kim, 'DELETE', path), 403)
    expectStatus(await as(alice, 'DELETE', `/user-groups/${randomUUID()}`), 404)
    expectStatus(await as(alice, 'DELETE', path), 204)
  })

  it('webhooks: POST, GET and DELETE /conversations/{id}/webhooks, POST /hooks/{token} (issue 21)', async () => {
    const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
      api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })
    const made = (await as(alice, 'POST', '/conversations', { kind: 'group', title: 'Hooks', memberIds: [bob.user.id] })).body.conversation.id as string
    const path = `/conversations/${made}/webhooks`
    const created = await as(alice, 'POST', path, { name: 'CI' })
    expectStatus(created, 201)
    const { id, token } = created.body.webhook as { id: string; token: string }
    expectStatus(await as(alice, 'POST', path, { name: '' }), 400)
    expectStatus(await api(srv.url, 'POST', path, { body: { name: 'x' } }), 401)
    expectStatus(await as(bob, 'POST', path, { name: 'x' }), 403)
    expectStatus(await as(alice, 'POST', `/conversations/${randomUUID()}/webhooks`, { name: 'x' }), 404)
    expectStatus(await as(alice, 'GET', path), 200)
    expectStatus(await as(alice, 'GET', '/conversations/not-an-id/webhooks'), 400)
    expectStatus(await api(srv.url, 'GET', path), 401)
    expectStatus(await as(bob, 'GET', path), 403)
    expectStatus(await as(alice, 'GET', `/conversations/${randomUUID()}/webhooks`), 404)
    expectStatus(await api(srv.url, 'POST', `/hooks/${token}`, { body: { text: 'build passed', username: 'Jenkins' } }), 201)
    expectStatus(await api(srv.url, 'POST', `/hooks/${token}`, { body: { username: 'no text' } }), 400)
    expectStatus(await api(srv.url, 'POST', `/hooks/${'A'.repeat(32)}`, { body: { text: 'wrong token' } }), 404)
    let limited: ApiResponse | undefined
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await api(srv.url, 'POST', `/hooks/${token}`, { body: { text: `event ${i}` } })
      if (res.status === 429) limited = res
    }
    expect(limited?.body.error.code).toBe('rate_limited')
    expectStatus(await as(alice, 'DELETE', `${path}/not-an-id`), 400)
    expectStatus(await api(srv.url, 'DELETE', `${path}/${id}`), 401)
    expectStatus(await as(bob, 'DELETE', `${path}/${id}`), 403)
    expectStatus(await as(alice, 'DELETE', `${path}/${id}`), 204)
    expectStatus(await as(alice, 'DELETE', `${path}/${id}`), 404)
  })

  it('bots: GET, POST, PATCH and DELETE /admin/bots, POST and DELETE their tokens; a bot token is refused 403 wherever bots may not go (issue 21)', async () => {
    const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
      api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })
    const made = await as(alice, 'POST', '/admin/bots', { username: `printer${process.pid}`, displayName: 'Printer', conversationIds: [group] })
    expectStatus(made, 201)
    const bot = made.body.bot.user.id as string
    expectStatus(await as(alice, 'POST', '/admin/bots', { username: 'x', displayName: 'Too short' }), 400)
    expectStatus(await api(srv.url, 'POST', '/admin/bots', { body: { username: 'nobody1', displayName: 'N' } }), 401)
    expectStatus(await as(bob, 'POST', '/admin/bots', { username: 'nobody1', displayName: 'N' }), 403)
    expectStatus(await as(alice, 'POST', '/admin/bots', { username: 'nobody1', displayName: 'N', conversationIds: [randomUUID()] }), 404)
    expectStatus(await as(alice, 'POST', '/admin/bots', { username: bob.user.username, displayName: 'Taken' }), 409)
    expectStatus(await as(alice, 'GET', '/admin/bots'), 200)
    expectStatus(await api(srv.url, 'GET', '/admin/bots'), 401)
    expectStatus(await as(bob, 'GET', '/admin/bots'), 403)
    expectStatus(await as(alice, 'PATCH', `/admin/bots/${bot}`, { displayName: 'Printer 2' }), 200)
    expectStatus(await as(alice, 'PATCH', `/admin/bots/${bot}`, {}), 400)
    expectStatus(await api(srv.url, 'PATCH', `/admin/bots/${bot}`, { body: { displayName: 'x' } }), 401)
    expectStatus(await as(bob, 'PATCH', `/admin/bots/${bot}`, { displayName: 'x' }), 403)
    expectStatus(await as(alice, 'PATCH', `/admin/bots/${randomUUID()}`, { displayName: 'x' }), 404)
    const token = await as(alice, 'POST', `/admin/bots/${bot}/tokens`)
    expectStatus(token, 201)
    const secret = token.body.secret as string
    expectStatus(await as(alice, 'POST', '/admin/bots/not-an-id/tokens'), 400)
    expectStatus(await api(srv.url, 'POST', `/admin/bots/${bot}/tokens`), 401)
    expectStatus(await as(bob, 'POST', `/admin/bots/${bot}/tokens`), 403)
    expectStatus(await as(alice, 'POST', `/admin/bots/${randomUUID()}/tokens`), 404)

    // Every operation a bot may not use answers its token 403, whatever else the request holds.
    const fake = (p: string): string => p.replace(/\{seq\}/g, '1').replace(/\{token\}/g, 'A'.repeat(32)).replace(/\{code\}/g, 'ABCDEFGHJK').replace(/\{[^}]+\}/g, randomUUID())
    const bots = new Set(['get /conversations', 'get /conversations/{id}', 'get /conversations/{id}/messages', 'post /conversations/{id}/messages', 'post /conversations/{id}/read', 'get /conversations/{id}/changes'])
    for (const [key, op] of operations()) {
      if (!op.security || key === 'get /metrics' || bots.has(key)) continue
      const [method, template] = key.split(' ') as [string, string]
      const res = await api(srv.url, method.toUpperCase(), fake(template), { token: secret, headers: { 'tus-resumable': '1.0.0' } })
      expect(res.status, `${key} with a bot token: ${JSON.stringify(res.body)}`).toBe(403)
    }
    expectStatus(await api(srv.url, 'GET', `/conversations/${group}/messages`, { token: secret }), 200)

    const tokenPath = `/admin/bots/${bot}/tokens/${token.body.token.id as string}`
    expectStatus(await as(alice, 'DELETE', `/admin/bots/${bot}/tokens/not-an-id`), 400)
    expectStatus(await api(srv.url, 'DELETE', tokenPath), 401)
    expectStatus(await as(bob, 'DELETE', tokenPath), 403)
    expectStatus(await as(alice, 'DELETE', tokenPath), 204)
    expectStatus(await as(alice, 'DELETE', tokenPath), 404)
    expectStatus(await as(alice, 'DELETE', '/admin/bots/not-an-id'), 400)
    expectStatus(await api(srv.url, 'DELETE', `/admin/bots/${bot}`), 401)
    expectStatus(await as(bob, 'DELETE', `/admin/bots/${bot}`), 403)
    expectStatus(await as(alice, 'DELETE', `/admin/bots/${bot}`), 204)
    expectStatus(await as(alice, 'DELETE', `/admin/bots/${bot}`), 404)
  })

  it('GET /join/{code}: a page for invite links pasted where messenger:// does not open', async () => {
    const page = await api(srv.url, 'GET', '/join/ABCDE23456', { root: true })
    expectStatus(page, 200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.body).toContain('ABCDE-23456')
    expect(page.body).toContain(`messenger://join?${new URLSearchParams({ server: srv.url }).toString()}&amp;code=ABCDE23456`)
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
    expectStatus(await api(srv.url, 'GET', '/join/nope', { root: true }), 400)
  })

  it('GET /contacts', async () => {
    const res = await api(srv.url, 'GET', '/contacts', { token: ivy.accessToken })
    expectStatus(res, 200)
    expect(res.body.contacts.map((u: { id: string }) => u.id).sort()).toEqual([jon.user.id, kim.user.id].sort())
    expectStatus(await api(srv.url, 'GET', '/contacts'), 401)
  })

  it('DELETE /contacts/{userId}', async () => {
    expectStatus(await api(srv.url, 'DELETE', `/contacts/${kim.user.id}`, { token: ivy.accessToken }), 204)
    expectStatus(await api(srv.url, 'DELETE', `/contacts/${kim.user.id}`, { token: kim.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', '/contacts/kim', { token: ivy.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', `/contacts/${jon.user.id}`), 401)
    const left = await api(srv.url, 'GET', '/contacts', { token: ivy.accessToken })
    expect(left.body.contacts.map((u: { id: string }) => u.id)).toEqual([jon.user.id])
  })

  it('POST /conversations: a direct chat with someone who takes them from contacts only', async () => {
    expectStatus(await api(srv.url, 'PATCH', '/me', { token: lee.accessToken, body: { contactsOnlyDirect: true } }), 200)
    const asked = await api(srv.url, 'POST', '/conversations', { token: ivy.accessToken, body: { kind: 'direct', userId: lee.user.id } })
    expectStatus(asked, 202)
    expect(asked.body.invitation).toMatchObject({ from: { id: ivy.user.id }, to: { id: lee.user.id }, status: 'pending' })
    expectStatus(await answer(lee, `/invitations/${asked.body.invitation.id}/decline`), 200)
    expectStatus(await api(srv.url, 'POST', '/conversations', { token: ivy.accessToken, body: { kind: 'direct', userId: lee.user.id } }), 429)
  })

  it('administration: settings, accounts, password resets and invites (alice, the first account, is the server admin)', async () => {
    const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
      api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })
    const signIn = (user: TestUser, password = user.password): Promise<ApiResponse> =>
      api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password } })
    const mia = await register(srv.url)
    const ned = await register(srv.url)
    const UNKNOWN = randomUUID()

    const info = await api(srv.url, 'GET', '/server')
    expectStatus(info, 200)
    expect(info.body).toEqual({ name: 'LAN Messenger', registration: 'open', passwordResetByEmail: false })

    expectStatus(await as(alice, 'GET', '/admin/settings'), 200)
    expectStatus(await as(mia, 'GET', '/admin/settings'), 403)
    expectStatus(await api(srv.url, 'GET', '/admin/settings'), 401)
    const renamed = await as(alice, 'PATCH', '/admin/settings', { name: 'Documented', retentionDays: 90 })
    expectStatus(renamed, 200)
    expect(renamed.body.settings).toMatchObject({ name: 'Documented', retentionDays: 90 })
    expectStatus(await as(alice, 'PATCH', '/admin/settings', { retentionDays: -1 }), 400)
    expectStatus(await as(mia, 'PATCH', '/admin/settings', { name: 'Mine' }), 403)
    expectStatus(await api(srv.url, 'PATCH', '/admin/settings', { body: { name: 'x' } }), 401)

    const users = await as(alice, 'GET', '/admin/users')
    expectStatus(users, 200)
    expect(users.body.users[0]).toMatchObject({ id: alice.user.id, serverAdmin: true })
    expectStatus(await as(mia, 'GET', '/admin/users'), 403)
    expectStatus(await api(srv.url, 'GET', '/admin/users'), 401)

    // Disabling: sign-in and refresh answer 403 account_disabled.
    const disabled = await as(alice, 'PATCH', `/admin/users/${ned.user.id}`, { disabled: true })
    expectStatus(disabled, 200)
    expect(disabled.body.user).toMatchObject({ disabled: true })
    expectStatus(await signIn(ned), 403)
    expectStatus(await api(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: ned.refreshToken } }), 403)
    expectStatus(await as(alice, 'PATCH', `/admin/users/${alice.user.id}`, { serverAdmin: false }), 409)
    expectStatus(await as(alice, 'PATCH', `/admin/users/${UNKNOWN}`, { disabled: true }), 404)
    expectStatus(await as(alice, 'PATCH', `/admin/users/${ned.user.id}`, { disabled: 1 }), 400)
    expectStatus(await as(mia, 'PATCH', `/admin/users/${ned.user.id}`, { disabled: false }), 403)
    expectStatus(await api(srv.url, 'PATCH', `/admin/users/${ned.user.id}`, { body: { disabled: false } }), 401)

    // Resets: the code works once; a disabled account cannot use one (403).
    const forNed = await as(alice, 'POST', `/admin/users/${ned.user.id}/reset-password`)
    expectStatus(forNed, 201)
    const reset = (user: TestUser, code: string, password = 'documented new pw'): Promise<ApiResponse> =>
      api(srv.url, 'POST', '/auth/reset-password', { body: { username: user.user.username, code, password } })
    expectStatus(await reset(ned, forNed.body.code), 403)
    expectStatus(await as(alice, 'POST', `/admin/users/${UNKNOWN}/reset-password`), 404)
    expectStatus(await as(alice, 'POST', '/admin/users/ned/reset-password'), 400)
    expectStatus(await as(mia, 'POST', `/admin/users/${ned.user.id}/reset-password`), 403)
    expectStatus(await api(srv.url, 'POST', `/admin/users/${ned.user.id}/reset-password`), 401)
    const forMia = await as(alice, 'POST', `/admin/users/${mia.user.id}/reset-password`)
    expectStatus(forMia, 201)
    expectStatus(await reset(mia, forMia.body.code), 200)
    expectStatus(await reset(mia, forMia.body.code), 400)
    mia.accessToken = (await signIn(mia, 'documented new pw')).body.accessToken
    // A user's data as a zip: admins only.
    expectStatus(await as(alice, 'GET', `/admin/users/${mia.user.id}/export`), 200)
    expectStatus(await as(alice, 'GET', `/admin/users/${UNKNOWN}/export`), 404)
    expectStatus(await as(alice, 'GET', '/admin/users/ned/export'), 400)
    expectStatus(await as(mia, 'GET', `/admin/users/${ned.user.id}/export`), 403)
    expectStatus(await api(srv.url, 'GET', `/admin/users/${ned.user.id}/export`), 401)
    const forgot = await api(srv.url, 'POST', '/auth/forgot-password', { body: { username: mia.user.username } })
    expectStatus(forgot, 202)
    expect(forgot.body).toEqual({ delivery: 'admin' })
    expectStatus(await api(srv.url, 'POST', '/auth/forgot-password', { body: {} }), 400)
    // Wrong codes are limited like passwords.
    let limited: ApiResponse | undefined
    for (let i = 0; i <= LOGIN_LIMIT && !limited; i++) {
      const res = await reset(mia, 'ABCDEFGHJK')
      if (res.status === 429) limited = res
      else expectStatus(res, 400)
    }
    expect(limited?.body.error.code).toBe('rate_limited')

    // Invites, and registration modes.
    const invite = await as(alice, 'POST', '/admin/invites', { maxUses: 2, expiresInSeconds: 3600 })
    expectStatus(invite, 201)
    expect(invite.body.invite).toMatchObject({ code: CODE, maxUses: 2, uses: 0 })
    expectStatus(await as(alice, 'POST', '/admin/invites', { maxUses: -1 }), 400)
    expectStatus(await as(mia, 'POST', '/admin/invites', {}), 403)
    expectStatus(await api(srv.url, 'POST', '/admin/invites', { body: {} }), 401)
    expectStatus(await as(alice, 'GET', '/admin/invites'), 200)
    expectStatus(await as(mia, 'GET', '/admin/invites'), 403)
    expectStatus(await api(srv.url, 'GET', '/admin/invites'), 401)
    expectStatus(await as(alice, 'PATCH', '/admin/settings', { registration: 'invite' }), 200)
    const newcomer = { username: `invited${process.pid}`, password: 'long enough pw' }
    expectStatus(await api(srv.url, 'POST', '/auth/register', { body: newcomer }), 403)
    expectStatus(await api(srv.url, 'POST', '/auth/register', { body: { ...newcomer, inviteCode: loosely(invite.body.invite.code) } }), 201)
    expectStatus(await as(alice, 'PATCH', '/admin/settings', { registration: 'open' }), 200)
    expectStatus(await as(alice, 'DELETE', `/admin/invites/${invite.body.invite.code}`), 204)
    expectStatus(await as(alice, 'DELETE', `/admin/invites/${invite.body.invite.code}`), 404)
    expectStatus(await as(alice, 'DELETE', '/admin/invites/nope'), 400)
    expectStatus(await as(mia, 'DELETE', `/admin/invites/${invite.body.invite.code}`), 403)
    expectStatus(await api(srv.url, 'DELETE', `/admin/invites/${invite.body.invite.code}`), 401)
  })

  it('files: POST /files, GET/PATCH/DELETE /uploads/{id}, GET /files/{id} and its preview', async () => {
    const png = Buffer.from(PNG.split(',')[1]!, 'base64')
    const sha = createHash('sha256').update(png).digest('hex')
    const bytes = (user: TestUser, id: string, offset: number, data: Uint8Array, type = 'application/offset+octet-stream') =>
      api(srv.url, 'PATCH', `/uploads/${id}`, { token: user.accessToken, bytes: data, headers: { 'content-type': type, 'upload-offset': String(offset) } })
    const made = await api(srv.url, 'POST', '/files', { token: alice.accessToken, body: { conversationId: group, name: 'dot.png', size: png.length, type: 'image/png', sha256: sha } })
    expectStatus(made, 201)
    const id = made.body.upload.id as string
    expectStatus(await api(srv.url, 'POST', '/files', { token: alice.accessToken, body: { conversationId: group, name: '../x', size: 1 } }), 400)
    expectStatus(await api(srv.url, 'POST', '/files', { body: { conversationId: group, name: 'x', size: 1 } }), 401)
    expectStatus(await api(srv.url, 'POST', '/files', { token: alice.accessToken, body: { conversationId: carolOnly, name: 'x', size: 1 } }), 403)
    expectStatus(await api(srv.url, 'POST', '/files', { token: alice.accessToken, body: { conversationId: randomUUID(), name: 'x', size: 1 } }), 404)
    expectStatus(await api(srv.url, 'POST', '/files', { token: alice.accessToken, body: { conversationId: group, name: 'x', size: 3 * 1024 ** 3 } }), 413)
    expectStatus(await api(srv.url, 'POST', '/files', { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)

    expectStatus(await api(srv.url, 'GET', `/uploads/${id}`, { token: alice.accessToken }), 200)
    expectStatus(await api(srv.url, 'GET', '/uploads/x', { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'GET', `/uploads/${id}`), 401)
    expectStatus(await api(srv.url, 'GET', `/uploads/${id}`, { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/uploads/${randomUUID()}`, { token: alice.accessToken }), 404)

    expectStatus(await bytes(alice, id, 5, png), 409)
    expectStatus(await bytes(alice, id, 0, png, 'application/octet-stream'), 415)
    expectStatus(await bytes(alice, 'x', 0, png), 400)
    expectStatus(await bytes(bob, id, 0, png), 403)
    expectStatus(await bytes(alice, randomUUID(), 0, png), 404)
    expectStatus(await bytes(alice, id, 0, Buffer.concat([png, png])), 413)
    expectStatus(await api(srv.url, 'PATCH', `/uploads/${id}`, { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'PATCH', `/uploads/${id}`, { bytes: png, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' } }), 401)
    // Refused from its headers: nothing was taken, and the right bytes complete it.
    const done = await bytes(alice, id, 0, png)
    expectStatus(done, 200)
    expect(done.body.upload).toMatchObject({ complete: true, sha256: sha })
    // Sent in a message, so it stays: cancelling it is 409.
    expectStatus(await api(srv.url, 'POST', `/conversations/${group}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: '', attachments: [id] } }), 201)
    const second = await api(srv.url, 'POST', '/files', { token: alice.accessToken, body: { conversationId: group, name: 'b.bin', size: 4 } })
    expectStatus(await bytes(alice, second.body.upload.id, 0, Buffer.from('abcd')), 200)

    const doomed = (await api(srv.url, 'POST', '/files', { token: alice.accessToken, body: { conversationId: group, name: 'c.bin', size: 4 } })).body.upload.id
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${doomed}`, { token: bob.accessToken }), 403)
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${doomed}`), 401)
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${doomed}`, { token: alice.accessToken }), 204)
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${doomed}`, { token: alice.accessToken }), 404)
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${id}`, { token: alice.accessToken }), 409)
    expectStatus(await api(srv.url, 'DELETE', '/uploads/x', { token: alice.accessToken }), 400)
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${id}`, { token: alice.accessToken, raw: oversized }), 413)
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${id}`, { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)

    for (const path of [`/files/${id}`, `/files/${id}/preview`]) {
      expectStatus(await api(srv.url, 'GET', path, { token: carol.accessToken }), 200)
      expectStatus(await api(srv.url, 'GET', path, { token: carol.accessToken, headers: { range: `bytes=${png.length}-` } }), 416)
      expectStatus(await api(srv.url, 'GET', path.replace(id, 'x'), { token: alice.accessToken }), 400)
      expectStatus(await api(srv.url, 'GET', path), 401)
      expectStatus(await api(srv.url, 'GET', path.replace(id, randomUUID()), { token: alice.accessToken }), 404)
    }
    expectStatus(await api(srv.url, 'GET', `/files/${id}`, { token: alice.accessToken, headers: { range: 'bytes=0-3' } }), 206)
    expectStatus(await api(srv.url, 'GET', `/files/${id}/preview`, { token: alice.accessToken, headers: { range: 'bytes=4-' } }), 206)
    expectStatus(await api(srv.url, 'GET', `/files/${second.body.upload.id}/preview`, { token: alice.accessToken }), 409)
    const outsider = await register(srv.url)
    expectStatus(await api(srv.url, 'GET', `/files/${id}`, { token: outsider.accessToken }), 403)
    expectStatus(await api(srv.url, 'GET', `/files/${id}/preview`, { token: outsider.accessToken }), 403)
  })

  it('tus: OPTIONS /uploads, POST /uploads, HEAD /uploads/{id}, and tus answers of the upload routes', async () => {
    const b64 = (v: string): string => Buffer.from(v).toString('base64')
    const tus = { 'tus-resumable': '1.0.0' }
    const old = { 'tus-resumable': '0.2.2' }
    const meta = (conversationId: string, name = 'a.bin'): string => `conversationId ${b64(conversationId)},filename ${b64(name)}`
    const create = (headers: Record<string, string>, token: string | null = alice.accessToken, bytes?: Uint8Array) =>
      api(srv.url, 'POST', '/uploads', { ...(token ? { token } : {}), ...(bytes ? { bytes } : {}), headers: { ...tus, ...headers } })
    const octets = { 'content-type': 'application/offset+octet-stream' }
    const sha1 = (data: Uint8Array): string => `sha1 ${createHash('sha1').update(data).digest('base64')}`

    const options = await api(srv.url, 'OPTIONS', '/uploads')
    expectStatus(options, 204)
    expect(options.headers.get('tus-version')).toBe('1.0.0')

    const made = await create({ 'upload-length': '8', 'upload-metadata': meta(group) })
    expectStatus(made, 201)
    const id = made.body.upload.id as string
    expect(made.headers.get('location')).toBe(`/api/v1/uploads/${id}`)
    expectStatus(await create({ 'upload-length': 'eight', 'upload-metadata': meta(group) }), 400)
    expectStatus(await create({ 'upload-length': '8', 'upload-metadata': meta(group) }, null), 401)
    expectStatus(await create({ 'upload-length': '8', 'upload-metadata': meta(carolOnly) }), 403)
    expectStatus(await create({ 'upload-length': '8', 'upload-metadata': meta(randomUUID()) }), 404)
    expectStatus(await create({ ...old, 'upload-length': '8', 'upload-metadata': meta(group) }), 412)
    expectStatus(await create({ 'upload-length': String(3 * 1024 ** 3), 'upload-metadata': meta(group) }), 413)
    expectStatus(await create({ 'upload-length': '8', 'upload-metadata': meta(group), 'content-type': 'text/plain' }, alice.accessToken, Buffer.from('abcd')), 415)
    // creation-with-upload: the first bytes with the creation, checked against their Upload-Checksum.
    const first = Buffer.from('abcd')
    const withBytes = await create({ 'upload-length': '8', 'upload-metadata': meta(group), ...octets, 'upload-checksum': sha1(first) }, alice.accessToken, first)
    expectStatus(withBytes, 201)
    expect(withBytes.body.upload.offset).toBe(4)
    expectStatus(await create({ 'upload-length': '8', 'upload-metadata': meta(group), ...octets, 'upload-checksum': sha1(Buffer.from('abce')) }, alice.accessToken, first), 460)

    const head = (upload: string, token: string | null = alice.accessToken, headers: Record<string, string> = tus) =>
      api(srv.url, 'HEAD', `/uploads/${upload}`, { ...(token ? { token } : {}), headers })
    const asked = await head(id)
    expectStatus(asked, 200)
    expect(asked.headers.get('upload-offset')).toBe('0')
    expectStatus(await head('x'), 400)
    expectStatus(await head(id, null), 401)
    expectStatus(await head(id, bob.accessToken), 403)
    expectStatus(await head(randomUUID()), 404)
    expectStatus(await head(id, alice.accessToken, old), 412)

    const patch = (data: Uint8Array, headers: Record<string, string>) =>
      api(srv.url, 'PATCH', `/uploads/${id}`, { token: alice.accessToken, bytes: data, headers: { ...octets, 'upload-offset': '0', ...headers } })
    expectStatus(await patch(first, { ...old }), 412)
    expectStatus(await patch(first, { ...tus, 'upload-checksum': sha1(Buffer.from('abce')) }), 460)
    const stored = await patch(first, { ...tus, 'upload-checksum': sha1(first) })
    expectStatus(stored, 204)
    expect(stored.headers.get('upload-offset')).toBe('4')
    expectStatus(await api(srv.url, 'GET', `/uploads/${id}`, { token: alice.accessToken, headers: old }), 412)
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${id}`, { token: alice.accessToken, headers: old }), 412)
    expectStatus(await api(srv.url, 'DELETE', `/uploads/${id}`, { token: alice.accessToken, headers: tus }), 204)
  })

  it('request schemas agree with the server: what it accepts conforms, what breaks the schema it refuses', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true })
    addFormats(ajv)
    ajv.addSchema(doc, 'openapi.json')
    const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')
    const n = (k: number, ch = 'a'): string => ch.repeat(k)
    const uname = (suffix: string): string => `rq${process.pid}${suffix}`.slice(0, 32)
    const samples: [method: string, template: string, path: string, body: unknown][] = [
      ['post', '/auth/register', '/auth/register', { username: uname('a'), password: n(8) }],
      ['post', '/auth/register', '/auth/register', { username: `${uname('b')}${n(32)}`.slice(0, 32), password: n(256), displayName: n(64) }],
      ['post', '/auth/register', '/auth/register', { username: 'a.b', password: 'long enough pw', displayName: ' padded ' }],
      ['post', '/auth/register', '/auth/register', { username: 'ab', password: 'long enough pw' }],
      ['post', '/auth/register', '/auth/register', { username: uname('c'), password: n(7) }],
      ['post', '/auth/register', '/auth/register', { username: uname('d'), password: n(257) }],
      ['post', '/auth/register', '/auth/register', { username: uname('e'), password: 'long enough pw', displayName: n(65) }],
      ['post', '/auth/register', '/auth/register', { username: uname('f'), password: 'long enough pw', role: 'admin' }],
      ['post', '/auth/register', '/auth/register', { username: uname('g') }],
      ['post', '/auth/login', '/auth/login', { username: alice.user.username, password: alice.password }],
      ['post', '/auth/login', '/auth/login', { username: '', password: 'x' }],
      ['post', '/auth/login', '/auth/login', { username: n(33), password: 'x' }],
      ['post', '/auth/refresh', '/auth/refresh', { refreshToken: n(201) }],
      ['post', '/auth/logout', '/auth/logout', { refreshToken: n(200) }],
      ['post', '/auth/logout', '/auth/logout', { refreshToken: '' }],
      ['patch', '/me', '/me', { displayName: 'x' }],
      ['patch', '/me', '/me', { statusText: '' }],
      ['patch', '/me', '/me', { statusText: n(140), displayName: n(64) }],
      ['patch', '/me', '/me', { statusText: n(141) }],
      ['patch', '/me', '/me', { displayName: '' }],
      ['patch', '/me', '/me', { displayName: 'x', avatar: 'x' }],
      ['patch', '/me', '/me', { hideLastSeen: false }],
      ['patch', '/me', '/me', { hideLastSeen: 'no' }],
      ['patch', '/me', '/me', { contactsOnlyDirect: false }],
      ['patch', '/me', '/me', { contactsOnlyDirect: 1 }],
      ['post', '/invitations', '/invitations', { userId: carol.user.id, message: `${n(139)}\n${n(140)}` }],
      ['post', '/invitations', '/invitations', { userId: carol.user.id, message: n(281) }],
      ['post', '/invitations', '/invitations', { userId: 'carol' }],
      ['post', '/invitations', '/invitations', { userId: carol.user.id, note: 'hi' }],
      ['post', '/invitations/{id}/accept', `/invitations/${randomUUID()}/accept`, { now: true }],
      ['post', '/invitations/{id}/decline', `/invitations/${randomUUID()}/decline`, []],
      ['post', '/conversations', '/conversations', { kind: 'direct', userId: carol.user.id }],
      ['post', '/conversations', '/conversations', { kind: 'group', title: n(100), memberIds: [] }],
      ['post', '/conversations', '/conversations', { kind: 'group', title: 'x', memberIds: [bob.user.id, bob.user.id] }],
      ['post', '/conversations', '/conversations', { kind: 'group', title: n(101), memberIds: [] }],
      ['post', '/conversations', '/conversations', { kind: 'group', title: 'x' }],
      ['post', '/conversations', '/conversations', { kind: 'direct', userId: 'bob' }],
      ['post', '/conversations', '/conversations', { kind: 'dm', userId: bob.user.id }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: n(64, 'Z'), text: n(8000) }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'a_b-C9', text: 'x' }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: n(65), text: 'x' }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'a b', text: 'x' }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'long', text: n(8001) }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'no-text' }],
      ['post', '/conversations/{id}/read', `/conversations/${conv}/read`, { seq: 0 }],
      ['post', '/conversations/{id}/read', `/conversations/${conv}/read`, { seq: Number.MAX_SAFE_INTEGER }],
      ['post', '/conversations/{id}/read', `/conversations/${conv}/read`, { seq: -1 }],
      ['post', '/conversations/{id}/read', `/conversations/${conv}/read`, { seq: 0.5 }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { title: n(100) }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { description: n(1000), avatar: null }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { avatar: 'data:image/webp;base64,UklGRg==' }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { title: '' }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { title: n(101) }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { description: n(1001) }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { avatar: 'data:image/svg+xml;base64,PHN2Zz4=' }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { avatar: `data:image/png;base64,${n(LIMITS.avatarMax)}` }],
      ['patch', '/conversations/{id}', `/conversations/${group}`, { title: 'x', pinned: true }],
      ['post', '/conversations/{id}/members', `/conversations/${group}/members`, { userIds: [bob.user.id] }],
      ['post', '/conversations/{id}/members', `/conversations/${group}/members`, { userIds: [] }],
      ['post', '/conversations/{id}/members', `/conversations/${group}/members`, { userIds: ['bob'] }],
      ['post', '/conversations/{id}/members', `/conversations/${group}/members`, {}],
      ['patch', '/conversations/{id}/members/{userId}', `/conversations/${group}/members/${bob.user.id}`, { role: 'member' }],
      ['patch', '/conversations/{id}/members/{userId}', `/conversations/${group}/members/${bob.user.id}`, { role: 'owner' }],
      ['patch', '/conversations/{id}/members/{userId}', `/conversations/${group}/members/${bob.user.id}`, {}],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, {}],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, { expiresInSeconds: 60, maxUses: 1 }],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, { expiresInSeconds: 30 * 24 * 3600, maxUses: 10_000 }],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, { expiresInSeconds: 59 }],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, { expiresInSeconds: 30 * 24 * 3600 + 1 }],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, { expiresInSeconds: 60.5 }],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, { maxUses: 0 }],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, { maxUses: 10_001 }],
      ['post', '/conversations/{id}/join-code', `/conversations/${group}/join-code`, { expiresInSeconds: null }],
      ['post', '/conversations/{id}/read', `/conversations/${conv}/read`, { seq: Number.MAX_SAFE_INTEGER + 1 }],
      ['post', '/rooms', '/rooms', { name: 'Sample Room' }],
      ['post', '/rooms', '/rooms', { name: n(LIMITS.roomNameMax, 'r'), description: n(LIMITS.groupDescriptionMax) }],
      ['post', '/rooms', '/rooms', { name: 'Sample Room', description: '' }],
      ['post', '/rooms', '/rooms', { name: n(LIMITS.roomNameMax + 1) }],
      ['post', '/rooms', '/rooms', { name: '' }],
      ['post', '/rooms', '/rooms', { name: 'Sample Room', description: n(LIMITS.groupDescriptionMax + 1) }],
      ['post', '/rooms', '/rooms', { name: 'Sample Room', private: true }],
      ['post', '/rooms', '/rooms', { description: 'no name' }],
      ['post', '/rooms', '/rooms', { name: 5 }],
      ['post', '/rooms', '/rooms', { name: null }],
      ['post', '/join', '/join', { code: 5 }],
      ['post', '/join', '/join', { code: 'ABCDEFGHJK', groupId: group }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'reply-1', text: 'x', replyTo: 1, mentions: [bob.user.id] }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'reply-2', text: 'x', mentions: [] }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'reply-3', text: 'x', replyTo: 0 }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'reply-4', text: 'x', replyTo: 1.5 }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'reply-5', text: 'x', mentions: ['bob'] }],
      ['post', '/conversations/{id}/messages', `/conversations/${conv}/messages`, { clientId: 'reply-6', text: 'x', mentions: Array.from({ length: LIMITS.mentionsMax + 1 }, () => randomUUID()) }],
      // conv's seq 1 is alice's own message.
      ['patch', '/conversations/{id}/messages/{seq}', `/conversations/${conv}/messages/1`, { text: 'hello, edited' }],
      ['patch', '/conversations/{id}/messages/{seq}', `/conversations/${conv}/messages/1`, { text: n(LIMITS.messageTextMax), mentions: [bob.user.id] }],
      ['patch', '/conversations/{id}/messages/{seq}', `/conversations/${conv}/messages/1`, { text: n(LIMITS.messageTextMax + 1) }],
      ['patch', '/conversations/{id}/messages/{seq}', `/conversations/${conv}/messages/1`, { text: 'x', mentions: ['bob'] }],
      ['patch', '/conversations/{id}/messages/{seq}', `/conversations/${conv}/messages/1`, { text: 'x', mentions: Array.from({ length: LIMITS.mentionsMax + 1 }, () => randomUUID()) }],
      ['patch', '/conversations/{id}/messages/{seq}', `/conversations/${conv}/messages/1`, { text: 'x', pinned: true }],
      ['patch', '/conversations/{id}/messages/{seq}', `/conversations/${conv}/messages/1`, { mentions: [] }],
      ['patch', '/conversations/{id}/messages/{seq}', `/conversations/${conv}/messages/1`, { text: 5 }],
      ['post', '/conversations/{id}/messages/{seq}/reactions', `/conversations/${conv}/messages/1/reactions`, { emoji: '👍' }],
      ['post', '/conversations/{id}/messages/{seq}/reactions', `/conversations/${conv}/messages/1/reactions`, { emoji: '👩🏻‍❤️‍💋‍👨🏼' }],
      ['post', '/conversations/{id}/messages/{seq}/reactions', `/conversations/${conv}/messages/1/reactions`, { emoji: '👍'.repeat(17) }],
      ['post', '/conversations/{id}/messages/{seq}/reactions', `/conversations/${conv}/messages/1/reactions`, { emoji: 1 }],
      ['post', '/conversations/{id}/messages/{seq}/reactions', `/conversations/${conv}/messages/1/reactions`, { emoji: '👍', remove: true }],
      ['post', '/conversations/{id}/messages/{seq}/reactions', `/conversations/${conv}/messages/1/reactions`, {}],
      ['patch', '/admin/settings', '/admin/settings', { name: n(LIMITS.serverNameMax), maxFileBytes: LIMITS.fileBytesMin, retentionDays: LIMITS.retentionDaysMax }],
      ['patch', '/admin/settings', '/admin/settings', { maxFileBytes: LIMITS.fileBytesMax, retentionDays: null }],
      ['patch', '/admin/settings', '/admin/settings', { name: n(LIMITS.serverNameMax + 1) }],
      ['patch', '/admin/settings', '/admin/settings', { maxFileBytes: LIMITS.fileBytesMin - 1 }],
      ['patch', '/admin/settings', '/admin/settings', { maxFileBytes: LIMITS.fileBytesMax + 1 }],
      ['patch', '/admin/settings', '/admin/settings', { retentionDays: LIMITS.retentionDaysMax + 1 }],
      ['patch', '/admin/settings', '/admin/settings', { registration: 'sometimes' }],
      ['patch', '/admin/settings', '/admin/settings', { registration: 'open', extra: 1 }],
      ['post', '/admin/invites', '/admin/invites', { maxUses: 10_000, expiresInSeconds: 60 }],
      ['post', '/admin/invites', '/admin/invites', { maxUses: 10_001 }],
      ['post', '/admin/invites', '/admin/invites', { expiresInSeconds: 30 * 24 * 3600 + 1 }],
      ['patch', '/admin/users/{id}', `/admin/users/${bob.user.id}`, { serverAdmin: false }],
      ['patch', '/admin/users/{id}', `/admin/users/${bob.user.id}`, { serverAdmin: 'no' }],
      ['patch', '/admin/users/{id}', `/admin/users/${bob.user.id}`, { role: 'admin' }],
      ['post', '/auth/forgot-password', '/auth/forgot-password', { username: n(33) }],
      ['post', '/auth/reset-password', '/auth/reset-password', { username: 'someone', code: 'ABCDEFGHJK', password: n(7) }],
      ['post', '/auth/reset-password', '/auth/reset-password', { username: 'someone', code: 'ABCDEFGHJKL', password: n(8) }],
      ['post', '/auth/register', '/auth/register', { username: uname('h'), password: n(8), inviteCode: 'abc' }],
      ['patch', '/me', '/me', { email: 'alice@office.test' }],
      ['patch', '/me', '/me', { email: null }],
      ['patch', '/me', '/me', { email: 'alice' }]
    ]
    const disagreements: string[] = []
    for (const [method, template, path, body] of samples) {
      const validate = ajv.getSchema(`openapi.json#/paths/${escape(template)}/${method}/requestBody/content/application~1json/schema`)
      expect(validate, `${method} ${template} request schema`).toBeDefined()
      const conforms = validate!(body) === true
      const res = await api(srv.url, method.toUpperCase(), path, { token: alice.accessToken, body })
      const accepted = res.status < 300
      const label = `${method.toUpperCase()} ${template} ${JSON.stringify(body).slice(0, 80)}`
      if (accepted && !conforms) disagreements.push(`${label}: accepted (${res.status}) but breaks the documented schema: ${ajv.errorsText(validate!.errors)}`)
      if (!conforms && res.status !== 400) disagreements.push(`${label}: breaks the documented schema but answered ${res.status}`)
    }
    expect(disagreements).toEqual([])
  })

  it('path parameter schemas agree with the server: a seq it accepts conforms, one breaking the schema it refuses', async () => {
    const ajv = new Ajv2020({ strict: false })
    const template = '/conversations/{id}/messages/{seq}/receipts'
    const param = doc.paths[template]?.['get']?.parameters?.find((p) => p.name === 'seq' && p.in === 'path')
    expect(param).toBeDefined()
    const validate = ajv.compile(param!.schema as object)
    const conformsTo = (value: string): boolean => validate(value) === true
    const disagreements: string[] = []
    const seqs = ['1', '01', '2', '99', String(Number.MAX_SAFE_INTEGER), String(Number.MAX_SAFE_INTEGER + 1), '0', '-1', '1.5', '1e3', '+1', '0x1', 'abc', '9'.repeat(17), randomUUID()]
    for (const seq of seqs) {
      const res = await api(srv.url, 'GET', `/conversations/${conv}/messages/${encodeURIComponent(seq)}/receipts`, { token: alice.accessToken })
      if (res.status !== 400 && !conformsTo(seq)) disagreements.push(`seq ${seq}: breaks the documented schema but answered ${res.status}`)
      if (res.status === 400 && !/seq/.test(res.body.error.message)) disagreements.push(`seq ${seq}: 400 without naming seq: ${res.body.error.message}`)
    }
    expect(disagreements).toEqual([])
  })

  it('query parameter schemas agree with the server: a value it accepts conforms, one breaking the schema it refuses', async () => {
    const ajv = new Ajv2020({ strict: false })
    const numbers = ['0', '1', '01', '50', '51', '200', '201', String(Number.MAX_SAFE_INTEGER), String(Number.MAX_SAFE_INTEGER + 1), '-1', '1.5', '1e3', '+1', '0x1', 'abc', ' 1', '9'.repeat(17), '']
    const probes: [template: string, name: string, path: (value: string) => string][] = [
      ['/conversations/{id}/changes', 'since', (v) => `/conversations/${conv}/changes?since=${encodeURIComponent(v)}`],
      ['/conversations/{id}/changes', 'limit', (v) => `/conversations/${conv}/changes?since=0&limit=${encodeURIComponent(v)}`],
      ['/search', 'before', (v) => `/search?q=hello&before=${encodeURIComponent(v)}`],
      ['/search', 'limit', (v) => `/search?q=hello&limit=${encodeURIComponent(v)}`]
    ]
    const disagreements: string[] = []
    for (const [template, name, path] of probes) {
      const param = doc.paths[template]?.['get']?.parameters?.find((p) => p.name === name && p.in === 'query')
      expect(param, `${template} ${name}`).toBeDefined()
      const validate = ajv.compile(param!.schema as object)
      for (const value of numbers) {
        const res = await api(srv.url, 'GET', path(value), { token: alice.accessToken })
        if (res.status !== 400 && validate(value) !== true) disagreements.push(`${template} ${name}=${JSON.stringify(value)}: breaks the documented schema but answered ${res.status}`)
        if (res.status === 400 && !res.body.error.message.includes(name)) disagreements.push(`${template} ${name}=${JSON.stringify(value)}: 400 without naming ${name}: ${res.body.error.message}`)
      }
    }
    expect(disagreements).toEqual([])
    // The required ones are documented as required.
    const required = (template: string): string[] =>
      (doc.paths[template]?.['get']?.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => p.name)
    expect(required('/conversations/{id}/changes')).toEqual(['since'])
    expect(required('/search')).toEqual(['q'])
  })

  it("sends, edits, reactions and new uploads past the user's budget → 429 with Retry-After", async () => {
    // A server of its own whose budgets are one of each (this file's server has none).
    const one = { rate: { points: 1, durationMs: 60_000 }, burst: { points: 1, durationMs: 60_000 } }
    const tight = await startServer({ sendLimits: { messages: one, edits: one, reactions: one, uploads: one } })
    try {
      const [kim, lou] = await Promise.all([register(tight.url), register(tight.url)])
      const chat = await api(tight.url, 'POST', '/conversations', { token: kim.accessToken, body: { kind: 'direct', userId: lou.user.id } })
      const path = `/conversations/${chat.body.conversation.id}`
      const twice = async (method: string, at: string, body: () => unknown): Promise<void> => {
        for (let i = 0; i < 2; i++) expect((await api(tight.url, method, at, { token: kim.accessToken, body: body() })).status).toBeLessThan(300)
        const limited = await api(tight.url, method, at, { token: kim.accessToken, body: body() })
        expectStatus(limited, 429)
        expect(limited.body.error).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) })
        expect(Number(limited.headers.get('retry-after'))).toBe(Math.ceil(limited.body.error.retryAfterMs / 1000))
      }
      await twice('POST', `${path}/messages`, () => ({ clientId: randomUUID(), text: 'hi' }))
      await twice('PATCH', `${path}/messages/1`, () => ({ text: `edited ${randomUUID()}` }))
      await twice('POST', `${path}/messages/1/reactions`, () => ({ emoji: '👍' }))
      await twice('POST', '/files', () => ({ conversationId: chat.body.conversation.id, name: 'a.txt', size: 1 }))
      // tus's creation spends the same budget of new uploads (another user's, whose budget is whole).
      const tusCreate = () =>
        api(tight.url, 'POST', '/uploads', {
          token: lou.accessToken,
          headers: { 'tus-resumable': '1.0.0', 'upload-length': '1', 'upload-metadata': `conversationId ${Buffer.from(chat.body.conversation.id).toString('base64')},filename YS50eHQ=` }
        })
      for (let i = 0; i < 2; i++) expect((await tusCreate()).status).toBeLessThan(300)
      expectStatus(await tusCreate(), 429)
    } finally {
      await tight.destroy()
    }
  })

  it('POST /join: too many failed attempts from one address → 429, even with the right code', async () => {
    const valid = await api(srv.url, 'POST', `/conversations/${group}/join-code`, { token: alice.accessToken, body: {} })
    expectStatus(valid, 201)
    const erin = await register(srv.url)
    let limited: ApiResponse | undefined
    // Failed joins earlier in this file count too: at most LOGIN_LIMIT more are needed.
    for (let i = 0; i <= LOGIN_LIMIT && !limited; i++) {
      const res = await api(srv.url, 'POST', '/join', { token: erin.accessToken, body: { code: 'ABCDEFGHJK' } })
      if (res.status === 429) limited = res
      else expectStatus(res, 404)
    }
    expect(limited, 'no 429 after LOGIN_LIMIT failed joins').toBeDefined()
    expect(limited!.body.error.code).toBe('rate_limited')
    expect(limited!.body.error.message).toMatch(/join/)
    expectStatus(await api(srv.url, 'POST', '/join', { token: erin.accessToken, body: { code: valid.body.joinCode.code } }), 429)
    expect(memberIds(await api(srv.url, 'GET', `/conversations/${group}`, { token: alice.accessToken }))).not.toContain(erin.user.id)
    // Sign-ins have their own count: a correct one still works.
    expectStatus(await api(srv.url, 'POST', '/auth/login', { body: { username: erin.user.username, password: erin.password } }), 200)
  })

  it('every operation but GET reads a sent body: malformed JSON is 400, too large 413, not UTF-8 415', async () => {
    const fake = (path: string): string => path.replace(/\{seq\}/g, '1').replace(/\{[^}]+\}/g, randomUUID())
    const big = JSON.stringify({ padding: 'x'.repeat(300 * 1024) })
    for (const [key] of operations()) {
      const [method, template] = key.split(' ') as [string, string]
      if (method === 'get' || method === 'head') continue // HTTP clients send no body with a GET or HEAD
      const path = fake(template)
      const verb = method.toUpperCase()
      expectStatus(await api(srv.url, verb, path, { token: alice.accessToken, raw: '{bad' }), 400)
      expectStatus(await api(srv.url, verb, path, { token: alice.accessToken, raw: big }), 413)
      expectStatus(await api(srv.url, verb, path, { token: alice.accessToken, raw: '{}', headers: LATIN1 }), 415)
    }
  })

  it('exercised every operation, with a success and with every reachable documented status', () => {
    const exercised = new Map<string, Set<number>>()
    const undocumented: string[] = []
    for (const call of recorded) {
      if (call.path === '/openapi.json') continue
      const op = operationOf(call.method, call.path)
      if (!op) {
        undocumented.push(`${call.method} ${call.path} → ${call.status}`)
        continue
      }
      if (!doc.paths[op.split(' ')[1]!]?.[call.method]?.responses[String(call.status)]) undocumented.push(`${op} → ${call.status}`)
      let statuses = exercised.get(op)
      if (!statuses) exercised.set(op, (statuses = new Set()))
      statuses.add(call.status)
    }
    // Every call of this file hit a documented operation and got a documented status.
    expect(undocumented).toEqual([])

    const missing: string[] = []
    for (const [key, op] of operations()) {
      const got = exercised.get(key) ?? new Set<number>()
      const documented = Object.keys(op.responses).map(Number)
      if (![...got].some((s) => s >= 200 && s < 300)) missing.push(`${key}: no successful call`)
      const errors = documented.filter((s) => s >= 400 && s !== STORE_AWAY)
      if (errors.length > 0 && !errors.some((s) => got.has(s))) missing.push(`${key}: no documented error exercised`)
      for (const status of documented) {
        if (!got.has(status) && !(`${key} ${status}` in UNREACHABLE) && status !== STORE_AWAY) missing.push(`${key} ${status}`)
      }
    }
    expect(missing).toEqual([])

    // The exemptions are still documented (otherwise the list has gone stale).
    for (const entry of Object.keys(UNREACHABLE)) {
      const [method, path, status] = entry.split(' ') as [string, string, string]
      expect(doc.paths[path]?.[method]?.responses[status], entry).toBeDefined()
      expect(exercised.get(`${method} ${path}`)?.has(Number(status))).toBeFalsy()
    }
  })
})
