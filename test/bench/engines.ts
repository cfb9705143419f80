// Which storage engines a server benchmark runs on, the PostgreSQL databases
// it creates for them, the code of an older commit to compare with, and the
// CPU PostgreSQL spends on a database (its processes are not ours, so
// process.cpuUsage() never sees it).
//
//   BENCH_ENGINE=data-dir|postgres|both   default data-dir
//   BENCH_DATABASE_URL (or MESSENGER_TEST_DATABASE_URL)   a PostgreSQL server and a role with CREATEDB
//   BENCH_BASELINE_DIR=/path/to/a/checkout   its server as one more contender on the data directory
//   BENCH_KEEP_DATA=1   keep the databases (and data directories) afterwards
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { log } from './util'
import { redactUrl } from '../../server/store/postgres/pool'

export type Engine = 'data-dir' | 'postgres'

export function benchEngines(env: NodeJS.ProcessEnv = process.env): Engine[] {
  const raw = env['BENCH_ENGINE'] ?? 'data-dir'
  switch (raw) {
    case '':
    case 'data-dir':
      return ['data-dir']
    case 'postgres':
      return ['postgres']
    case 'both':
      return ['data-dir', 'postgres']
    default:
      throw new Error(`BENCH_ENGINE must be data-dir, postgres or both, got ${raw}`)
  }
}

export const keepData = (): boolean => process.env['BENCH_KEEP_DATA'] === '1'

/** The PostgreSQL server databases are created on (its own database is only connected to). */
export function adminDatabaseUrl(): string {
  const url = process.env['BENCH_DATABASE_URL'] || process.env['MESSENGER_TEST_DATABASE_URL']
  if (!url) {
    throw new Error(
      'BENCH_ENGINE asks for PostgreSQL: set BENCH_DATABASE_URL (or MESSENGER_TEST_DATABASE_URL) to ' +
        'postgres://user:pass@host:5432/db for a role with CREATEDB'
    )
  }
  return url
}

/** A checkout of an older commit whose server runs as one more contender (BENCH_BASELINE_DIR), or null. */
export interface Baseline {
  dir: string
  /** Its commit, short. */
  commit: string
}

export function baseline(): Baseline | null {
  const raw = process.env['BENCH_BASELINE_DIR']
  if (!raw) return null
  const dir = resolve(raw)
  if (!existsSync(join(dir, 'server/index.ts'))) throw new Error(`BENCH_BASELINE_DIR=${raw}: no server/index.ts there`)
  if (!existsSync(join(dir, 'node_modules'))) throw new Error(`BENCH_BASELINE_DIR=${raw}: no node_modules (npm ci there, or symlink this checkout's)`)
  let commit: string
  try {
    commit = execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    // not a git checkout: name it by its directory
    commit = dir
  }
  return { dir, commit }
}

/** The baseline's module at `path` (relative to its checkout), e.g. 'server/index.ts'. */
export function baselineModule<T>(b: { dir: string }, path: string): Promise<T> {
  return import(join(b.dir, path)) as Promise<T>
}

export interface BenchDatabase {
  url: string
  name: string
  /** Drops it (ending its connections) unless BENCH_KEEP_DATA=1; safe to call twice. */
  drop(): Promise<void>
}

/** Names of the databases this benchmark creates: only these are ever dropped. */
const PREFIX = 'messenger_bench_'
const run = randomBytes(4).toString('hex')
let made = 0

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, application_name: 'messenger-bench' })
  client.on('error', () => undefined)
  await client.connect()
  return client
}

/** A new, empty database messenger_bench_<run>_<n>_<label> on the configured server. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const base = adminDatabaseUrl()
  const name = `${PREFIX}${run}_${++made}_${label.replace(/[^a-z0-9]/g, '').slice(0, 20)}`
  const admin = await connect(base).catch((err: unknown) => {
    throw new Error(`cannot reach PostgreSQL at ${redactUrl(base)}: ${(err as Error).message}`, { cause: err })
  })
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end().catch(() => undefined)
  }
  const url = new URL(base)
  url.pathname = `/${name}`
  let dropped = false
  return {
    url: url.toString(),
    name,
    drop: async () => {
      if (dropped) return
      dropped = true
      if (keepData()) {
        log(`  database ${name} kept (BENCH_KEEP_DATA=1)`)
        return
      }
      const client = await connect(base)
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end().catch(() => undefined)
      }
    }
  }
}


/** CPU microseconds of PostgreSQL's processes at one moment, by pid. */
export interface PgCpuSample {
  /** Processes serving the database: its client backends and autovacuum workers. */
  backends: Record<number, number>
  /** The cluster's own processes (WAL writer, checkpointer, background writer, launchers), shared by all its databases. */
  aux: Record<number, number>
}

export interface PgCpuUsed {
  backendUs: number
  auxUs: number
  /** Backends that ended between the samples: their CPU since the first is missing. */
  gone: number
}

export const noPgCpu: PgCpuUsed = { backendUs: 0, auxUs: 0, gone: 0 }

let ticksPerSecond = 0
function clockTicks(): number {
  if (ticksPerSecond) return ticksPerSecond
  try {
    ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    ticksPerSecond = 100
  }
  return ticksPerSecond
}

/** utime + stime of a PostgreSQL process (µs), or null if it is gone or is not one (another pid namespace). */
function processCpuUs(pid: number): number | null {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  const open = stat.indexOf('(')
  const close = stat.lastIndexOf(')')
  if (!stat.slice(open + 1, close).startsWith('postgres')) return null
  const fields = stat.slice(close + 2).split(' ')
  // Fields 14 and 15 of proc(5), counted after the state (field 3).
  return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1e6
}

/**
 * Samples the CPU of the PostgreSQL processes serving one database (found in
 * pg_stat_activity, read from /proc/<pid>/stat), and of the cluster's
 * auxiliary processes. Needs the server on this machine; elsewhere `available`
 * is false and every reading is NaN.
 */
export class PgCpu {
  private constructor(
    private readonly client: pg.Client,
    private readonly database: string,
    readonly available: boolean
  ) {}

  /** Connects to `url`'s database: the connection's own backend is left out of the sums. */
  static async open(url: string): Promise<PgCpu> {
    const client = await connect(url)
    const database = decodeURIComponent(new URL(url).pathname.slice(1))
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    const available = processCpuUs(rows[0]!.pid) !== null
    if (!available) log(`  PostgreSQL at ${redactUrl(url)} is not on this machine (or not visible in /proc): its CPU is not measured`)
    return new PgCpu(client, database, available)
  }

  async sample(): Promise<PgCpuSample> {
    const sample: PgCpuSample = { backends: {}, aux: {} }
    if (!this.available) return sample
    const { rows } = await this.client.query<{ pid: number; datname: string | null }>(
      `SELECT pid, datname FROM pg_stat_activity
       WHERE (datname = $1 AND pid <> pg_backend_pid()) OR (datname IS NULL AND backend_type IS DISTINCT FROM 'client backend')`,
      [this.database]
    )
    for (const { pid, datname } of rows) {
      const us = processCpuUs(pid)
      if (us !== null) (datname === null ? sample.aux : sample.backends)[pid] = us
    }
    return sample
  }

  /** CPU used between two samples; NaN when not measured. */
  used(before: PgCpuSample, after: PgCpuSample): PgCpuUsed {
    if (!this.available) return { backendUs: NaN, auxUs: NaN, gone: 0 }
    const sum = (a: Record<number, number>, b: Record<number, number>): number =>
      Object.entries(b).reduce((n, [pid, us]) => n + us - (a[Number(pid)] ?? 0), 0)
    const gone = Object.keys(before.backends).filter((pid) => !(pid in after.backends)).length
    return { backendUs: sum(before.backends, after.backends), auxUs: sum(before.aux, after.aux), gone }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined)
  }
}

export function addPgCpu(a: PgCpuUsed, b: PgCpuUsed): PgCpuUsed {
  return { backendUs: a.backendUs + b.backendUs, auxUs: a.auxUs + b.auxUs, gone: a.gone + b.gone }
}

/** The PostgreSQL server's version and the settings that decide what a commit costs, for the report. */
export async function describePostgres(url: string): Promise<string> {
  const client = await connect(url)
  try {
    const { rows } = await client.query<{ version: string; sync: string; fsync: string; wal_sync: string; buffers: string }>(
      `SELECT current_setting('server_version') AS version, current_setting('synchronous_commit') AS sync,
         current_setting('fsync') AS fsync, current_setting('wal_sync_method') AS wal_sync, current_setting('shared_buffers') AS buffers`
    )
    const r = rows[0]!
    const host = new URL(url).hostname
    return `PostgreSQL ${r.version} on ${host} (synchronous_commit ${r.sync}, fsync ${r.fsync}, wal_sync_method ${r.wal_sync}, shared_buffers ${r.buffers})`
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Whether a directory of this checkout (relative to its root) holds exactly the same files as in the baseline's. */
export function sameAsBaseline(b: Baseline, relDir: string): boolean {
  const ours = resolve(import.meta.dirname, '../..', relDir)
  const theirs = join(b.dir, relDir)
  const list = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
  try {
    const names = list(ours)
    if (JSON.stringify(names) !== JSON.stringify(list(theirs))) return false
    return names.every((name) => {
      const a = join(ours, name)
      if (statSync(a).isDirectory()) return true
      return readFileSync(a).equals(readFileSync(join(theirs, name)))
    })
  } catch {
    return false
  }
}
