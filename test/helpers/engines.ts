// Which storage engine a test runs on, and the one place that knows how tests
// reach PostgreSQL. MESSENGER_TEST_DATABASE_URL names a PostgreSQL server and
// a role with CREATEDB; every server (or store) a test starts gets a database
// of its own, created from it and dropped afterwards.
//
// The rules: without the variable, PostgreSQL runs are skipped with one line
// saying how to enable them, except under CI=true, where they are required
// and its absence fails the run. With the variable set, a server that cannot
// be reached (or a role that cannot create databases) fails the run with the
// reason: never a silent skip.
import { randomBytes } from 'node:crypto'
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Client } from 'pg'
import { redactUrl } from '../../server/store/postgres/pool'

export type Engine = 'data-dir' | 'postgres'

export const DATABASE_URL_VAR = 'MESSENGER_TEST_DATABASE_URL'

export const SKIP_LINE = `PostgreSQL runs skipped: set ${DATABASE_URL_VAR}=postgres://user:pass@127.0.0.1:5432/db (a role with CREATEDB) to run them`

/** Names of the databases tests create: only these are ever dropped. */
const PREFIX = 'messenger_t_'

/** Where a test server's data directory remembers its database, so a restart on that directory finds the same one. */
export const DATABASE_URL_FILE = '.test-database-url'

/** The engine the current vitest project runs on (the -pg projects set MESSENGER_TEST_ENGINE). */
export function testEngine(): Engine {
  return process.env['MESSENGER_TEST_ENGINE'] === 'postgres' ? 'postgres' : 'data-dir'
}

/**
 * What the environment asks for, decided without a connection (for the vitest
 * config): 'run' (the URL is set), 'skip' (unset, not CI) or 'required' (unset
 * under CI: postgresAvailability() throws).
 */
export function postgresPlan(env: NodeJS.ProcessEnv = process.env): 'run' | 'skip' | 'required' {
  if (env[DATABASE_URL_VAR]) return 'run'
  return env['CI'] === 'true' ? 'required' : 'skip'
}

// Per process, not per module: vitest evaluates this module again for every test file.
interface ProcessState {
  skipNoted?: boolean
  reachable?: Promise<void>
}
const STATE_KEY = Symbol.for('messenger.test.engines')
function processState(): ProcessState {
  const global = globalThis as { [STATE_KEY]?: ProcessState }
  return (global[STATE_KEY] ??= {})
}

/** Prints the skip line, once per process. */
export function noteSkipped(): void {
  const state = processState()
  if (state.skipNoted) return
  state.skipNoted = true
  process.stdout.write(`${SKIP_LINE}\n`)
}

/**
 * Whether PostgreSQL runs happen: 'run' once the server answered (checked once
 * per process), 'skip' (after printing the line) when the variable is unset
 * outside CI. Throws under CI without the variable, and when the server is
 * unreachable or the role cannot create databases.
 */
export async function postgresAvailability(): Promise<'run' | 'skip'> {
  const plan = postgresPlan()
  if (plan === 'required') {
    throw new Error(
      `${DATABASE_URL_VAR} is not set, and PostgreSQL runs are required in CI (CI=true): ` +
        `set it to postgres://user:pass@host:5432/db for a role with CREATEDB`
    )
  }
  if (plan === 'skip') {
    noteSkipped()
    return 'skip'
  }
  const state = processState()
  state.reachable ??= checkServer(adminUrl())
  await state.reachable
  return 'run'
}

function adminUrl(): string {
  const url = process.env[DATABASE_URL_VAR]
  if (!url) throw new Error(`${DATABASE_URL_VAR} is not set: PostgreSQL runs need it (${SKIP_LINE})`)
  return url
}


async function connect(url: string): Promise<Client> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
  // An idle client whose server goes away emits 'error'; unhandled, it would end the test process.
  client.on('error', () => undefined)
  await client.connect()
  return client
}

async function checkServer(url: string): Promise<void> {
  let client: Client
  try {
    new URL(url)
  } catch {
    throw new Error(`${DATABASE_URL_VAR} is not a URL: expected postgres://user:pass@host:5432/db`)
  }
  try {
    client = await connect(url)
  } catch (err) {
    throw new Error(`${DATABASE_URL_VAR}=${redactUrl(url)} could not connect: ${(err as Error).message}`, { cause: err })
  }
  try {
    const { rows } = await client.query<{ allowed: boolean; version: number }>(
      `SELECT (rolcreatedb OR rolsuper) AS allowed, current_setting('server_version_num')::int AS version FROM pg_roles WHERE rolname = current_user`
    )
    const row = rows[0]
    if (!row?.allowed) throw new Error(`${DATABASE_URL_VAR}=${redactUrl(url)}: the role may not create databases (it needs CREATEDB)`)
    if (row.version < 130000) throw new Error(`${DATABASE_URL_VAR}=${redactUrl(url)}: PostgreSQL 13 or newer is needed (found ${row.version})`)
  } finally {
    await client.end().catch(() => undefined)
  }
}

export interface FreshDatabase {
  /** The new database's URL: the configured one with another database name. */
  url: string
  name: string
  /** Drops it, ending its connections first; safe to call twice. */
  drop(): Promise<void>
}

/** Databases this test file created and has not dropped yet (module state: one set per test file). */
const created = new Map<string, FreshDatabase>()

/**
 * A new, empty database on the configured server, named messenger_t_<random>
 * (`label`, what it is for, is its comment: it tells a leftover's origin).
 * Dropped by `drop()`, or at the end of the test file (postgres-setup.ts).
 */
export async function freshDatabase(label: string): Promise<FreshDatabase> {
  if ((await postgresAvailability()) === 'skip') throw new Error(`a PostgreSQL database was asked for, but ${DATABASE_URL_VAR} is not set (${SKIP_LINE})`)
  const base = adminUrl()
  const name = `${PREFIX}${randomBytes(8).toString('hex')}`
  const client = await connect(base)
  try {
    await client.query(`CREATE DATABASE ${name}`)
    await client.query(`COMMENT ON DATABASE ${name} IS ${literal(`${label} (pid ${process.pid})`)}`)
  } finally {
    await client.end().catch(() => undefined)
  }
  const url = new URL(base)
  url.pathname = `/${name}`
  const db: FreshDatabase = {
    url: url.toString(),
    name,
    drop: async () => {
      created.delete(name)
      await dropDatabase(name)
    }
  }
  created.set(name, db)
  return db
}

/** Drops a database made by freshDatabase, by name or URL, ending its connections first. */
export async function dropDatabase(nameOrUrl: string): Promise<void> {
  const name = nameOrUrl.includes('://') ? decodeURIComponent(new URL(nameOrUrl).pathname.slice(1)) : nameOrUrl
  if (!new RegExp(`^${PREFIX}[0-9a-f]+$`).test(name)) throw new Error(`refusing to drop ${name}: not a test database`)
  created.delete(name)
  const client = await connect(adminUrl())
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(async (err: unknown) => {
      // FORCE may not end a session of another role (an autovacuum worker) without pg_signal_backend;
      // a plain DROP cancels autovacuum itself, once the test's own connections are gone.
      if ((err as { code?: string }).code !== '42501') throw err
      await dropWhenFree(client, name)
    })
  } finally {
    await client.end().catch(() => undefined)
  }
}

async function dropWhenFree(client: Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name}`)
      return
    } catch (err) {
      // 55006: still in use by a connection that is closing.
      if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

/** Drops every database this test file created and did not drop (a test that stopped its server without destroying it). */
export async function dropCreatedDatabases(): Promise<void> {
  const left = [...created.values()]
  const results = await Promise.allSettled(left.map((db) => db.drop()))
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed.length > 0) throw new AggregateError(failed.map((f) => f.reason as unknown), `could not drop ${failed.length} test database(s)`)
}

const pending = new Map<string, Promise<string>>()

/**
 * The database of a test server's data directory on the postgres engine (null
 * on the data-dir engine): the one named in <dataDir>/.test-database-url, or a
 * fresh one, then written there, so every server started on the directory
 * (a restart, a crash test's next life) finds the same data.
 */
export async function databaseForDataDir(dataDir: string): Promise<string | null> {
  if (testEngine() !== 'postgres') return null
  const file = join(dataDir, DATABASE_URL_FILE)
  let url = pending.get(file)
  if (!url) {
    url = (async () => {
      const known = await readFile(file, 'utf8').then(
        (text) => text.trim(),
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return ''
          throw err
        }
      )
      if (known) return known
      const db = await freshDatabase(`data dir ${dataDir}`)
      await mkdir(dataDir, { recursive: true })
      await writeFile(file, `${db.url}\n`, { mode: 0o600 })
      return db.url
    })()
    pending.set(file, url)
    url.catch(() => pending.delete(file))
  }
  return url
}

/** Drops the database of a data directory, if it has one (postgres engine). */
export async function dropDatabaseOfDataDir(dataDir: string): Promise<void> {
  if (testEngine() !== 'postgres') return
  const file = join(dataDir, DATABASE_URL_FILE)
  pending.delete(file)
  const url = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    () => ''
  )
  if (url) await dropDatabase(url)
}

/** Every row of every table of a database, as JSON objects by table (to check what is, or is not, at rest). */
export async function databaseRows(url: string): Promise<{ table: string; row: Record<string, unknown> }[]> {
  const client = await connect(url)
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`
    )
    const out: { table: string; row: Record<string, unknown> }[] = []
    for (const { schema, name } of tables.rows) {
      const rows = await client.query<{ row: Record<string, unknown> }>(`SELECT row_to_json(t) AS row FROM ${ident(schema)}.${ident(name)} t`)
      for (const { row } of rows.rows) out.push({ table: `${schema}.${name}`, row })
    }
    return out
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Runs one statement on a database (a test reaching under the server, e.g. to delete its certificate). */
export async function runSql<R extends Record<string, unknown> = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = await connect(url)
  try {
    return (await client.query<R>(text, values)).rows
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Everything a database holds, as one text. */
export async function databaseText(url: string): Promise<string> {
  return (await databaseRows(url)).map(({ row }) => JSON.stringify(row)).join('\n')
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}
