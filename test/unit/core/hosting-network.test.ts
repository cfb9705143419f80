// Where the hosted server listens and whether it is advertised: the
// controller's choices, what they pass to the server CLI, and what the status
// and invite link then say. The launcher is a stand-in that records the CLI
// arguments and answers "listening" without binding anything.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HostingController, type HostingOptions } from '../../../src/main/core/hosting/controller'
import type { HostedProcess, ServerLauncher } from '../../../src/main/core/hosting/launcher'
import { ClientError } from '../../../src/main/core/errors'
import { silentLogger } from '../../../src/main/core/logger'
import type { ServerTrust } from '../../../src/main/core/tls/server-trust'
import { parseServerInput } from '../../../src/shared/invite'
import type { HostingInterface } from '../../../src/shared/schemas/hosting'

const INTERFACES: HostingInterface[] = [
  { name: 'eth0', address: '192.168.1.20', family: 'IPv4' },
  { name: 'eth0', address: 'fd00::20', family: 'IPv6' }
]

/** Records each start's arguments; the "server" listens on port 7451 at once and stops when asked. */
function fakeLauncher(): ServerLauncher & { starts: string[][] } {
  const starts: string[][] = []
  return {
    starts,
    launch(args) {
      starts.push(args)
      const exits: Array<(code: number | null) => void> = []
      const child: HostedProcess = {
        pid: 1,
        onMessage: (listener) => queueMicrotask(() => listener({ type: 'listening', port: 7451, fingerprint: null, name: 'Front office' })),
        onExit: (listener) => void exits.push(listener),
        send: (message) => {
          if ((message as { type: string }).type === 'stop') queueMicrotask(() => exits.forEach((exit) => exit(0)))
        },
        kill: () => exits.forEach((exit) => exit(null))
      }
      return child
    }
  }
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hosting-network-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const open = (launcher: ServerLauncher, options: Partial<HostingOptions> = {}): Promise<HostingController> =>
  HostingController.open(dir, { launcher, interfaces: () => INTERFACES, ...options }, {} as ServerTrust, () => undefined, silentLogger)

/** The value after a CLI flag, or null when the flag is not there. */
const flag = (args: string[], name: string): string | null => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? '') : null)

describe('where the hosted server listens', () => {
  it('listens on every interface and advertises by default, and lists this computer’s addresses to choose from', async () => {
    const launcher = fakeLauncher()
    const hosting = await open(launcher)
    expect(hosting.status()).toMatchObject({ listen: { mode: 'all' }, advertise: true, advertised: false, restartToApply: false, interfaces: INTERFACES })
    const running = await hosting.start()
    expect(flag(launcher.starts[0]!, '--host')).toBe('0.0.0.0')
    expect(launcher.starts[0]).not.toContain('--no-discovery')
    expect(running).toMatchObject({ state: 'running', advertised: true, urls: ['http://192.168.1.20:7451'], localUrl: 'http://127.0.0.1:7451' })
    await hosting.stop()
  })

  it('on one interface: binds and advertises only that address, and the status and invite link name it', async () => {
    const launcher = fakeLauncher()
    const hosting = await open(launcher)
    await hosting.setNetwork({ listen: { mode: 'interface', address: 'fd00::20' } })
    const running = await hosting.start()
    const args = launcher.starts[0]!
    expect([flag(args, '--host'), flag(args, '--advertise-address')]).toEqual(['fd00::20', 'fd00::20'])
    expect(running).toMatchObject({ urls: ['http://[fd00::20]:7451'], localUrl: 'http://[fd00::20]:7451', advertised: true })
    expect(parseServerInput((await hosting.invite()).link).server).toBe('http://[fd00::20]:7451')
    await hosting.stop()
  })

  it('this computer only: 127.0.0.1 and never advertised, whatever the advertise choice', async () => {
    const launcher = fakeLauncher()
    const hosting = await open(launcher)
    await hosting.setNetwork({ listen: { mode: 'local' }, advertise: true })
    const running = await hosting.start()
    expect(flag(launcher.starts[0]!, '--host')).toBe('127.0.0.1')
    expect(launcher.starts[0]).toContain('--no-discovery')
    expect(running).toMatchObject({ urls: ['http://127.0.0.1:7451'], advertised: false })
    await hosting.stop()
  })

  it('not advertised when the person says so', async () => {
    const launcher = fakeLauncher()
    const hosting = await open(launcher)
    await hosting.setNetwork({ advertise: false })
    expect((await hosting.start()).advertised).toBe(false)
    expect(launcher.starts[0]).toContain('--no-discovery')
    await hosting.stop()
  })

  it('a change while running waits for a restart, and says so', async () => {
    const launcher = fakeLauncher()
    const hosting = await open(launcher)
    await hosting.start()
    const changed = await hosting.setNetwork({ listen: { mode: 'local' } })
    // Still the running server's addresses until then.
    expect(changed).toMatchObject({ state: 'running', restartToApply: true, urls: ['http://192.168.1.20:7451'] })
    // Back to what it runs with: nothing to apply.
    expect((await hosting.setNetwork({ listen: { mode: 'all' } })).restartToApply).toBe(false)
    await hosting.setNetwork({ advertise: false })
    expect(hosting.status().restartToApply).toBe(true)
    await hosting.stop()
    const again = await hosting.start()
    expect(again.restartToApply).toBe(false)
    expect(launcher.starts[1]).toContain('--no-discovery')
    await hosting.stop()
  })

  it('the app’s overrides win over the choice (tests never bind the LAN or advertise)', async () => {
    const launcher = fakeLauncher()
    const hosting = await open(launcher, { listenHost: '127.0.0.1', advertise: false })
    await hosting.setNetwork({ listen: { mode: 'interface', address: '192.168.1.20' }, advertise: true })
    const running = await hosting.start()
    expect(flag(launcher.starts[0]!, '--host')).toBe('127.0.0.1')
    expect(launcher.starts[0]).toContain('--no-discovery')
    expect(running).toMatchObject({ urls: ['http://127.0.0.1:7451'], advertised: false, listen: { mode: 'interface', address: '192.168.1.20' } })
    await hosting.stop()
  })

  it('refuses an address this computer does not have, and says so at start when one went away', async () => {
    const launcher = fakeLauncher()
    const hosting = await open(launcher)
    await expect(hosting.setNetwork({ listen: { mode: 'interface', address: '10.9.9.9' } })).rejects.toBeInstanceOf(ClientError)
    await hosting.setNetwork({ listen: { mode: 'interface', address: '192.168.1.20' } })
    const moved = await open(launcher, { interfaces: () => [] })
    const failed = await moved.start()
    expect(failed).toMatchObject({ state: 'failed', urls: [] })
    expect(failed.error?.message).toContain('192.168.1.20 is not an address of this computer now')
    expect(launcher.starts).toEqual([])
  })

  it('keeps the choices for next time; settings from before them get the defaults', async () => {
    const launcher = fakeLauncher()
    await (await open(launcher)).setNetwork({ listen: { mode: 'interface', address: '192.168.1.20' }, advertise: false })
    expect((await open(launcher)).status()).toMatchObject({ listen: { mode: 'interface', address: '192.168.1.20' }, advertise: false })
    await writeFile(join(dir, 'hosting.json'), JSON.stringify({ autoStart: false, port: 7450, name: null }))
    expect((await open(launcher)).status()).toMatchObject({ listen: { mode: 'all' }, advertise: true, port: 7450 })
  })
})
