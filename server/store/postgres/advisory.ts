// Session advisory locks held on a connection of their own for as long as
// some work runs. The lock lives exactly as long as that session: a process
// that dies (kill -9 included) gives it up with its connection, and a lock
// that cannot be given back is ended by destroying the connection. Migrations
// wait for theirs, sections one at a time per key wait (the pool's
// lock_timeout bounds it), once-per-organisation jobs only try.
import { isConnectionError, mapError, type Pool, type PoolClient } from './pool'

/** A text key (hashed to the bigint a lock takes; a collision only serializes two keys), or a bigint as a decimal string. */
export type AdvisoryKey = { text: string } | { bigint: string }

export type Locked<T> = { ran: true; value: T } | { ran: false }

/**
 * Takes the lock (`wait`: blocking; `try`: not at all if it is held elsewhere,
 * answering `{ ran: false }`), runs `work`, gives the lock back. `lost`
 * aborts when the connection breaks meanwhile: the lock is gone, so work that
 * must be exclusive should stop at a safe point. Errors taking the lock are
 * thrown as PostgreSQL reported them (a caller may look at their code);
 * those of `work` unchanged.
 */
export async function withSessionLock<T>(
  pool: Pool,
  key: AdvisoryKey,
  mode: 'wait' | 'try',
  work: (client: PoolClient, lost: AbortSignal) => Promise<T>
): Promise<Locked<T>> {
  let client: PoolClient
  try {
    client = await pool.connect()
  } catch (err) {
    throw mapError(err)
  }
  const [arg, expr] = 'text' in key ? [key.text, 'hashtextextended($1, 0)'] : [key.bigint, '$1::bigint']
  const lost = new AbortController()
  let broken: Error | undefined
  // Heard so a connection lost between statements cannot crash the process.
  const onError = (err: Error): void => {
    broken ??= err
    lost.abort(err)
  }
  client.on('error', onError)
  try {
    try {
      const sql = mode === 'try' ? `SELECT pg_try_advisory_lock(${expr}) AS taken` : `SELECT pg_advisory_lock(${expr}), true AS taken`
      const { rows } = await client.query<{ taken: boolean }>(sql, [arg])
      if (rows[0]?.taken !== true) return { ran: false }
    } catch (err) {
      if (isConnectionError(err)) broken ??= err as Error
      throw err
    }
    try {
      return { ran: true, value: await work(client, lost.signal) }
    } finally {
      if (!broken) {
        const released = await client.query<{ ok: boolean }>(`SELECT pg_advisory_unlock(${expr}) AS ok`, [arg]).then(
          (r) => r.rows[0]?.ok === true,
          (err: unknown) => {
            broken ??= err instanceof Error ? err : new Error(String(err))
            return false
          }
        )
        if (!released) broken ??= new Error(`advisory lock ${arg} was not held at its release`)
      }
    }
  } finally {
    client.removeListener('error', onError)
    client.release(broken)
  }
}
