// The PostgreSQL engine: every repository in one database, so several server
// processes can share it. File bytes still live in the data directory.
import { silentLogger, type Logger } from '../../logger'
import type { Store } from '../types'
import { PgAdminRepo } from './admin'
import { PgContactRepo } from './contacts'
import { PgConversationRepo } from './conversations'
import { PgFileRepo } from './files'
import { PgMessageRepo } from './messages'
import { migrate } from './migrate'
import { createPool, describeError, describeTarget, redactMessage } from './pool'
import { PgSearch } from './search'
import { PgTokenRepo } from './tokens'
import { PgUserRepo } from './users'

export interface PostgresStoreOptions {
  /** Stamps messages and cursor moves (tests move it); default the system clock. */
  now?: () => number
  log?: Logger
  /** Most connections this process opens (default 20). */
  poolMax?: number
}

/**
 * Connects, brings the schema up to date and answers the Store. Fails at once
 * with where it tried (host, port, database; never the password) when the
 * database cannot be reached, rather than on the first request.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const log = options.log ?? silentLogger()
  const now = options.now ?? Date.now
  const pool = createPool(url, { max: options.poolMax ?? 20, log })
  try {
    try {
      const client = await pool.connect()
      client.release()
    } catch (err) {
      throw new Error(`cannot reach PostgreSQL at ${describeTarget(url)}: ${redactMessage(describeError(err), url)}`, { cause: err })
    }
    const { applied } = await migrate(pool, log)
    log.info({ engine: 'postgres', database: describeTarget(url), migrations: applied }, 'opened the PostgreSQL store')
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw err
  }
  const messages = new PgMessageRepo(pool, now)
  return {
    engine: 'postgres',
    users: new PgUserRepo(pool),
    conversations: new PgConversationRepo(pool, now),
    tokens: new PgTokenRepo(pool),
    contacts: new PgContactRepo(pool),
    admin: new PgAdminRepo(pool),
    files: new PgFileRepo(pool),
    messages,
    search: new PgSearch(pool),
    close: async () => {
      try {
        await messages.close()
      } finally {
        await pool.end()
      }
    }
  }
}
