// Hosting the office server from the app: starts and stops the bundled
// server (the same CLI and data format as the standalone one) in its own
// process through a launcher, keeps the user's choices (port, name, start
// with the app), and pins its certificate for this app's own account,
// which then connects to it like any other client.
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Low } from 'lowdb'
import type { ErrorBody } from '../../../shared/errors'
import type { HostingInvite, HostingStatus } from '../../../shared/ipc'
import { pemFingerprint } from '../../../node/certificate'
import { ClientError } from '../errors'
import type { Logger } from '../logger'
import type { ServerTrust } from '../tls/server-trust'
import { inviteLink, type InviteCodes } from '../../../shared/invite'
import { qrDataUrl } from './invite'
import type { HostedProcess, ServerLauncher } from './launcher'
import { lanAddresses } from './network'
import { openHostingSettings, type HostingSettings } from './settings'

export interface HostingOptions {
  launcher: ServerLauncher
  /** Where the server listens: 0.0.0.0 (every interface, the LAN) by default; tests use 127.0.0.1. */
  listenHost?: string
  /** More CLI arguments (tests: --no-discovery). */
  extraArgs?: string[]
}

/** How long a server may take to stop before it is killed. */
const STOP_TIMEOUT_MS = 15_000

interface Listening {
  type: 'listening'
  port: number
  fingerprint: string | null
  name: string
}

export class HostingController {
  private state: HostingStatus['state'] = 'stopped'
  private process: HostedProcess | null = null
  private running: Listening | null = null
  private error: ErrorBody | null = null
  private transition: Promise<HostingStatus> | null = null

  private constructor(
    private readonly settings: Low<HostingSettings>,
    readonly dataDir: string,
    private readonly options: HostingOptions,
    private readonly trust: ServerTrust,
    private readonly onStatus: (status: HostingStatus) => void,
    private readonly log: Logger
  ) {}

  static async open(
    userDataDir: string,
    options: HostingOptions,
    trust: ServerTrust,
    onStatus: (status: HostingStatus) => void,
    log: Logger
  ): Promise<HostingController> {
    return new HostingController(await openHostingSettings(userDataDir), join(userDataDir, 'hosted-server'), options, trust, onStatus, log)
  }

  status(): HostingStatus {
    const { autoStart, port, name } = this.settings.data
    const running = this.running
    const livePort = running?.port ?? port
    const scheme = running && !running.fingerprint ? 'http' : 'https'
    const host = this.options.listenHost ?? '0.0.0.0'
    const everywhere = host === '0.0.0.0' || host === '::'
    const urls = running ? (everywhere ? lanAddresses() : [host]).map((a) => `${scheme}://${a}:${livePort}`) : []
    return {
      state: this.state,
      autoStart,
      port: livePort,
      name: running?.name ?? name ?? hostname(),
      fingerprint: running?.fingerprint ?? null,
      urls,
      localUrl: running ? `${scheme}://${everywhere ? '127.0.0.1' : host}:${livePort}` : null,
      dataDir: this.dataDir,
      error: this.error
    }
  }

  /** Starts the server (again) with these choices, kept for next time; resolves once it listens or failed. */
  async start(choices: { port?: number; name?: string } = {}): Promise<HostingStatus> {
    if (this.transition) await this.transition.catch(() => undefined)
    if (this.state === 'running') return this.status()
    if (choices.port !== undefined) this.settings.data.port = choices.port
    if (choices.name !== undefined) this.settings.data.name = choices.name
    await this.settings.write()
    this.transition = this.launch().finally(() => (this.transition = null))
    return this.transition
  }

  async stop(): Promise<HostingStatus> {
    if (this.transition) await this.transition.catch(() => undefined)
    const child = this.process
    if (!child) return this.status()
    this.transition = new Promise<HostingStatus>((resolve) => {
      this.set('stopping')
      const killer = setTimeout(() => child.kill(), STOP_TIMEOUT_MS)
      child.onExit(() => {
        clearTimeout(killer)
        resolve(this.status())
      })
      child.send({ type: 'stop' })
    }).finally(() => (this.transition = null))
    return this.transition
  }

  async setAutoStart(autoStart: boolean): Promise<HostingStatus> {
    this.settings.data.autoStart = autoStart
    await this.settings.write()
    this.onStatus(this.status())
    return this.status()
  }

  /** At app start: the server starts again if the user chose so. A failure shows in the status. */
  async autoStart(): Promise<void> {
    if (this.settings.data.autoStart) await this.start()
  }

  async invite(serverUrl?: string, codes: InviteCodes = {}): Promise<HostingInvite> {
    const status = this.status()
    const server = serverUrl ?? status.urls[0] ?? status.localUrl
    if (status.state !== 'running' || !server) throw new ClientError('unavailable', 'start hosting first')
    const link = inviteLink(server, status.fingerprint, codes)
    return { link, qr: await qrDataUrl(link) }
  }

  private launch(): Promise<HostingStatus> {
    const { port, name } = this.settings.data
    const args = [
      '--port', String(port),
      '--host', this.options.listenHost ?? '0.0.0.0',
      '--data-dir', this.dataDir,
      ...(name ? ['--name', name] : []),
      ...(this.options.extraArgs ?? [])
    ]
    this.error = null
    this.set('starting')
    return new Promise<HostingStatus>((resolve) => {
      let settled = false
      const settle = (): void => {
        if (settled) return
        settled = true
        resolve(this.status())
      }
      const child = this.options.launcher.launch(args, (line, stream) => this.onLog(line, stream))
      this.process = child
      child.onMessage((message) => {
        const m = message as { type?: unknown; message?: unknown }
        if (m.type === 'failed') this.error = { code: 'unavailable', message: `the server could not start: ${String(m.message)}` }
        if (m.type !== 'listening') return
        this.onListening(message as Listening).then(settle, (err: unknown) => {
          this.error = { code: 'internal', message: `the server started but its certificate could not be read: ${String(err)}` }
          child.send({ type: 'stop' })
        })
      })
      child.onExit((code) => {
        const wasRunning = this.state === 'running'
        this.process = null
        this.running = null
        if (this.state !== 'stopping' && !this.error) {
          this.error = { code: 'unavailable', message: wasRunning ? `the server stopped unexpectedly (exit code ${code})` : `the server exited (code ${code}) before it listened` }
        }
        this.set(this.state === 'stopping' ? 'stopped' : 'failed')
        this.log.info('hosted server exited', { code })
        settle()
      })
    })
  }

  private async onListening(listening: Listening): Promise<void> {
    if (listening.fingerprint) {
      // Same computer, same files: this app trusts its own server's certificate without asking.
      const certificate = await readFile(join(this.dataDir, 'tls', 'cert.pem'), 'utf8')
      if (pemFingerprint(certificate) !== listening.fingerprint) throw new Error('the certificate on disk is not the one the server uses')
      this.running = listening
      const status = this.status()
      for (const url of [status.localUrl!, ...status.urls]) await this.trust.pinKnown(url, certificate, listening.fingerprint)
    }
    this.running = listening
    this.log.info('hosting', { port: listening.port, fingerprint: listening.fingerprint })
    this.set('running')
  }

  private onLog(line: string, stream: 'stdout' | 'stderr'): void {
    if (stream === 'stderr') this.log.warn('hosted server', { line })
    else this.log.debug('hosted server', { line })
  }

  private set(state: HostingStatus['state']): void {
    this.state = state
    this.onStatus(this.status())
  }
}
