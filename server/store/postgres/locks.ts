// Sections that run one at a time per key across every server process on the
// database: a session advisory lock per key, taken on a connection of a small
// pool of its own, so sections waiting for a lock never hold the connections
// that the running sections' queries need.
import { OneAtATimePerKey } from '../../../src/node/one-at-a-time'
import { AppError } from '../../errors'
import type { KeyedLock } from '../types'
import { withSessionLock } from './advisory'
import { mapError, type Pool } from './pool'

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
    try {
      // The task runs on the store's other connections; this one only holds the lock.
      const locked = await withSessionLock(this.pool, { text: `messenger:${key}` }, 'wait', () => task())
      return (locked as { ran: true; value: T }).value
    } catch (err) {
      // lock_not_available: another process held it for all of LOCK_WAIT.
      if ((err as { code?: unknown }).code === '55P03') throw new AppError('unavailable', 'the server is busy with the same change on another node; try again')
      throw mapError(err)
    }
  }
}
