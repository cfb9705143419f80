// `messenger-server users …`: account administration on a data directory,
// for when nobody can sign in as an admin (or there is no app at hand). It
// opens the store itself, so it refuses to run while a server owns the
// directory: two writers would lose each other's changes. With the server
// running, use the app's admin dialog or the REST API instead.
import { createWriteStream, existsSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import type { AdminUser } from '../src/shared/schemas/admin'
import { AppError } from './errors'
import { silentLogger } from './logger'
import { AdminService } from './services/admin.service'
import { writeUserExport } from './services/user-export'
import { openFileStore } from './store'
import { openPostgresStore } from './store/postgres'
import { describeTarget } from './store/postgres/pool'

export const USERS_HELP = `Usage: messenger-server users <command> [username] [--data-dir ./data | --database-url postgres://…]

  list                      every account: username, display name, admin, disabled, created
  disable <username>        the account can no longer sign in; its sessions end
  enable <username>         lets a disabled account sign in again
  make-admin <username>     makes the account a server admin
  revoke-admin <username>   takes server admin away (the last enabled admin stays)
  reset-password <username> prints a one-time code the user enters at "Forgot password?"
                            to set a new password; signs the account out everywhere
  export <username> --to FILE.zip
                            the user's data (profile, their conversations as they see them,
                            the files they sent) as a zip; see docs/admin.md

  --data-dir     the server's data directory (env MESSENGER_DATA_DIR; default ./data)
  --database-url a server on PostgreSQL: its database (env MESSENGER_DATABASE_URL); works while it runs,
                 though its open sockets only notice at their next sign-in check
  --json         list: one JSON document instead of a table
  --reset-ttl    reset-password: minutes the code works (default 60)
  --to           export: the zip to write (never half-written: a .part file until done)
  --files-dir    export: where the server keeps files' bytes (env MESSENGER_FILES_DIR; default DATA_DIR/files)

On a data directory the server must be stopped: a running server owns it.
`

const COMMANDS = ['list', 'disable', 'enable', 'make-admin', 'revoke-admin', 'reset-password', 'export'] as const
type Command = (typeof COMMANDS)[number]

export interface CliIo {
  out(text: string): void
  err(text: string): void
}

function table(users: AdminUser[]): string {
  const rows = [
    ['USERNAME', 'DISPLAY NAME', 'ADMIN', 'DISABLED', 'CREATED'],
    ...users.map((u) => [u.username, u.displayName, u.serverAdmin ? 'yes' : '', u.disabled ? 'yes' : '', u.createdAt.slice(0, 10)])
  ]
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n'
}

/** Runs one `users` command; answers the process exit code (0 done, 1 failed, 2 bad usage). */
export async function runUsersCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, json: { type: 'boolean' }, 'reset-ttl': { type: 'string' }, to: { type: 'string' }, 'files-dir': { type: 'string' }, help: { type: 'boolean' } }
    })
  } catch (err) {
    io.err(`messenger-server users: ${(err as Error).message}\n\n${USERS_HELP}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    io.out(USERS_HELP)
    return 0
  }
  const [command, username, ...extra] = positionals as [string | undefined, string | undefined, ...string[]]
  const usage = (message: string): number => {
    io.err(`messenger-server users: ${message}\n\n${USERS_HELP}`)
    return 2
  }
  if (!command || !COMMANDS.includes(command as Command)) return usage(command ? `unknown command "${command}"` : 'give a command')
  if (command === 'list' ? username !== undefined : username === undefined || extra.length > 0) {
    return usage(command === 'list' ? 'list takes no username' : `${command} takes one username`)
  }
  if (command === 'export' && !values.to) return usage('export needs --to FILE.zip')
  const ttlMinutes = Number(values['reset-ttl'] ?? 60)
  if (!Number.isInteger(ttlMinutes) || ttlMinutes < 1 || ttlMinutes > 7 * 24 * 60) return usage('--reset-ttl must be whole minutes from 1 to 10080')
  const databaseUrl = values['database-url'] ?? process.env['MESSENGER_DATABASE_URL']
  const dataDir = resolve(values['data-dir'] ?? process.env['MESSENGER_DATA_DIR'] ?? './data')
  const where = databaseUrl ? describeTarget(databaseUrl) : dataDir

  if (!databaseUrl && !existsSync(join(dataDir, 'db.json'))) {
    io.err(`messenger-server users: ${dataDir} holds no server data (no db.json); give the server's --data-dir\n`)
    return 1
  }
  let store
  try {
    store = databaseUrl ? await openPostgresStore(databaseUrl) : await openFileStore(dataDir, { search: false })
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict') {
      io.err(`messenger-server users: ${err.message}.\nA running server owns its data directory: stop it, or manage accounts from the app's admin dialog while it runs.\n`)
    } else io.err(`messenger-server users: cannot open ${where}: ${(err as Error).message}\n`)
    return 1
  }
  try {
    const admin = new AdminService(store, { resetCodeTtlMs: ttlMinutes * 60_000, mailer: null }, Date.now, silentLogger())
    if (command === 'list') {
      const users = await admin.listUsers()
      io.out(values.json ? `${JSON.stringify({ users }, null, 2)}\n` : users.length ? table(users) : 'no accounts yet\n')
      return 0
    }
    const user = await admin.find(username!)
    if (command === 'export') {
      const filesDir = resolve(values['files-dir'] ?? process.env['MESSENGER_FILES_DIR'] ?? join(dataDir, 'files'))
      const to = resolve(values.to!)
      try {
        await exportToFile(to, (sink) => writeUserExport({ store, filePath: (id) => join(filesDir, id), serverUrl: null }, user, sink))
      } catch (err) {
        if (err instanceof AppError) throw err
        io.err(`messenger-server users: cannot write ${to}: ${(err as Error).message}\n`)
        return 1
      }
      io.out(`Exported ${user.username} to ${to}\n`)
      return 0
    }
    if (command === 'reset-password') {
      const { result } = await admin.resetPassword(null, user.id)
      io.out(
        `Reset code for ${user.username}: ${result.code}\n` +
          `It works once, until ${result.expiresAt}. The user enters it with their username under "Forgot password?" ` +
          `on the sign-in screen. Their sessions were signed out.\n`
      )
      return 0
    }
    const patch = { disable: { disabled: true }, enable: { disabled: false }, 'make-admin': { serverAdmin: true }, 'revoke-admin': { serverAdmin: false } }[command as Exclude<Command, 'list' | 'reset-password' | 'export'>]
    const { result } = await admin.updateUser(null, user.id, patch)
    io.out(`${result.username}: ${result.disabled ? 'disabled' : 'enabled'}, ${result.serverAdmin ? 'server admin' : 'not an admin'}\n`)
    return 0
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    io.err(`messenger-server users: ${err.code === 'not_found' ? `no account "${username}" in ${where}` : err.message}\n`)
    return 1
  } finally {
    await store.close()
  }
}

/** Writes beside the target and renames when whole, so FILE.zip is never a half-written zip. */
async function exportToFile(to: string, write: (sink: Writable) => Promise<void>): Promise<void> {
  const part = `${to}.part`
  const sink = createWriteStream(part)
  try {
    await write(sink)
    sink.end()
    await finished(sink)
    await rename(part, to)
  } catch (err) {
    sink.destroy()
    await rm(part, { force: true })
    throw err
  }
}
