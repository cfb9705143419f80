// Format versions of what the server keeps: real data directories on disk and
// real server starts (in process, and the CLI as a child). An older directory
// is upgraded step by step after a copy; a newer one (or a database a newer
// server migrated) is refused, naming both versions, with nothing changed.
import { spawnSync } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { FormatTooNewError } from '../../src/node/format-version'
import { openFileStore } from '../../server/store'
import { readDataDirFormat } from '../../server/store/data-dir-format'
import { DATA_DIR_FORMAT } from '../../server/store/records'
import type { DataDirUpgrade } from '../../server/store/upgrades/types'
import { INDEX_FORMAT } from '../../server/search/search-index'
import { MIGRATIONS } from '../../server/store/postgres/migrations/index'
import type { Logger } from '../../server/logger'
import { freshDatabase, runSql, testEngine } from '../helpers/engines'
import { api, register, type TestUser } from '../helpers/http'
import { startServer } from '../helpers/server'

const ROOT = resolve(import.meta.dirname, '../..')
const dirs: string[] = []

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'messenger-format-'))
  dirs.push(dir)
  return dir
}

/** A data directory a real server wrote: one user, one message to themself in a group. */
async function writtenDataDir(text = 'written before the upgrade'): Promise<{ dir: string; user: TestUser }> {
  const dir = await tempDir()
  const srv = await startServer({ databaseUrl: undefined }, dir)
  const user = await register(srv.url)
  const conversation = await api(srv.url, 'POST', '/conversations', { token: user.accessToken, body: { kind: 'group', title: 'notes', memberIds: [] } })
  const id = conversation.body.conversation.id as string
  await api(srv.url, 'POST', `/conversations/${id}/messages`, { token: user.accessToken, body: { clientId: randomUUID(), text } })
  await srv.stop()
  return { dir, user }
}

async function setFormat(dir: string, version: number): Promise<void> {
  const path = join(dir, 'db.json')
  const data = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>
  await writeFile(path, JSON.stringify({ ...data, schemaVersion: version }))
}

const formatOf = async (dir: string): Promise<unknown> => (JSON.parse(await readFile(join(dir, 'db.json'), 'utf8')) as { schemaVersion: unknown }).schemaVersion

/** Every file under `dir` with its size, mode and digest: what "nothing changed" compares. */
async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name)
    const info = await stat(path)
    out[path.slice(dir.length)] = entry.isFile() ? `${info.size} ${info.mode} ${createHash('sha256').update(await readFile(path)).digest('hex')}` : 'dir'
  }
  return out
}

/** The CLI's environment on the data-dir engine, whatever the developer's shell sets. */
function dataDirEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env['MESSENGER_DATABASE_URL']
  return env
}

function recordingLog(): { log: Logger; lines: string[] } {
  const lines: string[] = []
  const note = (a: unknown, b?: unknown): void => void lines.push(typeof a === 'string' ? a : String(b))
  const log = { info: note, warn: note, error: note, debug: () => undefined, child: () => log } as unknown as Logger
  return { log, lines }
}

describe.skipIf(testEngine() === 'postgres')('data directory format', () => {
  it('a server writes its format and starts again on it with nothing to upgrade', async () => {
    const { dir, user } = await writtenDataDir()
    expect(await formatOf(dir)).toBe(DATA_DIR_FORMAT)
    // First in the file, so the start reads a few bytes for it, not the whole document.
    expect(await readFile(join(dir, 'db.json'), 'utf8')).toMatch(new RegExp(`^\\{"schemaVersion":${DATA_DIR_FORMAT},`))
    // A file that has it elsewhere is read whole.
    const { schemaVersion, ...rest } = JSON.parse(await readFile(join(dir, 'db.json'), 'utf8')) as { schemaVersion: number }
    await writeFile(join(dir, 'db.json'), JSON.stringify({ ...rest, schemaVersion: schemaVersion + 1 }))
    expect(await readDataDirFormat(dir)).toBe(DATA_DIR_FORMAT + 1)
    await writeFile(join(dir, 'db.json'), JSON.stringify({ schemaVersion, ...rest }))
    const srv = await startServer({ databaseUrl: undefined }, dir)
    try {
      const res = await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
      expect(res.status).toBe(200)
    } finally {
      await srv.stop()
    }
    expect((await readdir(dir)).filter((name) => name.startsWith('upgrade-backup'))).toEqual([])
  })

  it('a format-1 directory (before issue 20) opens in today\'s format with its history and no user groups, pins, drafts or threads', async () => {
    const { dir, user } = await writtenDataDir('said in format 1')
    await setFormat(dir, 1)
    const srv = await startServer({ databaseUrl: undefined }, dir)
    try {
      const { accessToken: token } = (await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })).body as { accessToken: string }
      const list = await api(srv.url, 'GET', '/conversations', { token })
      const conversation = list.body.conversations[0] as { id: string; lastMessage: { text: string }; mentionCount: number }
      expect(conversation).toMatchObject({ lastMessage: { text: 'said in format 1' }, mentionCount: 0 })
      expect((await api(srv.url, 'GET', '/user-groups', { token })).body.userGroups).toEqual([])
      expect((await api(srv.url, 'GET', `/conversations/${conversation.id}/pins`, { token })).body.pins).toEqual([])
      expect((await api(srv.url, 'GET', '/drafts', { token })).body.drafts).toEqual([])
      expect((await api(srv.url, 'GET', '/threads', { token })).body.threads).toEqual([])
    } finally {
      await srv.stop()
    }
    expect(await formatOf(dir)).toBe(DATA_DIR_FORMAT)
    expect((await readdir(dir)).filter((name) => name.startsWith('upgrade-backup-v1'))).toHaveLength(1)
  })

  it('a format-2 directory (before issue 21) opens in today\'s format with default notification settings and nothing scheduled', async () => {
    const { dir, user } = await writtenDataDir('said in format 2')
    await setFormat(dir, 2)
    const srv = await startServer({ databaseUrl: undefined }, dir)
    try {
      const { accessToken: token } = (await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })).body as { accessToken: string }
      expect((await api(srv.url, 'GET', '/conversations', { token })).body.conversations[0]).toMatchObject({ lastMessage: { text: 'said in format 2' } })
      expect((await api(srv.url, 'GET', '/scheduled', { token })).body.scheduled).toEqual([])
      expect((await api(srv.url, 'GET', '/me/notification-prefs', { token })).body.prefs).toMatchObject({ level: 'all', dndUntil: null, workHours: null })
    } finally {
      await srv.stop()
    }
    expect(await formatOf(dir)).toBe(DATA_DIR_FORMAT)
    expect((await readdir(dir)).filter((name) => name.startsWith('upgrade-backup-v2'))).toHaveLength(1)
  })

  it('the CLI refuses a newer data directory: exit 3, both versions named, nothing on disk changed', async () => {
    const { dir } = await writtenDataDir()
    const newer = DATA_DIR_FORMAT + 2
    await setFormat(dir, newer)
    const before = await tree(dir)
    const env = dataDirEnv()
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--host', '127.0.0.1', '--no-discovery', '--no-tls', '--data-dir', dir], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 30_000
    })
    expect(res.status).toBe(3)
    const output = res.stdout + res.stderr
    expect(output).toContain(`was written by a newer messenger-server (format ${newer})`)
    expect(output).toContain(`reads format ${DATA_DIR_FORMAT} and older: upgrade the server`)
    expect(await tree(dir)).toEqual(before)
  })

  it('the users command and an in-process start refuse it the same way', async () => {
    const { dir } = await writtenDataDir()
    await setFormat(dir, DATA_DIR_FORMAT + 1)
    const users = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'users', 'list', '--data-dir', dir], { cwd: ROOT, env: dataDirEnv(), encoding: 'utf8', timeout: 30_000 })
    expect(users.status).not.toBe(0)
    expect(users.stderr).toContain(`newer messenger-server (format ${DATA_DIR_FORMAT + 1})`)
    const err: unknown = await startServer({ databaseUrl: undefined }, dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(FormatTooNewError)
    expect(err).toMatchObject({ found: DATA_DIR_FORMAT + 1, supported: DATA_DIR_FORMAT })
  })

  it('an older directory is upgraded through its steps in order, after a copy of what they change, and says so', async () => {
    const { dir, user } = await writtenDataDir()
    // The steps below are this test's own, from today's format F to F + 2.
    const F = DATA_DIR_FORMAT
    const originalDb = await readFile(join(dir, 'db.json'), 'utf8')
    const ran: string[] = []
    // Format F → F + 1 renames the server in db.json; F + 1 → F + 2 writes a file under messages/ (both copied first).
    const steps: DataDirUpgrade[] = [
      {
        from: F,
        name: 'rename the server',
        changes: ['db.json', 'db.journal'],
        run: async ({ db }) => {
          ran.push(`first at format ${String(await formatOf(dir))}`)
          const data = (await db.read())!
          data.settings = { ...data.settings!, name: 'Upgraded office' }
          await db.write(data)
        }
      },
      {
        from: F + 1,
        name: 'mark the history',
        changes: ['messages'],
        run: async ({ dataDir }) => {
          ran.push(`second at format ${String(await formatOf(dir))}`)
          await writeFile(join(dataDir, 'messages', 'upgraded'), 'yes')
        }
      }
    ]
    const { log, lines } = recordingLog()
    const store = await openFileStore(dir, { search: false, log, format: { current: F + 2, steps } })
    try {
      expect(ran).toEqual([`first at format ${F}`, `second at format ${F + 1}`])
      expect((await store.admin.settings()).name).toBe('Upgraded office')
      expect(await store.users.byUsername(user.user.username)).toMatchObject({ id: user.user.id })
    } finally {
      await store.close()
    }
    expect(await formatOf(dir)).toBe(F + 2)
    const [backup, ...more] = (await readdir(dir)).filter((name) => name.startsWith(`upgrade-backup-v${F}-`))
    expect(more).toEqual([])
    expect(await readFile(join(dir, backup!, 'db.json'), 'utf8')).toBe(originalDb)
    expect(await readdir(join(dir, backup!, 'messages'))).not.toContain('upgraded')
    expect(lines.find((l) => l.includes(`from format ${F} to ${F + 2}`))).toContain(join(dir, backup!))

    // Written by "format F + 2": this server (format F) refuses it now.
    await expect(startServer({ databaseUrl: undefined }, dir)).rejects.toThrow(`newer messenger-server (format ${F + 2})`)
  })

  it('a directory at a middle format runs only the steps after it; an interrupted upgrade resumes at the step that failed', async () => {
    const { dir } = await writtenDataDir()
    await setFormat(dir, 2)
    const ran: number[] = []
    let failOnce = true
    const steps: DataDirUpgrade[] = [1, 2, 3].map((from) => ({
      from,
      name: `step ${from}`,
      changes: [],
      run: () => {
        ran.push(from)
        if (from === 3 && failOnce) {
          failOnce = false
          return Promise.reject(new Error('power cut'))
        }
        return Promise.resolve()
      }
    }))
    const plan = { current: 4, steps }
    await expect(openFileStore(dir, { search: false, format: plan })).rejects.toThrow('power cut')
    expect(await formatOf(dir)).toBe(3)
    const store = await openFileStore(dir, { search: false, format: plan })
    await store.close()
    expect(ran).toEqual([2, 3, 3])
    expect(await formatOf(dir)).toBe(4)
  })

  it('a search index of another format is dropped and rebuilt from the history', async () => {
    const { dir, user } = await writtenDataDir('the quarterly numbers')
    const index = new DatabaseSync(join(dir, 'search.sqlite'))
    // A "format 99" whose tables this server could not use: kept, the statements would not even prepare.
    index.exec('DROP TABLE docs; CREATE TABLE docs (shape_of_the_future TEXT); PRAGMA user_version = 99')
    index.close()
    const srv = await startServer({ databaseUrl: undefined }, dir)
    try {
      const token = (await api(srv.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })).body.accessToken as string
      await expect
        .poll(async () => (await api(srv.url, 'GET', '/search?q=quarterly', { token })).body.results?.length, { timeout: 10_000 })
        .toBe(1)
    } finally {
      await srv.stop()
    }
    const reopened = new DatabaseSync(join(dir, 'search.sqlite'))
    expect(reopened.prepare('PRAGMA user_version').get()).toEqual({ user_version: INDEX_FORMAT })
    reopened.close()
  })
})

describe.skipIf(testEngine() !== 'postgres')('PostgreSQL schema version', () => {
  it('a database a newer server migrated is refused at start, naming both versions, before any migration runs', async () => {
    const db = await freshDatabase('data-format newer schema')
    try {
      const newest = MIGRATIONS.at(-1)!.version
      const future = newest + 2
      await runSql(db.url, 'CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())')
      await runSql(db.url, 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [future, 'from_the_future'])
      const err: unknown = await startServer({ databaseUrl: db.url }, await tempDir()).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(FormatTooNewError)
      const message = (err as Error).message
      expect(message).toContain(`migrated by a newer messenger-server (schema version ${future}: ${String(future).padStart(3, '0')}_from_the_future)`)
      expect(message).toContain(`knows schema versions up to ${newest}: upgrade the server`)
      // Nothing was applied: no table of migration 001 exists.
      expect(await runSql(db.url, "SELECT to_regclass('users')::text AS t")).toEqual([{ t: null }])
      expect(await runSql(db.url, 'SELECT version FROM schema_migrations')).toEqual([{ version: future }])
    } finally {
      await db.drop()
    }
  })
})
