// The files that run messenger-server as a service: the systemd unit (checked
// by systemd-analyze where it is installed), the Dockerfile and the compose
// files (parsed; Docker cannot build here), and HAProxy's configuration for
// the cluster (checked by haproxy -c where installed). Every MESSENGER_*
// setting they use must be one the CLI reads.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const ROOT = resolve(import.meta.dirname, '../../..')
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const has = (command: string): boolean => spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0
const SYSTEMD_ANALYZE = has('systemd-analyze')
const HAPROXY = spawnSync('haproxy', ['-v'], { stdio: 'ignore' }).status === 0

/** The settings of a unit file, by key (a key may repeat). */
function unitSettings(text: string): Map<string, string[]> {
  const settings = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim())
    if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!])
  }
  return settings
}

/** Every MESSENGER_* variable the CLI reads (server/cli.ts names each one as a string). */
const CLI_VARIABLES = new Set(read('server/cli.ts').match(/'MESSENGER_[A-Z_]+'/g)!.map((s) => s.slice(1, -1)))
const variablesIn = (text: string): string[] => [...new Set(text.match(/\bMESSENGER_[A-Z_]+\b/g) ?? [])]

const UNIT = 'build/linux/messenger-server.service'

/** The unit with ExecStart pointing at this checkout's CLI: verify checks that the program exists. */
function runnableUnit(): string {
  const dir = mkdtempSync(join(tmpdir(), 'unit-'))
  dirs.push(dir)
  const path = join(dir, 'messenger-server.service')
  writeFileSync(path, read(UNIT).replace(/^ExecStart=.*$/m, `ExecStart=${process.execPath} ${join(ROOT, 'bin/messenger-server.js')}`))
  return path
}

describe('the systemd unit', () => {
  const settings = unitSettings(read(UNIT))
  const one = (key: string): string | undefined => settings.get(key)?.at(-1)

  it('runs as a dedicated user, read-only but for its state directory, with no capabilities', () => {
    expect(one('DynamicUser')).toBe('yes')
    expect(one('StateDirectory')).toBe('messenger-server')
    expect(one('ReadWritePaths')).toBe('/var/lib/messenger-server')
    expect(settings.get('Environment')).toContain('MESSENGER_DATA_DIR=/var/lib/messenger-server')
    expect(one('ProtectSystem')).toBe('strict')
    expect(one('NoNewPrivileges')).toBe('yes')
    expect(one('PrivateTmp')).toBe('yes')
    expect(one('ProtectHome')).toBe('yes')
    expect(one('CapabilityBoundingSet')).toBe('')
    expect(one('AmbientCapabilities')).toBe('')
    expect(one('UMask')).toBe('0077')
  })

  it('stops with SIGTERM (which the CLI handles), restarts on failure but not into a refusal, reads an EnvironmentFile', () => {
    expect(one('KillSignal')).toBe('SIGTERM')
    expect(read('server/cli.ts')).toContain("process.on('SIGTERM'")
    expect(one('Restart')).toBe('on-failure')
    expect(one('RestartPreventExitStatus')?.split(' ')).toEqual(['2', '3'])
    expect(one('EnvironmentFile')).toBe('-/etc/messenger-server/messenger-server.env')
    expect(one('ExecStart')).toBe('/opt/messenger-server/bin/messenger-server.js')
  })

  it.skipIf(!SYSTEMD_ANALYZE)(`passes systemd-analyze verify${SYSTEMD_ANALYZE ? '' : ' (skipped: systemd-analyze is not installed)'}`, () => {
    const unit = runnableUnit()
    const res = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' })
    expect(res.status, res.stderr).toBe(0)
    // verify only warns about unknown keys and bad values: any line about this unit is a mistake.
    expect(res.stderr.split('\n').filter((line) => line.includes('messenger-server'))).toEqual([])
  })

  it.skipIf(!SYSTEMD_ANALYZE)(`keeps an exposure level of 2.0 or less in systemd-analyze security${SYSTEMD_ANALYZE ? '' : ' (skipped: systemd-analyze is not installed)'}`, () => {
    const res = spawnSync('systemd-analyze', ['security', '--offline=yes', runnableUnit()], { encoding: 'utf8' })
    const level = /Overall exposure level for messenger-server\.service: ([\d.]+)/.exec(res.stdout)
    expect(level, res.stdout + res.stderr).not.toBeNull()
    expect(Number(level![1])).toBeLessThanOrEqual(2.0)
  })
})

interface ComposeService {
  build?: string
  image?: string
  ports?: string[]
  volumes?: string[]
  environment?: Record<string, string>
  depends_on?: unknown
}
const compose = (path: string): { services: Record<string, ComposeService>; volumes: Record<string, unknown> } =>
  parse(read(path), { merge: true }) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> }

describe('the Dockerfile and compose files', () => {
  const dockerfile = read('Dockerfile')
  const env = (name: string): string => new RegExp(`${name}=(\\S+)`).exec(dockerfile)![1]!

  it('builds with Node 22 and runs on a slim Node 22 as a non-root user, with the data directory a volume and the port exposed', () => {
    expect(dockerfile.match(/^FROM \S+/gm)).toEqual(['FROM node:22-bookworm', 'FROM node:22-bookworm-slim'])
    expect(/^USER (\S+)$/m.exec(dockerfile)?.[1]).toBe('node')
    expect(/^VOLUME (\S+)$/m.exec(dockerfile)?.[1]).toBe(env('MESSENGER_DATA_DIR'))
    expect(/^EXPOSE (\d+)$/m.exec(dockerfile)?.[1]).toBe(env('MESSENGER_PORT'))
    expect(env('MESSENGER_HOST')).toBe('0.0.0.0')
    const health = /^HEALTHCHECK .*CMD \["node", "([^"]+)"\]$/m.exec(dockerfile)?.[1]
    expect(health && existsSync(join(ROOT, health))).toBe(true)
    expect(dockerfile).toContain(`COPY ${health} `)
    // Every file the image copies from the build context is there, and .dockerignore does not hide it.
    const ignored = read('.dockerignore').split('\n').filter((l) => l && !l.startsWith('#'))
    for (const [, from] of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) {
      if (from!.includes('*')) continue
      expect(existsSync(join(ROOT, from!)), from).toBe(true)
      expect(ignored.filter((pattern) => from === pattern || from!.startsWith(`${pattern}/`)), from).toEqual([])
    }
  })

  it('uses only MESSENGER_* settings the CLI reads', () => {
    const files = [UNIT, 'build/linux/messenger-server.env', 'Dockerfile', 'compose.yaml', 'compose.cluster.yaml']
    for (const file of files) {
      const unknown = variablesIn(read(file)).filter((name) => !CLI_VARIABLES.has(name))
      expect(unknown, file).toEqual([])
    }
    expect(CLI_VARIABLES.size).toBeGreaterThan(15)
  })

  it('compose.yaml: one node from this Dockerfile, its data directory in a named volume, on port 7450', () => {
    const { services, volumes } = compose('compose.yaml')
    const node = services['messenger']!
    expect(node.build).toBe('.')
    expect(node.ports).toEqual(['7450:7450'])
    const [volume, path] = node.volumes![0]!.split(':')
    expect(path).toBe(env('MESSENGER_DATA_DIR'))
    expect(volumes).toHaveProperty(volume!)
  })

  it('compose.cluster.yaml: three nodes on one PostgreSQL and one Redis, one shared files volume, HAProxy in front of each', () => {
    const { services, volumes } = compose('compose.cluster.yaml')
    const nodes = Object.entries(services).filter(([, s]) => s.build === '.')
    expect(nodes.map(([name]) => name)).toEqual(['node1', 'node2', 'node3'])
    expect(services['postgres']?.image).toMatch(/^postgres:/)
    expect(services['redis']?.image).toMatch(/^redis:7/)
    const haproxyCfg = read('build/docker/haproxy.cfg')
    const dataVolumes = new Set<string>()
    for (const [name, node] of nodes) {
      const e = node.environment!
      expect(new URL(e['MESSENGER_DATABASE_URL']!.replace(/\$\{[^}]+\}/, 'pw')).host).toBe('postgres:5432')
      expect(new URL(e['MESSENGER_REDIS_URL']!).host).toBe('redis:6379')
      expect(e['MESSENGER_MAX_CONNECTIONS_PER_ADDRESS']).toBe('0')
      const mounts = Object.fromEntries(node.volumes!.map((v) => v.split(':').reverse() as [string, string]))
      expect(mounts[e['MESSENGER_FILES_DIR']!]).toBe('files')
      dataVolumes.add(mounts[env('MESSENGER_DATA_DIR')]!)
      expect(haproxyCfg).toMatch(new RegExp(`^\\s+server ${name} ${name}:7450$`, 'm'))
    }
    // Each node locks its own data directory.
    expect(dataVolumes.size).toBe(3)
    for (const volume of [...dataVolumes, 'files']) expect(volumes).toHaveProperty(volume)
    expect(services['haproxy']!.ports).toEqual(['7450:7450'])
    expect(services['haproxy']!.volumes).toContain('./build/docker/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro')
  })

  it.skipIf(!HAPROXY)(`HAProxy accepts the cluster's configuration${HAPROXY ? '' : ' (skipped: haproxy is not installed)'}`, () => {
    const res = spawnSync('haproxy', ['-c', '-f', join(ROOT, 'build/docker/haproxy.cfg')], { encoding: 'utf8' })
    expect(res.status, res.stderr).toBe(0)
    expect(res.stdout + res.stderr).toContain('Configuration file is valid')
  })
})
