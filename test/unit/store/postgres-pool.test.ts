// The PostgreSQL engine's plumbing: connection errors as `unavailable`,
// passwords kept out of messages, per-pool type parsers, migrations under
// the advisory lock, and a pool that outlives a database restart (played by a
// TCP proxy in front of the real server that is cut and brought back).
import { connect, createServer, type Server, type Socket } from 'node:net'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../server/errors'
import type { Logger } from '../../../server/logger'
import { openPostgresStore } from '../../../server/store/postgres'
import { migrate } from '../../../server/store/postgres/migrate'
import { MIGRATIONS } from '../../../server/store/postgres/migrations/index'
import { createPool, describeTarget, isConnectionError, mapError, query, redactUrl, transaction } from '../../../server/store/postgres/pool'
import { createScratchDatabase, SKIP_NOTE, TEST_DATABASE_URL, type ScratchDatabase } from './postgres-scratch'

/** A port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function fakeLogger(): Logger & { warn: ReturnType<typeof vi.fn> } {
  const log = { warn: vi.fn(), info: vi.fn(), error: vi.fn(), debug: vi.fn() }
  return log as unknown as Logger & { warn: ReturnType<typeof vi.fn> }
}

describe('connection errors and URLs (no database needed)', () => {
  it('redactUrl drops the password, wherever it is', () => {
    expect(redactUrl('postgres://me:s3cret@db.lan:5433/chat')).toBe('postgres://me@db.lan:5433/chat')
    expect(redactUrl('postgres://me@db.lan/chat?password=s3cret&sslmode=require')).toBe('postgres://me@db.lan/chat?sslmode=require')
    expect(redactUrl('postgres://db.lan/chat')).toBe('postgres://db.lan/chat')
    expect(redactUrl('host=db.lan password=s3cret dbname=chat')).not.toContain('s3cret')
  })

  it('describeTarget names host, port and database as pg resolves them', () => {
    expect(describeTarget('postgres://me:s3cret@db.lan:5433/chat')).toBe('db.lan:5433/chat')
  })

  it('connection-level failures become AppError unavailable; statement errors pass through', () => {
    const errno = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code })
    for (const err of [
      errno('ECONNREFUSED'),
      errno('ECONNRESET'),
      errno('ENOTFOUND'),
      errno('ETIMEDOUT'),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([errno('ECONNREFUSED'), errno('ECONNREFUSED')], '')
    ]) {
      expect(isConnectionError(err)).toBe(true)
      const mapped = mapError(err)
      expect(mapped).toBeInstanceOf(AppError)
      expect((mapped as AppError).code).toBe('unavailable')
      expect((mapped as AppError).status).toBe(503)
      expect((mapped as AppError).message).toMatch(/^the database is unavailable: \S/)
    }
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' })
    expect(mapError(unique)).toBe(unique)
  })

  it('opening a store where nothing listens names the place, never the password', async () => {
    const port = await deadPort()
    const err: unknown = await openPostgresStore(`postgres://messenger:s3cret-pw@127.0.0.1:${port}/messenger`).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect((err as Error).message).toMatch(new RegExp(`^cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}/messenger: .*ECONNREFUSED`))
    expect((err as Error).message).not.toContain('s3cret-pw')
  })

  it('a query and a transaction on an unreachable database reject as unavailable', async () => {
    const pool = createPool(`postgres://messenger:pw@127.0.0.1:${await deadPort()}/messenger`, { max: 2 })
    try {
      await expect(query(pool, 'SELECT 1')).rejects.toMatchObject({ code: 'unavailable' })
      await expect(transaction(pool, (c) => query(c, 'SELECT 1'))).rejects.toMatchObject({ code: 'unavailable' })
    } finally {
      await pool.end()
    }
  })
})

describe.skipIf(!TEST_DATABASE_URL)(`PostgreSQL pool and migrations${SKIP_NOTE}`, () => {
  let db: ScratchDatabase

  beforeAll(async () => {
    db = await createScratchDatabase('pool')
  })

  afterAll(async () => {
    await db?.drop()
  })

  it('servers migrating at the same moment take turns: one applies, the others find it done', async () => {
    const pools = Array.from({ length: 4 }, () => createPool(db.url, { max: 2 }))
    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool)))
      const labels = MIGRATIONS.map((m) => `${String(m.version).padStart(3, '0')}_${m.name}`)
      expect(results.filter((r) => r.applied.length > 0)).toEqual([{ applied: labels }])
      const { rows } = await query<{ version: number; name: string }>(pools[0]!, 'SELECT version, name FROM schema_migrations ORDER BY version')
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })))
      expect(await migrate(pools[1]!)).toEqual({ applied: [] })
    } finally {
      await Promise.all(pools.map((pool) => pool.end()))
    }
  })

  it('a failing migration is rolled back whole, named, and releases the lock', async () => {
    const pool = createPool(db.url, { max: 2 })
    try {
      const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_column FROM half_done;' }]
      await expect(migrate(pool, undefined, broken)).rejects.toThrow(/database migration \d{3}_broken failed: column "no_such_column" does not exist/)
      const { rows } = await query<{ t: string | null }>(pool, "SELECT to_regclass('half_done')::text AS t")
      expect(rows[0]!.t).toBeNull()
      // The lock was released: another run gets it at once.
      expect(await migrate(pool)).toEqual({ applied: [] })
      await expect(migrate(pool, undefined, [MIGRATIONS[1]!])).rejects.toThrow(/out of order/)
    } finally {
      await pool.end()
    }
  })

  it('bigint comes back as a number on this pool only', async () => {
    const pool = createPool(db.url, { max: 1 })
    const plain = new pg.Client({ connectionString: db.url })
    try {
      const { rows } = await query<{ n: number; a: number[]; s: number }>(
        pool,
        'SELECT 9007199254740991::bigint AS n, ARRAY[1, NULL, 3]::bigint[] AS a, sum(x)::bigint AS s FROM (VALUES (1::bigint), (2::bigint)) AS v(x)'
      )
      expect(rows[0]).toEqual({ n: 9007199254740991, a: [1, null, 3], s: 3 })
      await plain.connect()
      const other = await plain.query<{ n: unknown }>('SELECT 5::bigint AS n')
      expect(other.rows[0]!.n).toBe('5')
    } finally {
      await plain.end()
      await pool.end()
    }
  })

  it('connections killed while idle or inside a transaction: logged or unavailable, then the pool carries on', async () => {
    const log = fakeLogger()
    const pool = createPool(db.url, { max: 4, log })
    const admin = new pg.Client({ connectionString: db.url })
    await admin.connect()
    const killAll = () =>
      admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'messenger-server'", [db.name])
    try {
      // Four idle connections.
      await Promise.all(Array.from({ length: 4 }, () => query(pool, 'SELECT pg_sleep(0.05)')))
      expect(pool.idleCount).toBe(4)
      await killAll()
      await vi.waitFor(() => expect(log.warn).toHaveBeenCalledTimes(4))
      expect(pool.idleCount).toBe(0)
      expect(log.warn.mock.calls[0]![1]).toMatch(/idle PostgreSQL connection failed/)
      expect((await query<{ one: number }>(pool, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }])

      // Killed between two statements of a transaction, and during one.
      const between = transaction(pool, async (client) => {
        await query(client, 'SELECT 1')
        await new Promise((resolve) => setTimeout(resolve, 300))
        await query(client, 'SELECT 2')
      })
      const during = transaction(pool, (client) => query(client, 'SELECT pg_sleep(5)'))
      // Heard from now on: either may fail before the kill's own answer arrives.
      const settled = Promise.allSettled([between, during])
      await new Promise((resolve) => setTimeout(resolve, 100))
      await killAll()
      const outcomes = await settled
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected')
        expect((outcome as PromiseRejectedResult).reason).toMatchObject({ code: 'unavailable' })
      }
      expect(await transaction(pool, async (client) => (await query<{ two: number }>(client, 'SELECT 2 AS two')).rows[0]!.two)).toBe(2)
    } finally {
      await admin.end()
      await pool.end()
    }
  })

  it('through a database restart: unavailable while it is down, back by itself once it is up', async () => {
    const target = new URL(db.url)
    const upstream = { host: target.hostname, port: Number(target.port || 5432) }
    const sockets = new Set<Socket>()
    const proxy: { server: Server | null } = { server: null }
    const port = await deadPort()
    const start = () =>
      new Promise<void>((resolve) => {
        const server = createServer((client) => {
          const up = connect(upstream.port, upstream.host)
          for (const s of [client, up]) {
            sockets.add(s)
            s.on('error', () => s.destroy())
            s.on('close', () => sockets.delete(s))
          }
          client.pipe(up).pipe(client)
          client.on('close', () => up.destroy())
          up.on('close', () => client.destroy())
        })
        proxy.server = server
        server.listen(port, '127.0.0.1', resolve)
      })
    const stop = () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        const server = proxy.server
        proxy.server = null
        if (server) server.close(() => resolve())
        else resolve()
      })

    await start()
    const url = new URL(db.url)
    url.hostname = '127.0.0.1'
    url.port = String(port)
    const log = fakeLogger()
    const store = await openPostgresStore(url.toString(), { log, poolMax: 3 })
    try {
      await store.users.create({ id: 'u1', username: 'ann', usernameLower: 'ann', displayName: 'Ann', statusText: '', passwordHash: 'h', createdAt: new Date().toISOString() })
      await stop()
      await expect(store.users.byId('u1')).rejects.toMatchObject({ code: 'unavailable' })
      await expect(store.tokens.change('f', () => ({ save: false, result: 1 }))).rejects.toMatchObject({ code: 'unavailable' })
      await start()
      expect((await store.users.byId('u1'))?.username).toBe('ann')
      expect(await store.tokens.change('f', (f) => ({ save: false, result: f ?? null }))).toBeNull()
    } finally {
      await store.close()
      await stop()
    }
  })
})
