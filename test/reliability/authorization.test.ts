// Authorization matrix: every REST operation and socket event, for each kind
// of caller, asserted from one table (authz-table.ts). The operations come
// from the server's OpenAPI document and the events from the protocol, so a
// new route or event fails here until its row is added.
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { connect, emitAck } from '../helpers/socket'
import { CALLS_KEPT, EVENT_ROWS, HTTP_ROWS, METRICS_TOKEN, ROLES, SEND_LIMITED, type Cell, type Expect, type Role } from './authz-table'
import { scaledSendLimits } from '../../server/services/send-limits'
import { buildFixture, fill, registerRoot, type Fixture } from './helpers/fixture'
import type { TestUser } from '../helpers/http'
import { assertCovered, clientEvents, operations, type Operation } from './helpers/registry'
import { mapLimit } from '../bench/util'

let srv: TestServer
let ops: Operation[]
let root: TestUser

beforeAll(async () => {
  // Budgets counted, but far above what the table's calls take (each allowed cell's user is fresh anyway).
  srv = await startServer({ loginLimit: { windowMs: 60_000, max: 100_000 }, sendLimits: scaledSendLimits(100), metricsToken: METRICS_TOKEN, ...CALLS_KEPT })
  root = await registerRoot(srv.url)
  ops = await operations(srv.url)
})
afterAll(async () => {
  await srv.destroy()
})

interface Outcome {
  status: number
  code?: string
}

function values(f: Fixture, role: Role): Record<string, string | number> {
  const self = role === 'anonymous' ? f.users.groupAdmin : f.users[role]
  return { ...f.values, self: self.user.id, selfRefresh: self.refreshToken, unique: randomUUID().slice(0, 12).replace(/-/g, '') }
}

async function callHttp(key: string, f: Fixture, role: Role, url = srv.url): Promise<Outcome & { retryAfterMs?: number }> {
  const row = HTTP_ROWS[key]!
  const method = key.split(' ')[0]!
  const v = values(f, role)
  const res = await api(url, method, fill(row.path, v) as string, {
    ...(role === 'anonymous' ? {} : { token: f.users[role].accessToken }),
    ...(row.body !== undefined ? { body: fill(row.body, v) } : {}),
    ...(row.bytes ? { bytes: Buffer.from(row.bytes.data), headers: row.bytes.headers } : {}),
    ...(row.headers ? { headers: fill(row.headers, v) as Record<string, string> } : {}),
    ...(row.root ? { root: true } : {})
  })
  const error = (res.body as { error?: { code: string; retryAfterMs?: number } } | undefined)?.error
  return { status: res.status, code: error?.code, ...(error?.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) }
}

const ACK_STATUS: Record<string, number> = { forbidden: 403, not_found: 404, validation_failed: 400, conflict: 409, rate_limited: 429 }

async function callEvent(event: string, f: Fixture, role: Role): Promise<Outcome> {
  if (role === 'anonymous') {
    const refused = await connect(srv.url, undefined).then(
      (s) => (s.close(), null),
      (err: { data?: { code?: string } }) => err.data?.code
    )
    return refused ? { status: 401, code: refused } : { status: 200 }
  }
  const socket = await connect(srv.url, f.users[role].accessToken)
  try {
    const ack = await emitAck(socket, event, fill(EVENT_ROWS[event]!.payload, values(f, role)))
    return ack.ok ? { status: 200 } : { status: ACK_STATUS[ack.error.code] ?? 500, code: ack.error.code }
  } finally {
    socket.close()
  }
}

function judge(cell: Cell, role: Role, got: Outcome): string | null {
  const shown = `${got.status}${got.code ? ` ${got.code}` : ''}`
  if (cell === 'allow') return got.status >= 200 && got.status < 300 ? null : `expected allow, got ${shown}`
  if (typeof cell === 'number') return got.status === cell ? null : `expected ${cell}, got ${shown}`
  const denied = role === 'anonymous' ? got.status === 401 : got.status === 403 || got.status === 404
  return denied ? null : `expected deny (${role === 'anonymous' ? '401' : '403/404'}), got ${shown}`
}

/**
 * Runs one row: the cells that must be refused share one fixture (a refusal
 * changes nothing), each allowed cell gets its own (it may change it).
 */
async function runRow(name: string, expectRow: Expect, call: (f: Fixture, role: Role) => Promise<Outcome>): Promise<string[]> {
  const problems: string[] = []
  const shared = await buildFixture(srv.url, root)
  const check = async (f: Fixture, role: Role): Promise<void> => {
    const problem = judge(expectRow[role], role, await call(f, role))
    if (problem) problems.push(`${name} as ${role}: ${problem}`)
  }
  for (const role of ROLES.filter((r) => expectRow[r] !== 'allow')) await check(shared, role)
  for (const role of ROLES.filter((r) => expectRow[r] === 'allow')) await check(await buildFixture(srv.url, root), role)
  return problems
}

describe('authorization matrix', () => {
  it('has a row for every REST operation of the OpenAPI document', () => {
    assertCovered('REST operation', ops.map((o) => o.key), Object.keys(HTTP_ROWS))
  })

  it('has a row for every client event of the protocol', () => {
    assertCovered('socket event', clientEvents(), Object.keys(EVENT_ROWS))
  })

  it('every protected operation refuses anonymous callers and every public one admits them', () => {
    for (const op of ops) {
      const anonymous = HTTP_ROWS[op.key]?.expect.anonymous
      if (anonymous === undefined) continue
      expect(anonymous === 'allow', `${op.key}: table says anonymous ${String(anonymous)}, document says auth=${op.auth}`).toBe(!op.auth)
    }
  })

  it('REST: every cell as the table says', { timeout: 300_000 }, async () => {
    const keys = ops.map((o) => o.key).filter((k) => k in HTTP_ROWS)
    const problems = (await mapLimit(keys, 4, (key) => runRow(key, HTTP_ROWS[key]!.expect, (f, r) => callHttp(key, f, r)))).flat()
    expect(problems).toEqual([])
  })

  it('the send-limited rows, past a tiny budget, answer 429 rate_limited with when to retry', { timeout: 120_000 }, async () => {
    const two = { rate: { points: 1, durationMs: 60_000 }, burst: { points: 1, durationMs: 60_000 } }
    const tight = await startServer({ sendLimits: { messages: two, edits: two, reactions: two, uploads: two } })
    try {
      const tightRoot = await registerRoot(tight.url)
      const problems: string[] = []
      // The fixture's member sent a message and two uploads already: the rows that allow the group's
      // admin too run as the admin, whose budgets are whole; edits (own messages only) as the member.
      const callerOf = (name: string): Role => (name.includes('PATCH') || name === 'message:edit' ? 'member' : 'groupAdmin')
      const judgeThird = (name: string, outcomes: (Outcome & { retryAfterMs?: number })[]): void => {
        const shown = outcomes.map((o) => `${o.status}${o.code ? ` ${o.code}` : ''}`).join(', ')
        const [first, second, third] = outcomes
        const ok = first!.status < 300 && second!.status < 300 && third!.status === 429 && third!.code === 'rate_limited' && (third!.retryAfterMs ?? 0) > 0
        if (!ok) problems.push(`${name} as ${callerOf(name)}: expected 2xx, 2xx, 429 rate_limited with retryAfterMs; got ${shown}`)
      }
      for (const key of SEND_LIMITED.http) {
        // A fresh fixture each: every row spends its own caller's budget.
        const f = await buildFixture(tight.url, tightRoot)
        const outcomes = []
        for (let i = 0; i < 3; i++) outcomes.push(await callHttp(key, f, callerOf(key), tight.url))
        judgeThird(key, outcomes)
      }
      for (const event of SEND_LIMITED.events) {
        const f = await buildFixture(tight.url, tightRoot)
        const who = callerOf(event)
        const socket = await connect(tight.url, f.users[who as 'member' | 'groupAdmin'].accessToken)
        const outcomes = []
        for (let i = 0; i < 3; i++) {
          const ack = await emitAck(socket, event, fill(EVENT_ROWS[event]!.payload, values(f, who)))
          outcomes.push(ack.ok ? { status: 200 } : { status: ACK_STATUS[ack.error.code] ?? 500, code: ack.error.code, retryAfterMs: ack.error.retryAfterMs })
        }
        socket.close()
        judgeThird(event, outcomes)
      }
      expect(problems).toEqual([])
    } finally {
      await tight.destroy()
    }
  })

  it('socket events: every cell as the table says', { timeout: 300_000 }, async () => {
    const events = clientEvents().filter((e) => e in EVENT_ROWS)
    const problems = (await mapLimit(events, 4, (event) => runRow(event, EVENT_ROWS[event]!.expect, (f, r) => callEvent(event, f, r)))).flat()
    expect(problems).toEqual([])
  })
})
