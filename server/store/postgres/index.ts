// The PostgreSQL engine: every repository in one database, so several server
// processes can share it. File bytes still live in the data directory.
import { silentLogger, type Logger } from '../../logger'
import type { Store } from '../types'
import { PgAdminRepo } from './admin'
import { PgContactRepo } from './contacts'
import { PgConversationRepo } from './conversations'
import { PgMentionRepo } from './mentions'
import { PgDraftRepo } from './drafts'
import { PgNotificationPrefsRepo } from './notification-prefs'
import { PgScheduledRepo } from './scheduled'
import { exclusive } from './exclusive'
import { PgFileRepo } from './files'
import { LOCK_WAIT, PgKeyedLock } from './locks'
import { PgMessageRepo } from './messages'
import { migrate } from './migrate'
import { createPool, describeError, describeTarget, query, redactMessage, type Pool } from './pool'
import { PgNotices } from './notices'
import { PgPinRepo, PgSavedRepo } from './pins-saved'
import { PgSearch } from './search'
import { PgSecretRepo } from './secrets'
import { SessionMark } from './session-mark'
import { PgThreadRepo } from './threads'
import { PgTokenRepo } from './tokens'
import { PgUserGroupRepo } from './user-groups'
import { PgBotRepo, PgWebhookRepo } from './hooks'
import { PgUserRepo } from './users'

export interface PostgresStoreOptions {
  /** Stamps messages and cursor moves (tests move it); default the system clock. */
  now?: () => number
  log?: Logger
  /** Most connections this process opens (default 20). */
  poolMax?: number
  /** Told how long each statement appending new messages took, commit included, in seconds (the metrics' histogram). */
  onDurableWrite?: (seconds: number) => void
}

/**
 * Connects, brings the schema up to date and answers the Store. Fails at once
 * with where it tried (host, port, database; never the password) when the
 * database cannot be reached, rather than on the first request.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const log = options.log ?? silentLogger()
  const now = options.now ?? Date.now
  let pool = createPool(url, { max: options.poolMax ?? 20, log })
  let settings: Record<string, string> | null
  try {
    try {
      const client = await pool.connect()
      client.release()
    } catch (err) {
      throw new Error(`cannot reach PostgreSQL at ${describeTarget(url)}: ${redactMessage(describeError(err), url)}`, { cause: err })
    }
    settings = await durableCommitSettings(pool, log)
    if (settings) {
      await pool.end()
      pool = createPool(url, { max: options.poolMax ?? 20, log, settings })
    }
    const { applied } = await migrate(pool, log)
    log.info({ engine: 'postgres', database: describeTarget(url), migrations: applied }, 'opened the PostgreSQL store')
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw err
  }
  const messages = new PgMessageRepo(pool, now, options.onDurableWrite)
  // Read and delivered cursors and last-seen times are written through
  // sessions with synchronous_commit off: the commit is visible at once but
  // does not wait for its WAL flush (about 1.6x the cursor moves per second
  // here). What a crash of the database host can lose is the last ~0.6 s
  // (3 x wal_writer_delay) of such moves: a badge or a tick, never a message.
  const soft = createPool(url, { max: 4, log, settings: { ...settings, synchronous_commit: 'off' } })
  // Sections one at a time across nodes (sign-ups, changes between two people) hold a connection each while they run.
  const locks = createPool(url, { max: 8, log, settings: { ...settings, lock_timeout: LOCK_WAIT } })
  const session = new SessionMark(pool, log)
  const notices = new PgNotices(url, pool, log)
  return {
    engine: 'postgres',
    historyEpoch: null,
    users: new PgUserRepo(pool, soft),
    conversations: new PgConversationRepo(pool, now, soft),
    tokens: new PgTokenRepo(pool),
    contacts: new PgContactRepo(pool),
    admin: new PgAdminRepo(pool),
    userGroups: new PgUserGroupRepo(pool),
    webhooks: new PgWebhookRepo(pool),
    bots: new PgBotRepo(pool),
    pins: new PgPinRepo(pool),
    saved: new PgSavedRepo(pool),
    drafts: new PgDraftRepo(pool),
    notificationPrefs: new PgNotificationPrefsRepo(pool),
    scheduled: new PgScheduledRepo(pool),
    files: new PgFileRepo(pool, session),
    messages,
    mentions: new PgMentionRepo(soft),
    threads: new PgThreadRepo(pool),
    search: new PgSearch(pool),
    secrets: new PgSecretRepo(pool),
    locks: new PgKeyedLock(locks),
    notices,
    exclusive: (name, job) => exclusive(pool, name, job),
    close: async () => {
      try {
        await notices.close()
        await session.close()
        await messages.close()
      } finally {
        await Promise.all([pool.end(), soft.end(), locks.end()])
      }
    }
  }
}

/**
 * A send is acknowledged only after its commit reached the disk. Where the
 * database is set to `synchronous_commit = off` (which acknowledges commits
 * before they are flushed), this server's sessions turn it back on; stronger
 * settings (remote_write, remote_apply for synchronous standbys) are kept.
 */
async function durableCommitSettings(pool: Pool, log: Logger): Promise<Record<string, string> | null> {
  const { rows } = await query<{ synchronous_commit: string }>(pool, 'SHOW synchronous_commit')
  if (rows[0]?.synchronous_commit !== 'off') return null
  log.warn('PostgreSQL has synchronous_commit = off; this server turns it on for its own sessions so an acknowledged message is on disk')
  return { synchronous_commit: 'on' }
}
