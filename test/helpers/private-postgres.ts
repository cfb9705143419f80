// A private, throwaway PostgreSQL server for one test file, so a test can stop
// it (as `pg_ctlcluster … stop -m immediate` would) and start it again without
// touching the shared server the other tests use. initdb into a temp
// directory, started on a free loopback port with fsync and synchronous
// commits on, with a password-authenticated role that owns one database.
//
// PostgreSQL refuses to run as root: as root (CI), initdb and pg_ctl run as
// the `postgres` system user, in a temp directory it owns; otherwise as the
// current user. The binaries are found through `pg_config --bindir`, else the
// newest /usr/lib/postgresql/*/bin.
//
// Without the binaries the rules of engines.ts apply: outside CI the test is
// skipped with one line saying why; under CI=true (where .ci/run installs
// PostgreSQL) their absence fails the run.
import { execFile, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { stablePort } from './ports'

const BINARIES = ['initdb', 'pg_ctl', 'postgres']

/** How long pg_ctl may wait for a start or a stop (crash recovery included). */
const PG_CTL_WAIT_S = 60

export interface PrivatePostgres {
  /** postgres://role:password@127.0.0.1:port/database: the role owns the database and logs in with a password. */
  url: string
  port: number
  /** The temp directory: data/, the socket, log. */
  dir: string
  running(): boolean
  /** `pg_ctl stop -m immediate`: every backend is killed at once, nothing is flushed or checkpointed, and the next start runs crash recovery. */
  stopImmediate(): Promise<void>
  /** Starts it again on the same port and data directory; resolves once it accepts connections. */
  start(): Promise<void>
  /** Stops it (immediately) and removes its directory; safe to call twice. */
  destroy(): Promise<void>
  /** The server's log so far (to explain a failure). */
  log(): Promise<string>
}

/** The directory holding initdb, pg_ctl and postgres, or null. */
export function postgresBinDir(): string | null {
  const candidates: string[] = []
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
  } catch {
    // No pg_config (it comes with libpq-dev or the server): look where Debian installs servers.
  }
  try {
    const versions = readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
    candidates.push(...versions.map((v) => `/usr/lib/postgresql/${v}/bin`))
  } catch {
    // No /usr/lib/postgresql.
  }
  return candidates.find((dir) => dir !== '' && BINARIES.every((bin) => existsSync(join(dir, bin)))) ?? null
}

const isRoot = (): boolean => process.getuid?.() === 0

/** uid and gid of the postgres system user (to run as, when we are root), or null. */
function postgresUser(): { uid: number; gid: number } | null {
  try {
    const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim())
    return { uid: id('-u'), gid: id('-g') }
  } catch {
    return null
  }
}

/** Why a private server cannot be started here, or null if it can. */
function missing(): string | null {
  if (!postgresBinDir()) return 'no PostgreSQL server binaries (initdb, pg_ctl, postgres) found through pg_config or in /usr/lib/postgresql/*/bin'
  if (isRoot() && !postgresUser()) return 'running as root, and there is no `postgres` system user to run PostgreSQL as (it refuses to run as root)'
  return null
}

let skipNoted = false

/**
 * Whether a test that needs a private PostgreSQL server runs: true when the
 * binaries are here; false outside CI after printing one line saying why
 * (once per file); throws under CI=true.
 */
export function privatePostgresAvailable(what: string): boolean {
  const why = missing()
  if (!why) return true
  if (process.env['CI'] === 'true') {
    throw new Error(`${what} needs a PostgreSQL server of its own, and is required in CI (CI=true): ${why}; install PostgreSQL (Debian: apt-get install postgresql)`)
  }
  if (!skipNoted) {
    skipNoted = true
    process.stdout.write(`${what} skipped: ${why}; install PostgreSQL (Debian: apt-get install postgresql) to run it\n`)
  }
  return false
}

function runuserPath(): string | null {
  return ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p)) ?? null
}

const shellQuote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`

/** The command line that runs `bin args` as the user PostgreSQL runs as. */
function asPostgres(bin: string, args: string[]): [string, string[]] {
  if (!isRoot()) return [bin, args]
  const runuser = runuserPath()
  if (runuser) return [runuser, ['-u', 'postgres', '--', bin, ...args]]
  return ['su', ['postgres', '-s', '/bin/sh', '-c', `exec ${[bin, ...args].map(shellQuote).join(' ')}`]]
}

/** A clean environment: no PG* variable of the developer's (or of .ci/run) may point a tool elsewhere. */
function toolEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' }
}

function run(bin: string, args: string[], cwd: string, timeoutMs = (PG_CTL_WAIT_S + 30) * 1000): Promise<string> {
  const [file, argv] = asPostgres(bin, args)
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd, env: toolEnv(), timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${[bin, ...args].join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`, { cause: err }))
      else resolve(stdout)
    })
  })
}

/** Directories of servers still running in this process, stopped on exit whatever happens to the test. */
const live = new Map<string, () => void>()
let exitHooked = false
function stopOnExit(dir: string, stopSync: () => void): void {
  live.set(dir, stopSync)
  if (exitHooked) return
  exitHooked = true
  process.once('exit', () => {
    for (const stop of live.values()) stop()
  })
}

export interface PrivatePostgresOptions {
  /** max_connections (default 60); several server nodes need more, each pools up to 24. */
  maxConnections?: number
}

/**
 * initdb, start, and a role that owns a database. Call `destroy()` in
 * afterAll (it also runs, synchronously, when the process exits).
 */
export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const why = missing()
  if (why) throw new Error(`cannot start a private PostgreSQL: ${why}`)
  const bindir = postgresBinDir()!
  const bin = (name: string): string => join(bindir, name)
  const dir = await mkdtemp(join(tmpdir(), 'messenger-pg-'))
  const user = isRoot() ? postgresUser() : null
  if (user) await chown(dir, user.uid, user.gid)
  const data = join(dir, 'data')
  const logFile = join(dir, 'log')
  const port = await stablePort()
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=${options.maxConnections ?? 60}`
  let running = false
  let destroyed = false

  const pgCtl = (args: string[]): Promise<string> => run(bin('pg_ctl'), ['-D', data, ...args], dir)
  const stopImmediate = async (): Promise<void> => {
    await pgCtl(['-m', 'immediate', '-w', '-t', String(PG_CTL_WAIT_S), 'stop'])
    running = false
  }
  const start = async (): Promise<void> => {
    try {
      await pgCtl(['-l', logFile, '-o', serverOptions, '-w', '-t', String(PG_CTL_WAIT_S), 'start'])
    } catch (err) {
      const log = await readFile(logFile, 'utf8').catch(() => '')
      throw new Error(`${(err as Error).message}\nserver log:\n${log.slice(-4000)}`, { cause: err })
    }
    running = true
  }
  const stopSync = (): void => {
    if (!running) return
    try {
      const [file, argv] = asPostgres(bin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'])
      execFileSync(file, argv, { cwd: dir, env: toolEnv(), stdio: 'ignore', timeout: 30_000 })
    } catch {
      // Exiting anyway; a server left behind is found by its directory name (messenger-pg-*).
    }
    running = false
    rmSync(dir, { recursive: true, force: true })
  }
  const destroy = async (): Promise<void> => {
    if (destroyed) return
    destroyed = true
    try {
      if (running) await stopImmediate()
    } finally {
      live.delete(dir)
      await rm(dir, { recursive: true, force: true })
    }
  }

  try {
    // Trust only on the socket, inside a directory nobody else may enter; over TCP a password.
    await run(bin('initdb'), ['-D', data, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync'], dir)
    stopOnExit(dir, stopSync)
    await start()
    const role = 'messenger'
    const database = 'messenger'
    const password = randomBytes(12).toString('hex')
    const admin = new pg.Client({ host: dir, port, user: 'postgres', database: 'postgres' })
    admin.on('error', () => undefined)
    await admin.connect()
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`)
      await admin.query(`CREATE DATABASE ${database} OWNER ${role}`)
    } finally {
      await admin.end().catch(() => undefined)
    }
    return {
      url: `postgres://${role}:${password}@127.0.0.1:${port}/${database}`,
      port,
      dir,
      running: () => running,
      stopImmediate,
      start,
      destroy,
      log: () => readFile(logFile, 'utf8').catch(() => '')
    }
  } catch (err) {
    await destroy().catch(() => undefined)
    throw err
  }
}
