// The connection pool and the two ways every repository talks to PostgreSQL:
// `query` (one statement, autocommit) and `transaction`. Both turn a lost or
// refused connection into AppError('unavailable'), so HTTP answers 503 and
// socket acks `unavailable` instead of 500 while the database restarts.
import pg from 'pg'
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg'
import { AppError } from '../../errors'
import type { Logger } from '../../logger'

export type { Pool, PoolClient }
/** A pool (autocommit) or a client inside a transaction. */
export type Queryable = Pool | PoolClient

export interface PoolOptions {
  /** Most connections open at once (default 20). */
  max?: number
  log?: Logger
  /** Settings every connection of the pool starts with (sent as libpq `options`). */
  settings?: Record<string, string>
}

const INT8 = 20
const INT8_ARRAY = 1016

/**
 * Parsers for this pool only (pg.types is global and shared with anything
 * else in the process): bigint columns hold seqs, epoch milliseconds and byte
 * sizes, all below 2^53, so they come back as numbers, not strings.
 */
function typeParsers(): pg.TypeOverrides {
  const types = new pg.TypeOverrides()
  types.setTypeParser(INT8, (value: string) => Number(value))
  // pg's own array parser, before the override: it gives strings.
  const parseArray = types.getTypeParser(INT8_ARRAY) as unknown as (value: string) => (string | null)[]
  types.setTypeParser(INT8_ARRAY, (value: string) => parseArray(value).map((v) => (v === null ? null : Number(v))))
  return types
}

export function createPool(url: string, { max = 20, log, settings = {} }: PoolOptions = {}): Pool {
  const options = Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`).join(' ')
  const pool = new pg.Pool({
    connectionString: url,
    ...(options ? { options } : {}),
    max,
    application_name: 'messenger-server',
    types: typeParsers(),
    // A connection that cannot be had in this time (database gone, or every
    // connection busy for that long) fails the request as `unavailable`
    // rather than leaving it hanging.
    connectionTimeoutMillis: 10_000,
    // Finds connections the network dropped silently (a restarted router, a
    // suspended database host) instead of waiting on them forever.
    keepAlive: true,
    // A transaction left open (a bug, a process frozen mid-way) would hold its
    // row locks, a token family's say, for ever: the server ends it instead.
    idle_in_transaction_session_timeout: 60_000
  })
  // An idle connection that breaks (PostgreSQL restarted, the network
  // dropped) is reported here; without a listener it would crash the
  // process. The pool has already discarded it and opens new ones on demand.
  pool.on('error', (err) => {
    log?.warn({ err: { message: redactMessage(err.message, url), code: errorCode(err) } }, 'an idle PostgreSQL connection failed; it will be replaced')
  })
  return pool
}

/** The URL without its password, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = ''
    if (parsed.searchParams.has('password')) parsed.searchParams.delete('password')
    return parsed.toString()
  } catch {
    // Not a URL (a libpq key=value string): strip what looks like a password.
    return url.replace(/(password\s*=\s*)('[^']*'|\S+)/gi, '$1***').replace(/(\/\/[^:/@]*):[^@]*@/, '$1@')
  }
}

/** Removes the URL's password from a message that might quote it. */
export function redactMessage(message: string, url: string): string {
  let password: string
  try {
    password = decodeURIComponent(new URL(url).password)
  } catch {
    return message
  }
  return password ? message.split(password).join('***') : message
}

/** Where a URL points, as `host:port/database`, the way pg itself resolves it (defaults and PG* variables included). */
export function describeTarget(url: string): string {
  try {
    const client = new pg.Client({ connectionString: url })
    return `${client.host}:${client.port}/${client.database ?? ''}`
  } catch {
    return redactUrl(url)
  }
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'])
// admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300'])
const POOL_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /connection ended/i]

/** Whether `err` means the database could not be reached or dropped the connection (not that a statement failed). */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof AppError) return err.code === 'unavailable'
  const code = errorCode(err)
  if (code && (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))) return true
  // Node reports a refused connection to every address of a host as one AggregateError.
  if (err instanceof AggregateError) return err.errors.some(isConnectionError)
  const message = err instanceof Error ? err.message : ''
  return POOL_MESSAGES.some((re) => re.test(message))
}

/** A readable reason, also for errors without a message (an AggregateError has none). */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && !err.message) {
    const first: unknown = err.errors[0]
    return first instanceof Error ? first.message : (errorCode(err) ?? 'connection failed')
  }
  if (err instanceof Error) return err.message || errorCode(err) || err.name
  return String(err)
}

/** Text PostgreSQL cannot store: a NUL (U+0000), or what the database's encoding lacks. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05'])

/**
 * Connection failures become AppError('unavailable'), text the database
 * cannot take (a client's NUL character) AppError('validation_failed');
 * anything else is passed on as is.
 */
export function mapError(err: unknown): unknown {
  if (err instanceof AppError) return err
  if (UNSTORABLE_TEXT.has(errorCode(err) ?? '')) {
    return new AppError('validation_failed', 'a text holds the NUL character (U+0000) or another character this server cannot store')
  }
  if (!isConnectionError(err)) return err
  return new AppError('unavailable', `the database is unavailable: ${describeError(err)}`)
}

export async function query<R extends QueryResultRow = QueryResultRow>(db: Queryable, text: string, values?: unknown[]): Promise<QueryResult<R>> {
  try {
    return await db.query<R>(text, values)
  } catch (err) {
    throw mapError(err)
  }
}

/**
 * `query` as a named prepared statement: each connection parses and plans it
 * once, then only binds and executes it. For the statements of every send
 * (membership check, append, cursor move), where planning cost about as much
 * as running. `name` must stand for this one text.
 */
export async function prepared<R extends QueryResultRow = QueryResultRow>(db: Queryable, name: string, text: string, values: unknown[]): Promise<QueryResult<R>> {
  try {
    return await db.query<R>({ name, text, values })
  } catch (err) {
    throw mapError(err)
  }
}

async function connect(pool: Pool): Promise<PoolClient> {
  try {
    return await pool.connect()
  } catch (err) {
    throw mapError(err)
  }
}

/**
 * Runs `fn` inside BEGIN … COMMIT on one connection, rolling back if it
 * throws. A connection that failed is destroyed (release(err)), never handed
 * to the next caller half-broken.
 */
export async function transaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await connect(pool)
  let broken: Error | undefined
  // A connection lost between two statements is reported as an 'error' event
  // on the checked-out client (the pool listens only to idle ones): unheard,
  // it would crash the process. The next statement fails and says why.
  const onError = (err: Error): void => {
    broken = err
  }
  client.on('error', onError)
  try {
    await client.query('BEGIN')
    const result = await fn(client)
    await client.query('COMMIT')
    return result
  } catch (err) {
    if (isConnectionError(err)) {
      broken = err instanceof Error ? err : new Error(String(err))
    } else {
      await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr))
      })
    }
    throw mapError(err)
  } finally {
    client.removeListener('error', onError)
    client.release(broken)
  }
}

/** A unique constraint that `err` violated, if that is what it is. */
export function uniqueViolation(err: unknown): string | undefined {
  if (errorCode(err) !== '23505') return undefined
  return (err as { constraint?: string }).constraint ?? ''
}
