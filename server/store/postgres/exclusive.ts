// Jobs that run once per organisation (retention, the upload sweep): a
// session advisory lock, tried without waiting on a connection held for the
// run. A node that cannot take it skips its round; when the node holding it
// dies, its session ends, the lock with it, and another node takes it at its
// next round.
import { withSessionLock } from './advisory'
import { mapError, type Pool } from './pool'

/** The text whose hashtextextended(…, 0) is a job's advisory lock key. */
export const jobLockName = (name: string): string => `messenger-job:${name}`

export async function exclusive(pool: Pool, name: string, job: (lost: AbortSignal) => Promise<void>): Promise<boolean> {
  try {
    return (await withSessionLock(pool, { text: jobLockName(name) }, 'try', (_client, lost) => job(lost))).ran
  } catch (err) {
    throw mapError(err)
  }
}
