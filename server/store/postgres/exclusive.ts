// Jobs that run once per organisation (retention, the upload sweep): a
// session advisory lock, tried without waiting on a connection held for the
// run. A node that cannot take it skips its round; when the node holding it
// dies, its session ends, the lock with it, and another node takes it at its
// next round.
import { isConnectionError, mapError, type Pool } from './pool'

/** The text whose hashtextextended(…, 0) is a job's advisory lock key. */
export const jobLockName = (name: string): string => `messenger-job:${name}`

export async function exclusive(pool: Pool, name: string, job: (lost: AbortSignal) => Promise<void>): Promise<boolean> {
  let client
  try {
    client = await pool.connect()
  } catch (err) {
    throw mapError(err)
  }
  const lost = new AbortController()
  let broken: Error | undefined
  // The connection breaking mid-run ends the lock: the job hears it and stops at a safe point.
  const onError = (err: Error): void => {
    broken = err
    lost.abort(err)
  }
  client.on('error', onError)
  // hashtextextended: the job's name as the bigint an advisory lock takes.
  const key = jobLockName(name)
  try {
    let taken: boolean
    try {
      taken = (await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS taken', [key])).rows[0]?.taken === true
    } catch (err) {
      if (isConnectionError(err)) broken ??= err as Error
      throw mapError(err)
    }
    if (!taken) return false
    try {
      await job(lost.signal)
    } finally {
      if (!broken) {
        await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch((err: unknown) => {
          // Not given back: the session must end so the lock does.
          broken = err instanceof Error ? err : new Error(String(err))
        })
      }
    }
    return true
  } finally {
    client.removeListener('error', onError)
    client.release(broken)
  }
}
