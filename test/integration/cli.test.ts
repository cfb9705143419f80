import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, register } from '../helpers/http'
import { killChildServers, startChildServer } from '../helpers/child-server'

const ROOT = resolve(import.meta.dirname, '../..')
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'messenger-cli-'))
})
afterAll(async () => {
  killChildServers()
  await rm(dataDir, { recursive: true, force: true })
})

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 })
}

describe('messenger-server CLI', () => {
  // Six CLI starts in a row, each compiling the server with tsx: seconds apiece on a busy machine.
  it('prints help and refuses bad options with exit code 2', { timeout: 120_000 }, () => {
    const help = runCli(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('--data-dir')
    const bad = runCli(['--port', 'seventy'])
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--port must be a number')
    const unknown = runCli(['--colour'])
    expect(unknown.status).toBe(2)
    const size = runCli(['--max-file-size', 'huge'])
    expect(size.status).toBe(2)
    expect(size.stderr).toContain('--max-file-size must be a size')
    expect(help.stdout).toContain('--presence-expiry-seconds')
    const presence = runCli(['--presence-expiry-seconds', '0'])
    expect(presence.status).toBe(2)
    expect(presence.stderr).toContain('--presence-expiry-seconds must be a number of seconds')
    expect(help.stdout).toContain('--sockets-per-user')
    const sockets = runCli(['--sockets-per-session', '0'])
    expect(sockets.status).toBe(2)
    expect(sockets.stderr).toContain('--sockets-per-session must be a whole number')
    expect(help.stdout).toContain('--max-connections-per-address')
    expect(help.stdout).toContain('--metrics-token')
    expect(help.stdout).toContain('--ice-servers')
  })

  it('refuses ICE servers that are not JSON, not STUN/TURN URLs, or TURN without credentials, naming the problem', () => {
    const notJson = runCli(['--ice-servers', 'stun:stun.lan'])
    expect(notJson.status).toBe(2)
    expect(notJson.stderr).toContain('--ice-servers: not JSON')
    const notIce = runCli(['--ice-servers', '[{"urls":"https://turn.lan"}]'])
    expect(notIce.status).toBe(2)
    expect(notIce.stderr).toContain('at 0.urls: https://turn.lan is not a stun:, stuns:, turn: or turns: URL')
    const bare = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, MESSENGER_ICE_SERVERS: '[{"urls":"turn:turn.lan:3478"}]' }
    })
    expect(bare.status).toBe(2)
    expect(bare.stderr).toContain('a TURN server needs a username and a credential')
    const ring = runCli(['--call-ring-ms', '5'])
    expect(ring.status).toBe(2)
    expect(ring.stderr).toContain('--call-ring-ms must be a whole number of milliseconds')
  })

  it('refuses a --metrics-token shorter than 16 characters', () => {
    const metrics = runCli(['--metrics-token', 'short'])
    expect(metrics.status).toBe(2)
    expect(metrics.stderr).toContain('--metrics-token: the metrics token must be at least 16 characters')
  })

  it('serves /metrics with MESSENGER_METRICS_TOKEN, and only to that token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'messenger-cli-metrics-'))
    try {
      const token = 'cli-metrics-token-0123456789'
      const server = await startChildServer(dir, [], { MESSENGER_METRICS_TOKEN: token })
      const scrape = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })
      expect(scrape.status).toBe(200)
      expect(await scrape.text()).toContain('messenger_messages_accepted_total 0')
      expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
      server.child.kill('SIGTERM')
      expect((await server.exited).code).toBe(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('refuses a --max-connections-per-address that is not a whole number', () => {
    const connections = runCli(['--max-connections-per-address', 'many'])
    expect(connections.status).toBe(2)
    expect(connections.stderr).toContain('--max-connections-per-address must be a whole number')
  })

  it('exits 1 at once when PostgreSQL cannot be reached, naming host, port and database but never the password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'messenger-cli-pg-'))
    try {
      // Port 1 on loopback: nothing listens there.
      const res = runCli(['--port', '0', '--host', '127.0.0.1', '--no-discovery', '--no-tls', '--data-dir', dir, '--database-url', 'postgres://office:s3cret-pw@127.0.0.1:1/messenger'])
      expect(res.status).toBe(1)
      const output = res.stdout + res.stderr
      expect(output).toContain('cannot reach PostgreSQL at 127.0.0.1:1/messenger')
      expect(output).not.toContain('s3cret-pw')
      const bad = runCli(['--database-url', 'mysql://db/x'])
      expect(bad.status).toBe(2)
      expect(bad.stderr).toContain('--database-url must start with postgres://')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('logs where it listens, refuses a second server on the same data directory, and stops cleanly on SIGTERM', async () => {
    const server = await startChildServer(dataDir)
    const listening = server.logs.find((l) => l['msg'] === 'listening')!
    expect(listening).toMatchObject({ host: '127.0.0.1', dataDir })

    const second = runCli(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--no-tls', '--no-discovery'])
    expect(second.status).toBe(1)
    expect(second.stdout + second.stderr).toContain('already in use by process')

    const user = await register(server.url)
    server.child.kill('SIGTERM')
    expect(await server.exited).toEqual({ code: 0, signal: null })
    expect(server.logs.map((l) => l['msg'])).toContain('stopped')

    // The next start finds the account and takes the directory without complaint.
    const again = await startChildServer(dataDir)
    const login = await api(again.url, 'POST', '/auth/login', { body: { username: user.user.username, password: user.password } })
    expect(login.status).toBe(200)
    again.child.kill('SIGINT')
    expect((await again.exited).code).toBe(0)
  })
})
