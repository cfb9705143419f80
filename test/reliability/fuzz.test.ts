// Property-based fuzzing (fast-check) of every REST operation and every
// socket event, with arbitrary and near-valid input (the valid requests of the
// authorization table, mutated). The server never answers 5xx, every answer is
// one the OpenAPI document lists for that operation (checked by `api`), every
// refused socket event is an error ack with a code other than `internal`, the
// server stays up and its data directory stays valid. A body that is not JSON
// on an operation that takes JSON is refused with 415, never accepted.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../src/shared/errors'
import { api } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { connect, emitAck, type ClientSocket } from '../helpers/socket'
import { CALLS_KEPT, EVENT_ROWS, HTTP_ROWS, METRICS_TOKEN, ROLES, SEND_LIMITED } from './authz-table'
import { scaledSendLimits } from '../../server/services/send-limits'
import { dataDirProblems } from './helpers/data-dir'
import { buildFixture, fill, registerRoot, type Fixture } from './helpers/fixture'
import type { TestUser } from '../helpers/http'
import { assertCovered, clientEvents, operations, type Operation } from './helpers/registry'
import { scale, seed } from './helpers/soak'

const HTTP_CASES = scale('RELIABILITY_FUZZ_HTTP', 3_000, 80_000)
const EVENT_CASES = scale('RELIABILITY_FUZZ_EVENTS', 2_000, 40_000)
/** A new fixture this often: cases may delete the group, sign the user out, and so on. */
const FIXTURE_EVERY = 400

let srv: TestServer
let ops: Operation[]
let fixture: Fixture
let fixtureAge = 0
let root: TestUser
/** Operations whose request body is JSON (not bytes). */
let takesJson: Set<string>

beforeAll(async () => {
  // The budgets counted as for real, but a hundred times the default: one fixture's user may take
  // hundreds of cases, and a case refused as rate_limited would not reach what it tests.
  srv = await startServer({ sendLimits: scaledSendLimits(100), metricsToken: METRICS_TOKEN, ...CALLS_KEPT })
  root = await registerRoot(srv.url)
  ops = await operations(srv.url)
  takesJson = await jsonOperations(srv.url)
  fixture = await buildFixture(srv.url, root)
})
afterAll(async () => {
  await srv.destroy()
})

async function jsonOperations(base: string): Promise<Set<string>> {
  const doc = (await (await fetch(`${base}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { requestBody?: { content: object } }>> }
  return new Set(
    Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod)
        .filter(([, op]) => op.requestBody && 'application/json' in op.requestBody.content)
        .map(([method]) => `${method.toUpperCase()} ${path}`)
    )
  )
}

async function freshFixture(): Promise<Fixture> {
  if (++fixtureAge >= FIXTURE_EVERY) {
    fixtureAge = 0
    fixture = await buildFixture(srv.url, root)
  }
  return fixture
}

const nasty = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'null', 'undefined', '__proto__', 'constructor', '../../etc/passwd', '%00', '\u0000', '😀', 'a'.repeat(5000)),
  // Names that hide or reverse (issue 22): refused with validation_failed, never a 5xx.
  fc.constantFrom('The\u200b Boss', '\u202essoB ehT', '\u200b\u200b', 'The\u00a0Boss', '\u2800', '\ud800', 'invoice\u202efdp.exe', '👩\u200d👩\u200d👧'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.uuid(),
  fc.integer().map(String)
)

/** A value that may be anything JSON can carry, or a near miss of `valid`. */
function mutate(valid: unknown): fc.Arbitrary<unknown> {
  const anything = fc.jsonValue({ maxDepth: 3 })
  if (valid === null || typeof valid !== 'object' || Array.isArray(valid)) return fc.oneof(anything, fc.constant(valid))
  const keys = Object.keys(valid)
  const record = valid as Record<string, unknown>
  return fc.oneof(
    { weight: 1, arbitrary: anything },
    { weight: 1, arbitrary: fc.constant(valid) },
    // One field replaced by anything.
    {
      weight: 3,
      arbitrary: keys.length
        ? fc.tuple(fc.constantFrom(...keys), fc.oneof(anything, nasty)).map(([k, v]) => ({ ...record, [k]: v }))
        : anything
    },
    // A field left out, or one too many.
    { weight: 1, arbitrary: keys.length ? fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(record).filter(([x]) => x !== k))) : anything },
    { weight: 1, arbitrary: fc.tuple(nasty, anything).map(([k, v]) => ({ ...record, [k]: v })) },
    // Nested values mutated in turn.
    { weight: 1, arbitrary: keys.length ? fc.constantFrom(...keys).chain((k) => mutate(record[k]).map((v) => ({ ...record, [k]: v }))) : anything }
  )
}

type Auth = 'groupAdmin' | 'member' | 'nonMember' | 'serverAdmin' | 'none' | 'garbage'
const auth = fc.constantFrom<Auth>('groupAdmin', 'groupAdmin', 'member', 'nonMember', 'serverAdmin', 'none', 'garbage')

function tokenFor(f: Fixture, who: Auth): string | undefined {
  if (who === 'none') return undefined
  if (who === 'garbage') return 'eyJhbGciOiJub25lIn0.e30.'
  return (f.users[who]).accessToken
}

interface HttpCase {
  op: Operation
  who: Auth
  params: (string | null)[]
  query: [string, string][]
  /** raw: sent as JSON, mostly malformed; text: a text/plain body. */
  body: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string } | { kind: 'text'; text: string } | { kind: 'none' }
  /** For rows whose input is headers (tus): each replaced (null: left out); the others are the row's own. */
  headers: [string, string | null][]
}

/** Values fetch can send in a header: visible ASCII and spaces. */
const headerValue = fc.oneof(nasty, fc.string({ maxLength: 60 })).filter((v) => /^[\x20-\x7e]*$/.test(v))

function httpCase(op: Operation): fc.Arbitrary<HttpCase> {
  const slots = [...op.path.matchAll(/\{(\w+)\}/g)].length
  const row = HTTP_ROWS[op.key]
  const body: fc.Arbitrary<HttpCase['body']> = fc.oneof(
    { weight: 6, arbitrary: mutate(row?.body ?? {}).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((text) => ({ kind: 'raw' as const, text })) },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 60 }).map((text) => ({ kind: 'text' as const, text })) },
    // A row whose input is headers (tus) is mostly sent without a body, so the headers reach the handler.
    { weight: row?.headers && row.body === undefined ? 12 : 1, arbitrary: fc.constant({ kind: 'none' as const }) }
  )
  return fc.record({
    op: fc.constant(op),
    who: auth,
    // null: the row's own (valid) value for that slot.
    // Not empty, '.' or '..': those change which route the URL names (a test artefact, not input).
    params: fc.array(fc.option(nasty.filter((p) => p !== '' && p !== '.' && p !== '..'), { nil: null, freq: 2 }), { minLength: slots, maxLength: slots }),
    query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...(op.query.length ? op.query : ['q'])), nasty), nasty), { maxLength: 3 }),
    body,
    headers: row?.headers
      ? fc.array(fc.tuple(fc.constantFrom(...Object.keys(row.headers)), fc.option(headerValue, { nil: null })), { maxLength: 2 })
      : fc.constant([])
  })
}

/** The row's headers, filled, with the case's replacements. */
function headersOf(c: HttpCase, values: Record<string, string | number>): Record<string, string> {
  const headers = fill(HTTP_ROWS[c.op.key]?.headers ?? {}, values) as Record<string, string>
  for (const [name, value] of c.headers) {
    if (value === null) delete headers[name]
    else headers[name] = value
  }
  return headers
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function pathOf(c: HttpCase, f: Fixture): string {
  const row = HTTP_ROWS[c.op.key]
  const valid = ((fill(row?.path ?? c.op.path, f.values) as string).split('?')[0] ?? '').split('/')
  let slot = 0
  const parts = c.op.path.split('/').map((part, i) => {
    if (!part.startsWith('{')) return part
    const mine = c.params[slot++]
    // A lone surrogate cannot be percent-encoded (URIError in the test, not a request): sent as U+FFFD.
    return mine === null || mine === undefined ? (valid[i] ?? 'x') : encodeURIComponent(mine.replace(LONE_SURROGATE, '\uFFFD'))
  })
  const query = new URLSearchParams(c.query).toString()
  return parts.join('/') + (query ? `?${query}` : '')
}

describe('fuzz', () => {
  it('covers every REST operation and socket event', () => {
    assertCovered('REST operation', ops.map((o) => o.key), Object.keys(HTTP_ROWS))
    assertCovered('socket event', clientEvents(), Object.keys(EVENT_ROWS))
  })

  it('every operation that takes JSON answers a text/plain body with 415, for a caller it would otherwise serve', async () => {
    // Before the fuzzing below, whose failed sign-ins reach this address's limits.
    const f = await freshFixture()
    const values = { ...f.values, unique: Math.random().toString(36).slice(2, 12), selfRefresh: f.users.extra.refreshToken }
    const answers: string[] = []
    for (const key of [...takesJson].sort()) {
      const row = HTTP_ROWS[key]!
      const who = ROLES.find((role) => row.expect[role] === 'allow')!
      const token = who === 'anonymous' ? undefined : f.users[who].accessToken
      const res = await api(srv.url, key.split(' ')[0]!, fill(row.path, values) as string, {
        ...(token ? { token } : {}),
        raw: JSON.stringify(fill(row.body, values)),
        headers: { 'content-type': 'text/plain' }
      })
      answers.push(`${key} → ${res.status} ${res.body?.error?.code ?? ''}`)
    }
    expect(answers.length).toBeGreaterThan(20)
    expect(answers.filter((a) => !a.endsWith('→ 415 unsupported_media_type'))).toEqual([])
  })

  it(`REST: ${HTTP_CASES} arbitrary and near-valid requests over every operation, never a 5xx or an undocumented answer`, { timeout: 120_000 + HTTP_CASES * 20 }, async () => {
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ops).chain(httpCase), async (c) => {
        const f = await freshFixture()
        const token = tokenFor(f, c.who)
        const values = { ...f.values, unique: Math.random().toString(36).slice(2, 12), selfRefresh: f.users.extra.refreshToken }
        // fetch cannot send a GET or HEAD with a body.
        const body: HttpCase['body'] = c.op.method === 'GET' || c.op.method === 'HEAD' ? { kind: 'none' } : c.body
        const headers = headersOf(c, values)
        const res = await api(srv.url, c.op.method, pathOf(c, f), {
          ...(token ? { token } : {}),
          ...(c.op.root ? { root: true } : {}),
          ...(body.kind === 'json' ? { body: fill(body.value, values) } : body.kind === 'raw' ? { raw: body.text } : {}),
          ...(body.kind === 'text' ? { raw: body.text } : {}),
          headers: { ...headers, ...(body.kind === 'text' ? { 'content-type': 'text/plain' } : {}) }
        })
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        expect(res.status, `${c.op.key} ${JSON.stringify(headers)} → ${res.status} ${JSON.stringify(res.body)}`).toBeLessThan(500)
        if (body.kind === 'text' && takesJson.has(c.op.key)) expect(res.status, `${c.op.key} accepted a text/plain body`).toBeGreaterThanOrEqual(400)
        // A HEAD answer has no body: its status says it all.
        if (res.status >= 400 && c.op.method !== 'HEAD') expect(ERROR_CODES).toContain((res.body as { error: { code: string } }).error.code)
      }),
      { numRuns: HTTP_CASES, seed: seed(), endOnFailure: true }
    )
    process.stdout.write(`fuzz REST: ${HTTP_CASES} cases over ${ops.length} operations; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`)
  })

  it(`socket events: ${EVENT_CASES} arbitrary and near-valid payloads over every event, every answer a result, never internal`, { timeout: 120_000 + EVENT_CASES * 20 }, async () => {
    const events = clientEvents()
    let socket: ClientSocket | null = null
    let socketFixture: Fixture | null = null
    const codes = new Map<string, number>()
    const arb = fc.record({
      event: fc.constantFrom(...events, 'no:such-event'),
      payload: fc.constantFrom(...events).chain((e) => mutate(EVENT_ROWS[e]?.payload ?? {})),
      extra: fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined, freq: 4 })
    })
    await fc.assert(
      fc.asyncProperty(arb, async ({ event, payload, extra }) => {
        const f = await freshFixture()
        if (!socket?.connected || socketFixture !== f) {
          socket?.close()
          socket = await connect(srv.url, f.users.groupAdmin.accessToken)
          socketFixture = f
        }
        const values = { ...f.values, unique: Math.random().toString(36).slice(2, 12) }
        const args = extra === undefined ? [fill(payload, values)] : [fill(payload, values), extra]
        const ack = await emitAck(socket, event, ...args)
        const code = ack.ok ? 'ok' : ack.error.code
        codes.set(code, (codes.get(code) ?? 0) + 1)
        expect(ack.ok || (ERROR_CODES.includes(ack.error.code) && ack.error.code !== 'internal'), `${event} ${JSON.stringify(args)} → ${JSON.stringify(ack)}`).toBe(true)
      }),
      { numRuns: EVENT_CASES, seed: seed(), endOnFailure: true }
    )
    ;(socket as ClientSocket | null)?.close()
    process.stdout.write(`fuzz events: ${EVENT_CASES} cases over ${events.length} events; answers ${JSON.stringify(Object.fromEntries(codes))}\n`)
  })

  it('the send-limited operations hammered past tiny budgets: rate_limited with retryAfterMs, never a 5xx or another answer', { timeout: 120_000 }, async () => {
    const one = { rate: { points: 2, durationMs: 60_000 }, burst: { points: 2, durationMs: 60_000 } }
    const tight = await startServer({ sendLimits: { messages: one, edits: one, reactions: one, uploads: one } })
    try {
      const f = await buildFixture(tight.url, await registerRoot(tight.url))
      const limitedOps = ops.filter((o) => (SEND_LIMITED.http as readonly string[]).includes(o.key))
      expect(limitedOps).toHaveLength(SEND_LIMITED.http.length)
      const sockets = { member: await connect(tight.url, f.users.member.accessToken), groupAdmin: await connect(tight.url, f.users.groupAdmin.accessToken) }
      const answers = new Map<string, number>()
      // Valid requests half the time (they spend the budget), near misses the other half.
      const validOrNot = (valid: unknown) => fc.oneof(fc.constant(valid), mutate(valid))
      const arb = fc.record({
        who: fc.constantFrom('member' as const, 'groupAdmin' as const),
        target: fc.oneof(
          fc.constantFrom(...limitedOps).chain((op) => validOrNot(HTTP_ROWS[op.key]!.body).map((body) => ({ op, body }))),
          fc.constantFrom(...SEND_LIMITED.events).chain((event) => validOrNot(EVENT_ROWS[event]!.payload).map((payload) => ({ event, payload })))
        )
      })
      await fc.assert(
        fc.asyncProperty(arb, async ({ who, target }) => {
          const values = { ...f.values, unique: Math.random().toString(36).slice(2, 12) }
          let answer: { status: number; error?: { code: string; retryAfterMs?: number } }
          if ('op' in target) {
            const row = HTTP_ROWS[target.op.key]!
            const res = await api(tight.url, target.op.method, fill(row.path, values) as string, {
              token: f.users[who].accessToken,
              body: fill(target.body, values),
              ...(row.headers ? { headers: fill(row.headers, values) as Record<string, string> } : {})
            })
            answer = { status: res.status, error: (res.body as { error?: { code: string; retryAfterMs?: number } }).error }
          } else {
            const ack = await emitAck(sockets[who], target.event, fill(target.payload, values))
            answer = ack.ok ? { status: 200 } : { status: ack.error.code === 'rate_limited' ? 429 : 400, error: ack.error }
          }
          const name = 'op' in target ? target.op.key : target.event
          expect(answer.status, `${name} → ${JSON.stringify(answer)}`).toBeLessThan(500)
          if (answer.error) expect(answer.error.code).not.toBe('internal')
          if (answer.error?.code === 'rate_limited') expect(answer.error.retryAfterMs, name).toBeGreaterThan(0)
          const key = `${name} ${answer.error?.code ?? 'ok'}`
          answers.set(key, (answers.get(key) ?? 0) + 1)
        }),
        { numRuns: 200, seed: seed(), endOnFailure: true }
      )
      for (const s of Object.values(sockets)) s.close()
      // Every limited row met its limit.
      for (const name of [...SEND_LIMITED.http, ...SEND_LIMITED.events]) expect(answers.get(`${name} rate_limited`), name).toBeGreaterThan(0)
    } finally {
      await tight.destroy()
    }
  })

  it('afterwards the server is up and its data directory is valid', async () => {
    expect((await api(srv.url, 'GET', '/health')).status).toBe(200)
    await srv.stop()
    expect(await dataDirProblems(srv.dataDir)).toEqual([])
  })
})
