// `messenger-server users …` in a child process on a temp data directory.
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliEnv, killChildServers, startChildServer } from '../helpers/child-server'
import { testEngine } from '../helpers/engines'
import { api, register, type TestUser } from '../helpers/http'
import { startServer } from '../helpers/server'

const ROOT = resolve(import.meta.dirname, '../..')
let dataDir: string
let boss: TestUser
let sam: TestUser
/** The command's environment: on the postgres engine MESSENGER_DATABASE_URL names the server's database. */
let env: NodeJS.ProcessEnv

function users(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'users', ...args, '--data-dir', dataDir], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    timeout: 90_000
  })
}

/** Starts a server on the data directory, runs `check` against it, and stops it again. */
async function withServer(check: (url: string) => Promise<void>): Promise<void> {
  const srv = await startServer({}, dataDir)
  try {
    await check(srv.url)
  } finally {
    await srv.stop()
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'messenger-admin-cli-'))
  env = await cliEnv(dataDir)
  await withServer(async (url) => {
    boss = await register(url, `boss${process.pid}`)
    sam = await register(url, `sam${process.pid}`)
  })
})
afterAll(async () => {
  killChildServers()
  await rm(dataDir, { recursive: true, force: true })
})

// Every step spawns a Node process with tsx: slow on a loaded machine, so the limit is generous (nothing is timed).
describe('messenger-server users', { timeout: 180_000 }, () => {
  it('lists accounts as a table and as JSON', () => {
    const list = users('list')
    expect(list.status, list.stderr).toBe(0)
    const lines = list.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^USERNAME\s+DISPLAY NAME\s+ADMIN\s+DISABLED\s+CREATED$/)
    expect(lines[1]).toMatch(new RegExp(`^${boss.user.username}\\s.*\\syes\\s`))
    expect(lines[2]).toMatch(new RegExp(`^${sam.user.username}\\s`))
    expect(lines[2]).not.toContain('yes')
    const json = JSON.parse(users('list', '--json').stdout) as { users: { username: string; serverAdmin: boolean }[] }
    expect(json.users.map((u) => [u.username, u.serverAdmin])).toEqual([
      [boss.user.username, true],
      [sam.user.username, false]
    ])
  })

  it('disables and enables an account', async () => {
    const off = users('disable', sam.user.username.toUpperCase())
    expect(off.status, off.stderr).toBe(0)
    expect(off.stdout).toContain(`${sam.user.username}: disabled`)
    await withServer(async (url) => {
      const res = await api(url, 'POST', '/auth/login', { body: { username: sam.user.username, password: sam.password } })
      expect(res.status).toBe(403)
      expect(res.body.error.code).toBe('account_disabled')
      // Sessions from before the CLI disabled it are over too.
      expect((await api(url, 'POST', '/auth/refresh', { body: { refreshToken: sam.refreshToken } })).status).toBe(403)
    })
    expect(users('enable', sam.user.username).stdout).toContain(`${sam.user.username}: enabled`)
    await withServer(async (url) => {
      expect((await api(url, 'POST', '/auth/login', { body: { username: sam.user.username, password: sam.password } })).status).toBe(200)
    })
  })

  it('makes and revokes admins, keeping one enabled admin', () => {
    expect(users('make-admin', sam.user.username).stdout).toContain('server admin')
    expect(users('revoke-admin', boss.user.username).stdout).toContain(`${boss.user.username}: enabled, not an admin`)
    const last = users('revoke-admin', sam.user.username)
    expect(last.status).toBe(1)
    expect(last.stderr).toContain('last enabled server admin')
    expect(users('make-admin', boss.user.username).status).toBe(0)
  })

  it('resets a password: the printed code sets a new one once, and old sessions end', async () => {
    const reset = users('reset-password', sam.user.username)
    expect(reset.status, reset.stderr).toBe(0)
    const code = /Reset code for \S+: ([0-9A-Z]{10})/.exec(reset.stdout)?.[1]
    expect(code, reset.stdout).toBeDefined()
    await withServer(async (url) => {
      expect((await api(url, 'POST', '/auth/refresh', { body: { refreshToken: sam.refreshToken } })).status).toBe(401)
      const body = { username: sam.user.username, code, password: 'set from the cli' }
      expect((await api(url, 'POST', '/auth/reset-password', { body })).status).toBe(200)
      expect((await api(url, 'POST', '/auth/reset-password', { body })).status).toBe(400)
      expect((await api(url, 'POST', '/auth/login', { body: { username: sam.user.username, password: 'set from the cli' } })).status).toBe(200)
    })
  })

  // Data-dir only: a running server owns its data directory's records. On PostgreSQL the command works beside a running server (next test).
  it.skipIf(testEngine() === 'postgres')('refuses while a server runs on the data directory, naming its process', async () => {
    const server = await startChildServer(dataDir)
    try {
      const res = users('list')
      expect(res.status).toBe(1)
      expect(res.stderr).toContain(`already in use by process ${server.child.pid}`)
      expect(res.stderr).toContain('stop it')
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
    expect(users('list').status).toBe(0)
  })

  it.runIf(testEngine() === 'postgres')('on PostgreSQL, works while a server runs on the same database', async () => {
    const server = await startChildServer(dataDir)
    try {
      const res = users('list', '--json')
      expect(res.status, res.stderr).toBe(0)
      expect((JSON.parse(res.stdout) as { users: { username: string }[] }).users.map((u) => u.username)).toContain(sam.user.username)
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
  })

  it('explains bad usage with exit code 2, and unknown accounts or directories with 1', async () => {
    for (const args of [[], ['frobnicate'], ['list', 'extra'], ['enable', 'a', 'b'], ['reset-password', 'x', '--reset-ttl', '0']]) {
      const res = users(...args)
      expect(res.status, args.join(' ')).toBe(2)
      expect(res.stderr).toContain('Usage: messenger-server users')
    }
    const unknown = users('disable', 'nobody-here')
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toContain('no account "nobody-here"')
    const empty = await mkdtemp(join(tmpdir(), 'messenger-admin-cli-empty-'))
    try {
      const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'users', 'list', '--data-dir', empty], { cwd: ROOT, encoding: 'utf8' })
      expect(res.status).toBe(1)
      expect(res.stderr).toContain('holds no server data')
    } finally {
      await rm(empty, { recursive: true, force: true })
    }
    // The server's SMTP options are checked before it starts.
    const smtp = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', '--smtp-url', 'http://mail', '--smtp-from', 'a@b.c'], { cwd: ROOT, encoding: 'utf8' })
    expect(smtp.status).toBe(2)
    expect(smtp.stderr).toContain('--smtp-url must start with smtp://')
    const help = users('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('reset-password <username>')
  })
})
