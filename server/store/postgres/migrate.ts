// Brings the schema up to date at start. Each migration runs in its own
// transaction and is recorded in schema_migrations; all of it happens under a
// session advisory lock held on one dedicated connection, so servers starting
// together take turns: the second waits, then finds everything applied. A
// database with migrations newer than this server's is refused unchanged.
import { FormatTooNewError } from '../../../src/node/format-version'
import type { Logger } from '../../logger'
import { SERVER_VERSION } from '../../version'
import { MIGRATIONS, type Migration } from './migrations/index'
import { withSessionLock } from './advisory'
import { describeError, isConnectionError, mapError, type Pool } from './pool'

/** pg_advisory_lock key of schema migrations: the bytes of "lanmsgmg". */
const LOCK_KEY = '7809644645203799399'

/**
 * Versions start at 1 and rise with no repeat: a mistake in the list stops the
 * start. Gaps are allowed while issue 21's branches each hold one of the
 * numbers 013–016 (a database missing one gets it when it comes).
 */
function checked(migrations: readonly Migration[]): readonly Migration[] {
  migrations.forEach((m, i) => {
    const expected = i === 0 ? 1 : migrations[i - 1]!.version + 1
    if (i === 0 ? m.version !== 1 : m.version < expected) {
      throw new Error(`database migration ${migrationLabel(m)} is out of order (expected version ${expected})`)
    }
  })
  return migrations
}

export const migrationLabel = (m: Pick<Migration, 'version' | 'name'>): string => `${String(m.version).padStart(3, '0')}_${m.name}`

function tooNewMessage(newer: readonly Pick<Migration, 'version' | 'name'>[], newest: number): string {
  return (
    `this database was migrated by a newer messenger-server (schema version ${newer.at(-1)!.version}: ${newer.map(migrationLabel).join(', ')}); ` +
    `this server (${SERVER_VERSION}) knows schema versions up to ${newest}: upgrade the server`
  )
}

export async function migrate(pool: Pool, log?: Logger, migrations: readonly Migration[] = MIGRATIONS): Promise<{ applied: string[] }> {
  const all = checked(migrations)
  const applied: string[] = []
  try {
    await withSessionLock(pool, { bigint: LOCK_KEY }, 'wait', async (client) => {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`)
      const { rows } = await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')
      const done = new Map(rows.map((r) => [r.version, r.name]))
      // Before applying anything: a database a newer server migrated is refused as it is.
      const newest = all.at(-1)?.version ?? 0
      const newer = rows.filter((r) => r.version > newest)
      if (newer.length > 0) {
        throw new FormatTooNewError(newer.at(-1)!.version, newest, tooNewMessage(newer, newest))
      }
      for (const migration of all) {
        if (done.has(migration.version)) continue
        const label = migrationLabel(migration)
        try {
          await client.query('BEGIN')
          // No parameters: the simple protocol runs a file of several statements.
          await client.query(migration.sql)
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name])
          await client.query('COMMIT')
        } catch (err) {
          if (isConnectionError(err)) throw err
          await client.query('ROLLBACK').catch(() => undefined)
          throw new Error(`database migration ${label} failed: ${describeError(err)}`, { cause: err })
        }
        applied.push(label)
        log?.info({ migration: label }, 'applied a database migration')
      }
    })
  } catch (err) {
    throw mapError(err)
  }
  return { applied }
}
