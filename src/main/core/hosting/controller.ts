// Hosting the office server from the app: starts and stops the bundled
// server (the same CLI and data format as the standalone one) in its own
// process through a launcher, keeps the user's choices (port, name, where it
// listens, advertised or not, start with the app), and pins its certificate for this app's own account,
// which then connects to it like any other client.
import { readFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Low } from 'lowdb'
import type { ErrorBody } from '../../../shared/errors'
import type { HostingInvite, HostingStatus } from '../../../shared/ipc'
import { advertisedFor, listenHostOf, type HostingInterface, type HostingListen } from '../../../shared/schemas/hosting'
import { pemFingerprint } from '../../../node/certificate'
import { ClientError } from '../errors'
import { LOG_ROTATION, logsDirOf, openLogFile, type LogFile, type LogRotation } from '../log-files'
import type { Logger } from '../logger'
import type { ServerTrust } from '../tls/server-trust'
import { inviteLink, type InviteCodes } from '../../../shared/invite'
import { qrDataUrl } from './invite'
import type { HostedProcess, ServerLauncher } from './launcher'
import { hostInterfaces, lanAddresses, urlHost } from './network'
import { openHostingSettings, type HostingSettings } from './settings'

export interface HostingOptions {
  launcher: ServerLauncher
  /** Where the server listens whatever the person chose (tests: 127.0.0.1, never the LAN). */
  listenHost?: string
  /** false: never advertised on the LAN, whatever the person chose (tests). */
  advertise?: false
  /** This computer's addresses for the "one interface" choice; os.networkInterfaces() by default (tests: made-up ones). */
  interfaces?: () => HostingInterface[]
  /** More CLI arguments (tests: --no-discovery). */
  extraArgs?: string[]
  /** How <userData>/logs/server.log rotates; LOG_ROTATION by default (tests: a small size). */
  logRotation?: LogRotation
}

/** How long a server may take to stop before it is killed. */
const STOP_TIMEOUT_MS = 15_000

interface Listening {
  type: 'listening'
  port: number
  fingerprint: string | null
  name: string
}

/** What a start applied: the person's choices then, and what they came to (overrides included). */
interface Launched {
  chosenHost: string
  chosenAdvertised: boolean
  host: string
  advertised: boolean
}

export class HostingController {
  private state: HostingStatus['state'] = 'stopped'
  private process: HostedProcess | null = null
  private running: Listening | null = null
  private launched: Launched | null = null
  private error: ErrorBody | null = null
  private transition: Promise<HostingStatus> | null = null
  /** The server's own JSON lines, opened at its first line; none after close. */
  private serverLog: LogFile | null = null
  private closed = false

  private constructor(
    private readonly settings: Low<HostingSettings>,
    readonly dataDir: string,
    private readonly logsDir: string,
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
    return new HostingController(await openHostingSettings(userDataDir), join(userDataDir, 'hosted-server'), logsDirOf(userDataDir), options, trust, onStatus, log)
  }

  status(): HostingStatus {
    const { autoStart, port, name, listen, advertise } = this.settings.data
    const running = this.running
    const launched = running ? this.launched : null
    const livePort = running?.port ?? port
    const scheme = running && !running.fingerprint ? 'http' : 'https'
    const host = launched?.host ?? '0.0.0.0'
    const everywhere = host === '0.0.0.0' || host === '::'
    const url = (address: string): string => `${scheme}://${urlHost(address)}:${livePort}`
    const wanted = this.wanted()
    return {
      state: this.state,
      autoStart,
      port: livePort,
      name: running?.name ?? name ?? hostname(),
      fingerprint: running?.fingerprint ?? null,
      urls: launched ? (everywhere ? lanAddresses(this.interfaces()) : [host]).map(url) : [],
      localUrl: launched ? url(everywhere ? '127.0.0.1' : host) : null,
      listen,
      advertise,
      advertised: launched?.advertised ?? false,
      restartToApply: launched !== null && (launched.chosenHost !== wanted.chosenHost || launched.chosenAdvertised !== wanted.chosenAdvertised),
      interfaces: this.interfaces(),
      dataDir: this.dataDir,
      error: this.error
    }
  }

  /** Keeps where it listens and whether it is advertised; a running server applies them when it restarts. */
  async setNetwork(choice: { listen?: HostingListen | undefined; advertise?: boolean | undefined }): Promise<HostingStatus> {
    if (choice.listen?.mode === 'interface') this.checkAddress(choice.listen.address)
    if (choice.listen) this.settings.data.listen = choice.listen
    if (choice.advertise !== undefined) this.settings.data.advertise = choice.advertise
    await this.settings.write()
    this.onStatus(this.status())
    return this.status()
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

  /** Stops the server and closes its log file (app quit). */
  async close(): Promise<void> {
    await this.stop()
    this.closed = true
    const file = this.serverLog
    this.serverLog = null
    await file?.close()
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

  private interfaces(): HostingInterface[] {
    return (this.options.interfaces ?? hostInterfaces)()
  }

  private checkAddress(address: string): void {
    if (!this.interfaces().some((i) => i.address === address)) {
      throw new ClientError('validation_failed', `${address} is not an address of this computer now; choose another where it listens`)
    }
  }

  /** The saved choices, and what they come to with the app's overrides. */
  private wanted(): Launched {
    const { listen, advertise } = this.settings.data
    const chosenHost = listenHostOf(listen)
    const chosenAdvertised = advertisedFor(listen, advertise)
    return { chosenHost, chosenAdvertised, host: this.options.listenHost ?? chosenHost, advertised: this.options.advertise !== false && chosenAdvertised }
  }

  private launch(): Promise<HostingStatus> {
    const { port, name, listen } = this.settings.data
    const wanted = this.wanted()
    this.error = null
    if (listen.mode === 'interface') {
      try {
        this.checkAddress(listen.address)
      } catch (err) {
        // The laptop moved to another network since: say so rather than let the server fail with EADDRNOTAVAIL.
        this.error = { code: 'unavailable', message: (err as Error).message }
        this.set('failed')
        return Promise.resolve(this.status())
      }
    }
    const args = [
      '--port', String(port),
      '--host', wanted.host,
      '--data-dir', this.dataDir,
      ...(name ? ['--name', name] : []),
      // On one interface, mDNS names only that address, not every one this computer has.
      ...(!wanted.advertised ? ['--no-discovery'] : wanted.host !== '0.0.0.0' ? ['--advertise-address', wanted.host] : []),
      ...(this.options.extraArgs ?? [])
    ]
    this.launched = wanted
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

  /**
   * The server writes JSON lines on stdout: they go to server.log as they are.
   * stderr holds what pino did not write (a crash): into server.log as a
   * line of the same shape, and into the app's log, where it is news.
   */
  private onLog(line: string, stream: 'stdout' | 'stderr'): void {
    if (stream === 'stderr') this.log.warn('hosted server', { line })
    if (this.closed) return
    this.serverLog ??= openLogFile(this.logsDir, 'server.log', this.options.logRotation ?? LOG_ROTATION)
    this.serverLog.write(stream === 'stdout' ? line : JSON.stringify({ level: 50, time: Date.now(), name: 'messenger-server', stream: 'stderr', msg: line }))
  }

  private set(state: HostingStatus['state']): void {
    this.state = state
    this.onStatus(this.status())
  }
}
