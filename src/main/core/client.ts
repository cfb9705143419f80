// The client core: everything the main process does for the renderer, in
// plain Node. Electron (src/main/electron) and the Node host (src/main/web)
// each build one, pass IPC requests to `dispatch` and forward its events.
import { rm } from 'node:fs/promises'
import type { Result } from '../../shared/errors'
import type { AccountSummary, ConnectionState, IpcMethod, SessionState, SignedOutReason } from '../../shared/ipc'
import { AuthResponse } from '../../shared/schemas/auth'
import { Me, type Me as MeType } from '../../shared/schemas/users'
import { z } from 'zod'
import type { MdnsOptions } from '../../shared/discovery'
import { AccountRegistry, accountId, normalizeServerUrl } from './accounts'
import { ClientError, notSignedIn } from './errors'
import { EventBatcher } from './event-batcher'
import { ServerHttp } from './http'
import { dispatch } from './ipc-dispatch'
import { createHandlers, type Handlers } from './handlers'
import { createLogger, type Logger } from './logger'
import { AccountRuntime } from './runtime'
import { fromServer } from './server-data'
import type { SecretStorage } from './secret-store'
import { Session } from './session'
import { DiscoveryBrowser } from './discovery/browser'
import { HostingController, type HostingOptions } from './hosting/controller'
import { ServerTrust } from './tls/server-trust'
import { TrustStore } from './tls/trust-store'
import { DownloadDir, type FileHost } from './transfers/file-host'
import { AppearanceFile, type AppearanceListener } from './appearance'

export interface ClientCoreOptions {
  /** The app's user-data directory: accounts.json and accounts/<id>/. */
  userDataDir: string
  secrets: SecretStorage
  host: 'electron' | 'web'
  version: string
  logger?: Logger
  /** How this app hosts the bundled server (a child process, a utilityProcess); none: it cannot host. */
  hosting?: HostingOptions
  /** mDNS socket options for finding servers on the LAN; false: no discovery. Tests use a private port. */
  discovery?: MdnsOptions | false
  /** The fetch for plain-http servers (tests count or break requests); https servers use their pinned transport. */
  fetch?: typeof fetch
  /** Dialogs and the shell for files, where the host has them (Electron). */
  files?: FileHost
  /** Where downloads go until the user picks a folder; default ~/Downloads. */
  downloadsDir?: string
  /** Hears the window's theme and text size at start and on each change (Electron: nativeTheme). */
  onAppearance?: AppearanceListener
}

const MeResponse = z.object({ user: Me })

export class ClientCore {
  readonly events = new EventBatcher()
  readonly log: Logger
  private runtime: AccountRuntime | null = null
  private me: MeType | null = null
  private signedOut: SignedOutReason = 'start'
  private readonly handlers: Handlers
  /** Sign-in, sign-out and switches run one at a time. */
  private sessionChain: Promise<unknown> = Promise.resolve()

  /** Pinned certificates of https servers (trust on first use). */
  readonly trust: ServerTrust
  /** Servers on the LAN, browsed while the login screen asks; null without discovery. */
  readonly discovery: DiscoveryBrowser | null
  /** The office server this app hosts; null where this build cannot host. */
  hosting: HostingController | null = null

  private constructor(
    readonly options: ClientCoreOptions,
    readonly registry: AccountRegistry,
    trustStore: TrustStore,
    readonly downloadDir: DownloadDir,
    readonly appearance: AppearanceFile
  ) {
    this.log = options.logger ?? createLogger('core')
    this.trust = new ServerTrust(trustStore, options.fetch)
    this.discovery =
      options.discovery === false ? null : new DiscoveryBrowser(options.discovery ?? {}, (servers) => this.events.emit('servers', servers), this.log.child('discovery'))
    this.handlers = createHandlers(this)
  }

  static async create(options: ClientCoreOptions): Promise<ClientCore> {
    // Small independent files: read side by side, start-up waits for one round.
    const [registry, trustStore, downloadDir, appearance] = await Promise.all([
      AccountRegistry.open(options.userDataDir),
      TrustStore.open(options.userDataDir),
      DownloadDir.open(options.userDataDir, options.downloadsDir),
      AppearanceFile.open(options.userDataDir, options.onAppearance)
    ])
    const core = new ClientCore(options, registry, trustStore, downloadDir, appearance)
    if (options.hosting) {
      core.hosting = await HostingController.open(options.userDataDir, options.hosting, core.trust, (status) => core.events.emit('hosting', status), core.log.child('hosting'))
    }
    return core
  }

  /** Opens the last account from its kept sign-in, showing its cache at once, online or not. */
  async start(): Promise<SessionState> {
    // In the background: the window need not wait for the server; an account on it connects once it listens.
    this.hosting?.autoStart().catch((err: unknown) => this.log.warn('the hosted server did not start', { err }))
    const active = this.registry.active()
    if (active) await this.serialized(() => this.resume(active))
    return this.sessionState()
  }

  /** Validates a renderer request and runs its handler; never throws. */
  dispatch(method: string, payload: unknown): Promise<Result<unknown>> {
    return dispatch(this.handlers, method, payload, this.log)
  }

  subscribe(listener: Parameters<EventBatcher['subscribe']>[0]): () => void {
    return this.events.subscribe(listener)
  }

  http(serverUrl: string): ServerHttp {
    const transport = this.trust.transport(serverUrl)
    return new ServerHttp(serverUrl, transport.fetch, transport.socketTls)
  }

  /**
   * After the user trusted a server's new certificate: the signed-in account
   * on that server reconnects with it (its old connection keeps failing).
   */
  reopenServer(serverUrl: string): Promise<void> {
    return this.serialized(async () => {
      const account = this.runtime?.account
      if (!account || new URL(account.serverUrl).origin !== new URL(serverUrl).origin) return
      await this.closeRuntime()
      await this.resume(account)
    })
  }

  /** The signed-in account's parts; throws `unauthorized` when signed out. */
  ctx(): AccountRuntime {
    if (!this.runtime) throw notSignedIn()
    return this.runtime
  }

  sessionState(): SessionState {
    const accounts = this.registry.list()
    if (this.runtime && this.me) return { status: 'signed_in', account: this.runtime.account, me: this.me, accounts }
    return { status: 'signed_out', reason: this.signedOut, accounts }
  }

  connectionState(): ConnectionState {
    return this.runtime?.connectionState() ?? { status: 'signed_out', queued: 0, syncing: false, error: null }
  }

  setMe(me: MeType): void {
    this.me = me
    this.runtime?.cache.setMe(me)
    this.events.emit('session', this.sessionState())
  }

  signIn(serverUrl: string, path: '/auth/login' | '/auth/register' | '/auth/reset-password', body: object): Promise<SessionState> {
    return this.serialized(async () => {
      const http = this.http(normalizeServerUrl(serverUrl))
      const auth = fromServer(AuthResponse, await http.request('POST', path, { body }), 'sign-in answer')
      await this.closeRuntime()
      const account: AccountSummary = {
        id: accountId(http.serverUrl, auth.user.id),
        serverUrl: http.serverUrl,
        userId: auth.user.id,
        username: auth.user.username,
        displayName: auth.user.displayName
      }
      await this.registry.remember(account)
      const session = await Session.start(http, this.options.secrets.store(), account.id, auth, (e) => this.onRevoked(e), this.log.child('session'))
      await this.open(account, session)
      const me = fromServer(MeResponse, await session.request('GET', '/me'), 'profile').user
      this.setMe(me)
      return this.sessionState()
    })
  }

  logout(): Promise<SessionState> {
    return this.serialized(async () => {
      const runtime = this.runtime
      if (!runtime) return this.sessionState()
      await runtime.session.logout()
      await this.closeRuntime()
      // Signing out removes this account's messages from this computer.
      await rm(this.registry.dataDir(runtime.account.id), { recursive: true, force: true })
      await this.registry.forget(runtime.account.id)
      this.signedOut = 'logout'
      this.emitSignedOut()
      return this.sessionState()
    })
  }

  switchAccount(id: string): Promise<SessionState> {
    return this.serialized(async () => {
      const account = this.registry.get(id)
      if (!account) throw new ClientError('not_found', 'no saved account with that id')
      await this.closeRuntime()
      await this.registry.setActive(id)
      await this.resume(account)
      if (!this.runtime) throw new ClientError('unauthorized', 'this account must sign in again')
      return this.sessionState()
    })
  }

  retryConnection(): ConnectionState {
    this.runtime?.realtime.retryNow()
    return this.connectionState()
  }

  /** Flushes the cache and closes the connection (app quit). */
  async close(): Promise<void> {
    await this.serialized(() => this.closeRuntime())
    await this.hosting?.stop()
    this.trust.close()
    this.discovery?.stop()
    this.events.flush()
  }

  private async resume(account: AccountSummary): Promise<void> {
    const session = await Session.resume(
      this.http(account.serverUrl),
      this.options.secrets.store(),
      account.id,
      (e) => this.onRevoked(e),
      this.log.child('session')
    )
    if (!session) {
      this.signedOut = 'start'
      return
    }
    await this.open(account, session)
    const cachedMe = this.runtime?.cache.me
    if (cachedMe) this.setMe(cachedMe)
    else this.setMe({ id: account.userId, username: account.username, displayName: account.displayName, statusText: '', avatar: null, createdAt: new Date(0).toISOString(), hideLastSeen: false, contactsOnlyDirect: false, serverAdmin: false, email: null })
  }

  private async open(account: AccountSummary, session: Session): Promise<void> {
    const runtime: AccountRuntime = await AccountRuntime.open(
      account,
      session,
      this.registry.dataDir(account.id),
      this.events,
      this.log.child('account'),
      {
        onConnected: () => {
          // Every connection refreshes the profile (it may have changed while offline).
          session
            .request('GET', '/me')
            .then((body) => {
              if (this.runtime === runtime) this.setMe(fromServer(MeResponse, body, 'profile').user)
            })
            .catch((err: unknown) => this.log.debug('profile not refreshed', { err }))
        },
        onMe: (me) => {
          if (this.runtime === runtime) this.setMe(me)
        }
      },
      () => this.downloadDir.get()
    )
    this.runtime = runtime
    this.events.emit('conversations', { upserted: runtime.cache.conversations(), removed: [] })
    runtime.start()
  }

  private onRevoked(err: ClientError): void {
    void this.serialized(async () => {
      this.log.info('signed out by the server', { code: err.code })
      await this.closeRuntime()
      this.signedOut = err.code === 'account_disabled' ? 'disabled' : 'revoked'
      this.emitSignedOut()
    })
  }

  private emitSignedOut(): void {
    this.events.emit('session', this.sessionState())
    this.events.emit('connection', this.connectionState())
  }

  private async closeRuntime(): Promise<void> {
    const runtime = this.runtime
    this.runtime = null
    this.me = null
    if (runtime) await runtime.close()
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.sessionChain.then(fn)
    this.sessionChain = run.catch(() => undefined)
    return run
  }
}

export type { IpcMethod }
