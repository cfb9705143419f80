// `messenger-server backup` with no server running, and `restore` refusing
// what it must: a backup with a file changed, cut, missing or added, a
// manifest missing or pointing outside the target, a target that is not
// empty; and `backup` on PostgreSQL pointing to pg_dump.
import { cp, mkdir, mkdtemp, readdir, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runBackupCommand, runRestoreCommand } from '../../server/backup/backup-cli'
import { killChildServers, startChildServer } from '../helpers/child-server'
import { runCli } from '../helpers/cli-run'
import { testEngine } from '../helpers/engines'
import { api, register } from '../helpers/http'

let root: string
let backup: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'messenger-restore-'))
})
afterAll(async () => {
  killChildServers()
  await rm(root, { recursive: true, force: true })
})

/** The same commands in this process (the CLI only dispatches to them): refusals need no new process each. */
async function command(run: typeof runRestoreCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await run(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) })
  return { code, stdout, stderr }
}
const restore = (args: string[]) => command(runRestoreCommand, ['--from', ...args])

let copies = 0
/** A copy of the good backup, changed by `tamper`. */
async function tampered(tamper: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(root, `tampered-${++copies}`)
  await cp(backup, dir, { recursive: true })
  await tamper(dir)
  return dir
}

async function restoreRefused(from: string): Promise<string> {
  const target = join(root, `target-${++copies}`)
  const run = await restore([from, '--data-dir', target])
  expect(run.code).toBe(1)
  expect(await readdir(root)).not.toContain(`target-${copies}`)
  expect((await readdir(root)).filter((n) => n.includes('.restoring-'))).toEqual([])
  return run.stderr
}

describe.skipIf(testEngine() === 'postgres')('backup and restore', () => {
  it('backs up a data directory no server runs on, and restores it to one a server starts on', { timeout: 60_000 }, async () => {
    const dataDir = join(root, 'data')
    const server = await startChildServer(dataDir)
    const user = await register(server.url)
    const made = await api(server.url, 'POST', '/conversations', { token: user.accessToken, body: { kind: 'group', title: 'kept', memberIds: [] } })
    expect(made.status).toBe(201)
    const conversationId = made.body.conversation.id as string
    expect((await api(server.url, 'POST', `/conversations/${conversationId}/messages`, { token: user.accessToken, body: { clientId: crypto.randomUUID(), text: 'hello' } })).status).toBe(201)
    server.child.kill('SIGTERM')
    await server.exited

    // History of no conversation (as one created after the records were copied leaves): not backed up.
    const stray = crypto.randomUUID()
    await mkdir(join(dataDir, 'messages', stray))
    await writeFile(join(dataDir, 'messages', stray, '00000000.jsonl'), '')

    backup = join(root, 'nested', 'backup') // a missing parent is made
    const run = await runCli(['backup', '--data-dir', dataDir, '--to', backup]).done
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('no server is running')
    expect(run.stdout).toContain('1 histories without a conversation left out')
    const manifest = JSON.parse(await readFile(join(backup, 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({ format: 'messenger-backup', formatVersion: 1, engine: 'data-dir', serverPid: null })
    const paths = (manifest.files as { path: string }[]).map((f) => f.path)
    expect(paths).toEqual(expect.arrayContaining(['db.json', 'jwt.key', `messages/${conversationId}/00000000.jsonl`]))
    expect(paths.filter((p) => p.startsWith('search.sqlite') || p === 'server.lock' || p.includes(stray))).toEqual([])

    const restored = join(root, 'restored')
    await mkdir(restored) // an empty directory is fine
    expect((await runCli(['restore', '--from', backup, '--data-dir', restored]).done).code).toBe(0)
    const again = await startChildServer(restored)
    const login = await api(again.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
    expect(login.status).toBe(200)
    const page = await api(again.url, 'GET', `/conversations/${conversationId}/messages`, { token: login.body.accessToken })
    expect(page.body.messages.map((m: { text: string }) => m.text)).toContain('hello')
    again.child.kill('SIGTERM')
    await again.exited
  })

  it('refuses a backup whose files were changed, cut, removed or added to, naming what is wrong', async () => {
    const segment = (dir: string): Promise<string> =>
      readdir(join(dir, 'messages')).then((ids) => join(dir, 'messages', ids[0]!, '00000000.jsonl'))
    const flipped = await tampered(async (dir) => {
      const path = await segment(dir)
      const bytes = await readFile(path)
      bytes[10] = bytes[10]! ^ 1
      await writeFile(path, bytes)
    })
    expect(await restoreRefused(flipped)).toMatch(/messages\/[0-9a-f-]+\/00000000\.jsonl does not match its SHA-256/)
    const cut = await tampered(async (dir) => truncate(join(dir, 'db.json'), 10))
    expect(await restoreRefused(cut)).toMatch(/db\.json is 10 bytes; the manifest says \d+/)
    const removed = await tampered(async (dir) => unlink(join(dir, 'jwt.key')))
    expect(await restoreRefused(removed)).toContain('jwt.key is missing')
    const added = await tampered(async (dir) => writeFile(join(dir, 'extra.json'), '{}'))
    expect(await restoreRefused(added)).toContain('extra.json is not in the manifest')
    // --check verifies without writing anything, with the same verdict.
    const check = await restore([flipped, '--check'])
    expect(check.code).toBe(1)
    expect(check.stderr).toContain('does not match its SHA-256')
    expect((await restore([backup, '--check'])).code).toBe(0)
  })

  it('refuses a backup without its manifest, or whose manifest is damaged or points outside the target', async () => {
    expect(await restoreRefused(join(root, 'no-such-backup'))).toContain('no-such-backup does not exist')
    const noManifest = await tampered(async (dir) => unlink(join(dir, 'manifest.json')))
    expect(await restoreRefused(noManifest)).toContain('has no manifest.json')
    const garbled = await tampered(async (dir) => writeFile(join(dir, 'manifest.json'), '{"format":'))
    expect(await restoreRefused(garbled)).toContain('manifest.json is damaged')
    const escaping = await tampered(async (dir) => {
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))
      manifest.files[0].path = '../escaped'
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest))
    })
    expect(await restoreRefused(escaping)).toMatch(/manifest\.json is damaged: files\.0\.path/)
    expect(await readdir(root)).not.toContain('escaped')
    const newer = await tampered(async (dir) => {
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))
      manifest.formatVersion = 99
      await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest))
    })
    expect(await restoreRefused(newer)).toContain('made by a newer server (backup format 99)')
  })

  it('never restores into a directory that holds anything, and leaves it as it was', async () => {
    const busy = join(root, 'busy')
    await mkdir(busy)
    await writeFile(join(busy, 'db.json'), 'precious')
    const run = await restore([backup, '--data-dir', busy])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('is not empty')
    expect(await readdir(busy)).toEqual(['db.json'])
    expect(await readFile(join(busy, 'db.json'), 'utf8')).toBe('precious')
    // Nor backs up over an existing backup.
    const over = await command(runBackupCommand, ['--data-dir', join(root, 'data'), '--to', backup])
    expect(over.code).toBe(2)
    expect(over.stderr).toContain('already exists and is not empty')
  })
})

describe('backup on PostgreSQL', () => {
  it('refuses and points to pg_dump and point-in-time recovery', { timeout: 60_000 }, async () => {
    for (const env of [{}, { MESSENGER_DATABASE_URL: 'postgres://messenger@127.0.0.1:5432/messenger' }]) {
      const args = ['backup', '--data-dir', join(root, 'pg'), '--to', join(root, 'pg-backup'), ...('MESSENGER_DATABASE_URL' in env ? [] : ['--database-url', 'postgres://messenger@127.0.0.1:5432/messenger'])]
      const run = await runCli(args, { env }).done
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('pg_dump')
      expect(run.stderr).toContain('docs/scaling.md')
      expect(await readdir(root)).not.toContain('pg-backup')
    }
  })
})
