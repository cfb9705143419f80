// `messenger-server migrate` and `messenger-server import`: the PostgreSQL
// database's schema without starting a server, and moving a data directory's
// records and history into an empty database (server/store/import.ts).
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { CliIo } from './admin-cli'
import { connectPostgres, count, importDataDir, ImportError, type ImportSummary } from './store/import'
import { migrate } from './store/postgres/migrate'
import { describeError, describeTarget, redactMessage, redactUrl } from './store/postgres/pool'

export const MIGRATE_HELP = `Usage: messenger-server migrate [--database-url postgres://…]

Brings a PostgreSQL database's schema up to date without starting the server
(a server also does this when it starts). Running it again changes nothing.

  --database-url  the database, e.g. postgres://messenger:secret@db.lan:5432/messenger
                  (env MESSENGER_DATABASE_URL)
`

export const IMPORT_HELP = `Usage: messenger-server import --from DATA_DIR [--database-url postgres://…]

Moves a server's data directory into an empty PostgreSQL database: accounts
(people keep their passwords), conversations, members and read receipts, the
whole history with its edits, deletions and reactions, signed-in sessions,
contacts and invitations, settings, invite, reset and join codes, and file
records. It runs in one transaction: if anything fails, the database stays
empty. Nothing in the data directory is deleted. Stop its server first.

  --from          the server's data directory (its --data-dir)
  --database-url  the empty database, e.g. postgres://messenger:secret@db.lan:5432/messenger
                  (env MESSENGER_DATABASE_URL); its schema is made first

Then start the server with --database-url and the same --data-dir: the files'
bytes stay in its files/, beside the TLS certificate the apps trust and the key
that signs their sessions.
`

function databaseUrlOf(value: string | undefined): string | undefined {
  return value ?? process.env['MESSENGER_DATABASE_URL']
}

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url)

/** Runs `migrate`; answers the process exit code (0 done, 1 failed, 2 bad usage). */
export async function runMigrateCommand(argv: string[], io: CliIo): Promise<number> {
  const usage = (message: string): number => {
    io.err(`messenger-server migrate: ${message}\n\n${MIGRATE_HELP}`)
    return 2
  }
  let values
  try {
    ;({ values } = parseArgs({ args: argv, options: { 'database-url': { type: 'string' }, help: { type: 'boolean' } } }))
  } catch (err) {
    return usage((err as Error).message)
  }
  if (values.help) {
    io.out(MIGRATE_HELP)
    return 0
  }
  const url = databaseUrlOf(values['database-url'])
  if (!url) return usage('give the database with --database-url (or MESSENGER_DATABASE_URL)')
  if (!isPostgresUrl(url)) return usage('--database-url must start with postgres:// or postgresql://')
  try {
    const pool = await connectPostgres(url, 1)
    try {
      const { applied } = await migrate(pool)
      const target = describeTarget(url)
      io.out(applied.length > 0 ? `Applied to ${target}: ${applied.join(', ')}\n` : `${target} is already up to date\n`)
      return 0
    } finally {
      await pool.end().catch(() => undefined)
    }
  } catch (err) {
    io.err(`messenger-server migrate: ${failure(err, url)}\n`)
    return 1
  }
}

/** Runs `import`; answers the process exit code (0 done, 1 failed, 2 bad usage). */
export async function runImportCommand(argv: string[], io: CliIo): Promise<number> {
  const usage = (message: string): number => {
    io.err(`messenger-server import: ${message}\n\n${IMPORT_HELP}`)
    return 2
  }
  let values
  try {
    ;({ values } = parseArgs({ args: argv, options: { from: { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean' } } }))
  } catch (err) {
    return usage((err as Error).message)
  }
  if (values.help) {
    io.out(IMPORT_HELP)
    return 0
  }
  if (!values.from) return usage('give the data directory to import with --from')
  const url = databaseUrlOf(values['database-url'])
  if (!url) return usage('give the database with --database-url (or MESSENGER_DATABASE_URL)')
  if (!isPostgresUrl(url)) return usage('--database-url must start with postgres:// or postgresql://')
  const dataDir = resolve(values.from)
  let target: string
  try {
    target = describeTarget(url)
  } catch (err) {
    return usage(`--database-url is not usable: ${redactMessage(describeError(err), url)}`)
  }
  io.out(`Importing ${dataDir} into PostgreSQL at ${target}\n`)
  let summary: ImportSummary
  try {
    // Lines name the database by host:port/database (describeTarget), never by its URL.
    summary = await importDataDir(dataDir, url, { progress: (line) => io.out(`${line}\n`) })
  } catch (err) {
    io.err(`messenger-server import: ${failure(err, url)}\n`)
    return 1
  }
  io.out(report(summary, dataDir, url))
  return 0
}

/**
 * One line for a failure, without the password: an ImportError names the
 * database by host:port/database and has its quoted reasons redacted already;
 * anything else may quote the URL.
 */
function failure(err: unknown, url: string): string {
  if (err instanceof ImportError) return err.message
  return redactMessage(describeError(err), url)
}

function report(s: ImportSummary, dataDir: string, url: string): string {
  const lines = [
    `Imported into ${s.database} in ${(s.elapsedMs / 1000).toFixed(1)} s:`,
    `  ${count(s.users, 'account')}, ${count(s.conversations, 'conversation')}, ${count(s.memberships, 'membership')}`,
    `  ${count(s.messages, 'message')} (${s.changedMessages.toLocaleString('en-US')} edited, deleted or reacted to; ` +
      `${count(s.expiredConversations, 'conversation')} with history expired by retention)`,
    `  ${count(s.refreshFamilies, 'signed-in session')}, ${count(s.invitations, 'invitation')}, ${count(s.contacts, 'contact')}, ` +
      `${count(s.invites, 'invite code')}, ${count(s.resetCodes, 'reset code')}, ${count(s.userGroups, 'user group')}, ${count(s.files, 'file record')}, ` +
      `${s.settings ? 'the server settings' : 'no settings (the defaults apply)'}`,
    `  ${s.secrets.length > 0 ? `the ${s.secrets.join(' and ')} (every node signs and serves the same; the apps stay signed in and trusting)` : 'no signing key or certificate (the first start makes them)'}`,
    ...s.warnings.map((w) => `  note: ${w}`),
    '',
    `The files' bytes stayed in ${dataDir}/files. Run the server on the database with the same data directory:`,
    `  messenger-server --database-url ${redactUrl(url)} --data-dir ${dataDir}`,
    'To use another directory instead (or several nodes), copy files/ into it or give --files-dir. The data',
    'directory\'s own records (db.json, messages/) were left as they were; a server given --database-url does',
    'not read them.',
    ''
  ]
  return lines.join('\n')
}
