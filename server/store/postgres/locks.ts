// Sections that run one at a time per key across every server process on the
// database: a session advisory lock per key, taken on a connection of a small
// pool of its own, so sections waiting for a lock never hold the connections
// that the running sections' queries need.
import { OneAtATimePerKey } from '../../../src/node/one-at-a-time'
import { AppError } from '../../errors'
import type { KeyedLock } from '../types'
import { isConnectionError, mapError, type Pool } from './pool'

/** A lock held longer than this by another process (one frozen mid-section) fails the waiter as busy rather than hanging it. */
export const LOCK_WAIT = '15s'

export class PgKeyedLock implements KeyedLock {
  /** One waiter per key per process: the others queue here, not on connections. */
  private readonly local = new OneAtATimePerKey()

  /** `pool`: its own, with lock_timeout set to LOCK_WAIT. */
  constructor(private readonly pool: Pool) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.locked(key, task))
  }

  private async locked<T>(key: string, task: () => Promise<T>): Promise<T> {
    let client
    try {
      client = await this.pool.connect()
    } catch (err) {
      throw mapError(err)
    }
    let broken: Error | undefined
    const onError = (err: Error): void => {
      broken = err
    }
    client.on('error', onError)
    // hashtextextended: any text key as the bigint an advisory lock takes (a collision only serializes two keys).
    const lockKey = `messenger:${key}`
    try {
      try {
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lockKey])
      } catch (err) {
        if (isConnectionError(err)) broken = err as Error
        // lock_not_available: another process held it for all of LOCK_WAIT.
        if ((err as { code?: unknown }).code === '55P03') throw new AppError('unavailable', 'the server is busy with the same change on another node; try again')
        throw mapError(err)
      }
      try {
        return await task()
      } finally {
        // A lock that cannot be given back ends with its session: the connection is destroyed.
        const released = await client.query<{ ok: boolean }>('SELECT pg_advisory_unlock(hashtextextended($1, 0)) AS ok', [lockKey]).then(
          (r) => r.rows[0]?.ok === true,
          (err: unknown) => {
            broken ??= err instanceof Error ? err : new Error(String(err))
            return false
          }
        )
        if (!released) broken ??= new Error(`advisory lock ${lockKey} was not held at its release`)
      }
    } finally {
      client.removeListener('error', onError)
      client.release(broken)
    }
  }
}
