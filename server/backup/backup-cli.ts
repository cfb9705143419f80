// `messenger-server backup` and `messenger-server restore` (docs/admin.md, Backup and restore).
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { mkdirDurable } from '../../src/node/fsync'
import type { CliIo } from '../admin-cli'
import { createBackup, BackupError } from './backup'
import { removeLeftovers, isEmptyOrMissing } from './backup-dir'
import { restoreBackup, RestoreError } from './restore'

export const BACKUP_HELP = `Usage: messenger-server backup [--data-dir ./data] --to BACKUP_DIR [--files-dir DIR]

Copies a data directory into the new directory BACKUP_DIR, while its server
runs (the server keeps answering) or while none does. Every message, account,
group and file acknowledged before the backup began is in it. BACKUP_DIR
appears only once the backup is whole, with its manifest.json (sizes and
SHA-256 of every file); a backup cut short leaves only a hidden
.BACKUP_DIR.partial-… directory, which the next backup to that name removes.
Left out: unfinished uploads, and the search index (rebuilt at start).

  --data-dir   the server's data directory (env MESSENGER_DATA_DIR; default ./data)
  --to         the backup to make: a new (or empty) directory, e.g. /backups/messenger-2026-12-07
  --files-dir  where the server keeps files' bytes, if it runs with --files-dir (env MESSENGER_FILES_DIR)

With --database-url (a server on PostgreSQL) back up the database with
pg_dump or pg_basebackup instead, and the files directory: see docs/scaling.md.
`

export const RESTORE_HELP = `Usage: messenger-server restore --from BACKUP_DIR --data-dir NEW_DIR
       messenger-server restore --from BACKUP_DIR --check

Makes the backup BACKUP_DIR a data directory a server starts on, with every
account, group, message and file it holds. The backup is verified first (its
manifest, every file's size and SHA-256): a damaged or incomplete backup is
refused, naming what is wrong, and nothing is written. NEW_DIR must be new or
empty; it appears only once the restore is whole.

  --from      the backup (made by messenger-server backup)
  --data-dir  the new data directory; then: messenger-server --data-dir NEW_DIR
  --check     only verify the backup, write nothing
`

const usageOf =
  (command: string, help: string, io: CliIo) =>
  (message: string, withHelp = true): number => {
    io.err(`messenger-server ${command}: ${message}\n${withHelp ? `\n${help}` : ''}`)
    return 2
  }

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

function postgresRefusal(command: string, values: { 'database-url'?: string | undefined }): string | null {
  if (values['database-url'] === undefined && process.env['MESSENGER_DATABASE_URL'] === undefined) return null
  return (
    `${command} works on a data directory (the embedded engine); a server on PostgreSQL (--database-url or ` +
    `MESSENGER_DATABASE_URL) is backed up with pg_dump, or pg_basebackup with WAL archiving for point-in-time ` +
    `recovery, plus a copy of its files directory: see docs/scaling.md, Backup`
  )
}

/** Runs `backup`; answers the exit code (0 done, 1 failed, 2 bad usage). */
export async function runBackupCommand(argv: string[], io: CliIo): Promise<number> {
  const usage = usageOf('backup', BACKUP_HELP, io)
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: { 'data-dir': { type: 'string' }, to: { type: 'string' }, 'files-dir': { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean' } }
    }))
  } catch (err) {
    return usage((err as Error).message)
  }
  if (values.help) return (io.out(BACKUP_HELP), 0)
  const refusal = postgresRefusal('backup', values)
  if (refusal) return usage(refusal, false)
  if (!values.to) return usage('give the backup directory to make with --to')
  const dataDir = resolve(values['data-dir'] ?? process.env['MESSENGER_DATA_DIR'] ?? './data')
  const target = resolve(values.to)
  const filesDirText = values['files-dir'] ?? process.env['MESSENGER_FILES_DIR']
  if (target === dataDir || target.startsWith(`${dataDir}/`)) return usage('--to must be outside the data directory')
  try {
    if (!(await isEmptyOrMissing(target))) return usage(`${target} already exists and is not empty: give a new directory for each backup`, false)
    await mkdirDurable(dirname(target))
    const removed = await removeLeftovers(target, 'partial')
    if (removed > 0) io.out(`removed ${removed} unfinished backup(s) to ${target} left by killed runs\n`)
    const started = Date.now()
    const summary = await createBackup(dataDir, target, {
      ...(filesDirText ? { filesDir: resolve(filesDirText) } : {}),
      progress: (line) => io.out(`${line}\n`)
    })
    const { manifest } = summary
    const bytes = manifest.files.reduce((n, f) => n + f.size, 0)
    io.out(
      `Backup complete: ${target}\n` +
        `  ${summary.conversations} conversations, ${summary.files} files (${summary.unfinishedUploads} unfinished uploads left out)` +
        `${summary.deletedMeanwhile ? `, ${summary.deletedMeanwhile} conversations deleted during the backup left out` : ''}` +
        `${summary.strayHistories ? `, ${summary.strayHistories} histories without a conversation left out` : ''}\n` +
        `  ${manifest.files.length} files, ${megabytes(bytes)}, in ${((Date.now() - started) / 1000).toFixed(1)} s; verify with: messenger-server restore --from ${target} --check\n`
    )
    return 0
  } catch (err) {
    const message = err instanceof BackupError ? err.message : `${(err as Error).message}`
    io.err(`messenger-server backup: failed, no backup was made: ${message}\n`)
    return 1
  }
}

/** Runs `restore`; answers the exit code (0 done, 1 refused or failed, 2 bad usage). */
export async function runRestoreCommand(argv: string[], io: CliIo): Promise<number> {
  const usage = usageOf('restore', RESTORE_HELP, io)
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: { from: { type: 'string' }, 'data-dir': { type: 'string' }, check: { type: 'boolean' }, 'database-url': { type: 'string' }, help: { type: 'boolean' } }
    }))
  } catch (err) {
    return usage((err as Error).message)
  }
  if (values.help) return (io.out(RESTORE_HELP), 0)
  const refusal = postgresRefusal('restore', values)
  if (refusal) return usage(refusal, false)
  if (!values.from) return usage('give the backup with --from')
  // No default here: restoring into ./data by accident is what this guards against.
  if (!values.check && !values['data-dir']) return usage('give the new data directory with --data-dir (or --check to only verify)')
  const from = resolve(values.from)
  const dataDir = values.check ? null : resolve(values['data-dir']!)
  try {
    const manifest = await restoreBackup(from, dataDir, { progress: (line) => io.out(`${line}\n`) })
    const bytes = manifest.files.reduce((n, f) => n + f.size, 0)
    io.out(
      dataDir
        ? `Restored ${manifest.files.length} files (${megabytes(bytes)}) into ${dataDir}. Start the server on it:\n  messenger-server --data-dir ${dataDir}\n` +
            `The search index is rebuilt in the background at its first start.\n`
        : `${from} is whole: ${manifest.files.length} files (${megabytes(bytes)}) match the manifest\n`
    )
    return 0
  } catch (err) {
    const message = err instanceof RestoreError ? err.message : (err as Error).message
    io.err(`messenger-server restore: ${message}\n`)
    return 1
  }
}
