// Jobs that run once per organisation (retention, the upload sweep) on
// several nodes of one database: a round runs on one node at a time, a node
// that finds another running it skips its round, and when the node holding
// the job's lock is gone (its database session ended) another node takes it
// at its next round. Two in-process servers, each with its data directory,
// on one fresh database; a test transaction holding the conversations'
// counter rows keeps a round in the middle of its work for as long as the
// test needs it there.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import pg from 'pg'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Logger } from '../../server/logger'
import { jobLockName } from '../../server/store/postgres/exclusive'
import { openPostgresStore } from '../../server/store/postgres'
import { freshDatabase, type FreshDatabase } from '../helpers/engines'
import { waitFor } from '../helpers/files'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'

const DAY = 24 * 3600 * 1000
let db: FreshDatabase
let raw: pg.Pool
let skew = 0
const clock = (): number => Date.now() + skew
const nodes: { server: TestServer; logs: Record<string, unknown>[]; token: string }[] = []
let admin: TestUser

/** A logger whose JSON lines (debug and up) land in `lines`. */
function capture(lines: Record<string, unknown>[]): Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>)
      done()
    }
  })
  return pino({ level: 'debug' }, sink)
}

const said = (node: number, msg: string): boolean => nodes[node]!.logs.some((l) => l['msg'] === msg)
const SKIPPED = 'retention skipped this round: another node is running it'
const DELETED = 'retention deleted old messages'

async function chat(title: string): Promise<string> {
  const res = await api(nodes[0]!.server.url, 'POST', '/conversations', { token: nodes[0]!.token, body: { kind: 'group', title, memberIds: [] } })
  return res.body.conversation.id as string
}

async function say(conversationId: string, text: string): Promise<void> {
  const res = await api(nodes[0]!.server.url, 'POST', `/conversations/${conversationId}/messages`, { token: nodes[0]!.token, body: { clientId: randomUUID(), text } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
}

/** What node 1 shows of a conversation now. */
async function texts(conversationId: string): Promise<string[]> {
  const res = await api(nodes[1]!.server.url, 'GET', `/conversations/${conversationId}/messages?after=0`, { token: nodes[1]!.token })
  return (res.body.messages as { text: string }[]).map((m) => m.text)
}

/** Sets retention through a node: that node runs a round at once. */
async function setRetention(node: number, days: number): Promise<void> {
  const res = await api(nodes[node]!.server.url, 'PATCH', '/admin/settings', { token: nodes[node]!.token, body: { retentionDays: days } })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
}

/** Holds every conversation's counter row: a retention round that reaches one waits there until `release`. */
async function holdCounters(): Promise<{ release: () => Promise<void> }> {
  const client = await raw.connect()
  await client.query('BEGIN')
  await client.query('SELECT conversation_id FROM message_counters FOR UPDATE')
  return {
    release: async () => {
      await client.query('COMMIT')
      client.release()
    }
  }
}

/** Sessions of the servers waiting for a row lock (a retention round held by holdCounters). */
async function waitingForRows(): Promise<number> {
  const { rows } = await raw.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
  )
  return rows[0]!.n
}

/** Sessions holding the retention job's lock. */
async function retentionHolders(): Promise<number[]> {
  const { rows } = await raw.query<{ pid: number }>(
    `SELECT pid FROM pg_locks, hashtextextended($1, 0) AS k
     WHERE locktype = 'advisory' AND granted AND objsubid = 1
       AND classid = ((k >> 32) & 4294967295)::oid AND objid = (k & 4294967295)::oid`,
    [jobLockName('retention')]
  )
  return rows.map((r) => r.pid)
}

beforeAll(async () => {
  db = await freshDatabase('jobs on two nodes')
  raw = new pg.Pool({ connectionString: db.url, max: 3 })
  raw.on('error', () => undefined)
  for (let i = 0; i < 2; i++) {
    const logs: Record<string, unknown>[] = []
    const dataDir = await mkdtemp(join(tmpdir(), `messenger-jobs-${i}-`))
    const server = await startServer({ databaseUrl: db.url, clock, logger: capture(logs) }, dataDir)
    if (i === 0) admin = await register(server.url)
    const login = await api(server.url, 'POST', '/auth/login', { body: { username: admin.user.username, password: admin.password } })
    nodes.push({ server, logs, token: login.body.accessToken as string })
  }
})
afterAll(async () => {
  for (const node of nodes) {
    await node.server.stop()
    await rm(node.server.dataDir, { recursive: true, force: true })
  }
  await raw?.end()
  await db?.drop()
})

describe('retention on two nodes', () => {
  it('a round runs on one node: the other, asked meanwhile, skips it; what the round deletes is gone on both', async () => {
    const first = await chat('first')
    await say(first, 'old news')
    skew = 10 * DAY
    await say(first, 'fresh news')

    const held = await holdCounters()
    try {
      await setRetention(0, 7)
      await waitFor(async () => (await waitingForRows()) === 1)
      expect(await retentionHolders()).toHaveLength(1)
      // Node 1 is asked for a round while node 0's is under way.
      await setRetention(1, 8)
      await waitFor(() => Promise.resolve(said(1, SKIPPED)))
    } finally {
      await held.release()
    }
    await waitFor(async () => (await texts(first)).length === 1)
    expect(await texts(first)).toEqual(['fresh news'])
    expect(said(0, DELETED)).toBe(true)
    expect(said(1, DELETED)).toBe(false)
    expect(said(0, SKIPPED)).toBe(false)
  })

  it('when the node running a round is gone (its session ended), the other takes the job at its next round and does all of it', async () => {
    const second = await chat('second')
    const third = await chat('third')
    await say(second, 'second, old')
    await say(third, 'third, old')
    skew = 20 * DAY
    await say(second, 'second, fresh')
    await say(third, 'third, fresh')
    const skippedBefore = nodes[1]!.logs.filter((l) => l['msg'] === SKIPPED).length

    const held = await holdCounters()
    try {
      await setRetention(0, 9)
      await waitFor(async () => (await waitingForRows()) === 1)
      const [holder] = await retentionHolders()
      // Node 0's lock session dies as a killed node's would: it stops after the conversation it is in.
      await raw.query('SELECT pg_terminate_backend($1)', [holder])
      await waitFor(async () => (await retentionHolders()).length === 0)
      await setRetention(1, 10)
      // Node 1 took the job and reached a held row too.
      await waitFor(async () => (await waitingForRows()) === 2)
      expect(await retentionHolders()).toHaveLength(1)
    } finally {
      await held.release()
    }
    // Every conversation expired, also those node 0 never reached after losing the lock.
    await waitFor(async () => (await texts(second)).length === 1 && (await texts(third)).length === 1)
    expect(await texts(second)).toEqual(['second, fresh'])
    expect(await texts(third)).toEqual(['third, fresh'])
    expect(said(1, DELETED)).toBe(true)
    expect(nodes[1]!.logs.filter((l) => l['msg'] === SKIPPED)).toHaveLength(skippedBefore)
  })
})

describe('Store.exclusive on one database', () => {
  it('a second store skips a job the first runs, and runs it once the first is done', async () => {
    const a = await openPostgresStore(db.url)
    const b = await openPostgresStore(db.url)
    try {
      let finish!: () => void
      const running = new Promise<void>((resolve) => (finish = resolve))
      let started!: () => void
      const inside = new Promise<void>((resolve) => (started = resolve))
      const first = a.exclusive('test-job', async () => {
        started()
        await running
      })
      await inside
      let ran = false
      expect(await b.exclusive('test-job', () => Promise.resolve(void (ran = true)))).toBe(false)
      expect(ran).toBe(false)
      // Another job's name is free meanwhile.
      expect(await b.exclusive('other-job', () => Promise.resolve())).toBe(true)
      finish()
      expect(await first).toBe(true)
      expect(await b.exclusive('test-job', () => Promise.resolve(void (ran = true)))).toBe(true)
      expect(ran).toBe(true)
    } finally {
      await a.close()
      await b.close()
    }
  })
})
