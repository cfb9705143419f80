// The client core: everything the main process does for the renderer, in
// plain Node. Electron (src/main/electron) and the Node host (src/main/web)
// each build one, pass IPC requests to `dispatch` and forward its events.
import { rm } from 'node:fs/promises'
import type { Result } from '../../shared/errors'
import type { AccountSummary, ConnectionState, IpcMethod, SessionState, SignedOutReason } from '../../shared/ipc'
import { HealthResponse } from '../../shared/schemas/health'
import { AuthResponse } from '../../shared/schemas/auth'
import { Me, type Me as MeType } from '../../shared/schemas/users'
import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../shared/schemas/notification-prefs'
import { dndEnd, FOREVER } from '../../shared/dnd'
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
import { SignedInAccounts } from './signed-in-accounts'
import { DiscoveryBrowser } from './discovery/browser'
import { HostingController, type HostingOptions } from './hosting/controller'
import { ServerTrust } from './tls/server-trust'
import { TrustStore } from './tls/trust-store'
import { DownloadDir, type FileHost } from './transfers/file-host'
import { AppearanceFile, type AppearanceListener } from './appearance'
import { Exports } from './export/exports'
import { ExportViews } from './export/export-views'
import { join } from 'node:path'
import type { CallRing } from './calls'
import type { ScreenHost } from './screen-host'

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
  /** Screens and windows to share, where the host has its own picker (Electron). */
  screens?: ScreenHost
}

const MeResponse = z.object({ user: Me })

export class ClientCore {
  readonly events = new EventBatcher()
  readonly log: Logger
  /** Every signed-in account stays connected; one of them is shown. */
  readonly accounts = new SignedInAccounts(this.events)
  private signedOut: SignedOutReason = 'start'
  private readonly handlers: Handlers
  private readonly ringListeners = new Set<(ring: CallRing) => void>()
  /** Sign-in, sign-out and switches run one at a time. */
  private sessionChain: Promise<unknown> = Promise.resolve()

  /** Pinned certificates of https servers (trust on first use). */
  readonly trust: ServerTrust
  /** Servers on the LAN, browsed while the login screen asks; null without discovery. */
  readonly discovery: DiscoveryBrowser | null
  /** The office server this app hosts; null where this build cannot host. */
  hosting: HostingController | null = null
  /** History exports, and exports opened read-only. */
  readonly exports: Exports
  readonly exportViews = new ExportViews()

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
    this.exports = new Exports(join(options.userDataDir, 'exports'), options.files ?? {}, (views) => this.events.emit('exports', { upserted: views }), this.log.child('exports'))
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

  /**
   * Issue 21: an account's notification preferences and do-not-disturb, for
   * the notifiers (the shown account's without an id): a synchronous read of
   * the cache, the defaults when the account is not open or never fetched them.
   */
  notificationPrefs(accountId?: string): NotificationPrefs {
    const entry = accountId === undefined ? this.accounts.shown : this.accounts.get(accountId)
    return entry?.runtime.notificationPrefs.current() ?? DEFAULT_NOTIFICATION_PREFS
  }

  /** Issue 21: whether the shown account is in do-not-disturb now (timed or outside work hours). */
  isInDoNotDisturb(): boolean {
    return dndEnd(this.notificationPrefs(), Date.now()) !== null
  }

  /** Issue 21: the desktop menu's Do Not Disturb: on until turned off (a far-future end) or off, for the shown account, on the server. */
  async setDoNotDisturb(on: boolean): Promise<void> {
    await this.ctx().notificationPrefs.update({ dndUntil: on ? FOREVER : null })
  }

  /** Opens every account with a kept sign-in, showing the last one's cache at once, online or not. */
  async start(): Promise<SessionState> {
    // In the background: the window need not wait for the server; an account on it connects once it listens.
    this.hosting?.autoStart().catch((err: unknown) => this.log.warn('the hosted server did not start', { err }))
    const active = this.registry.active()
    await this.serialized(async () => {
      if (active && (await this.resumeAtStart(active))) await this.show(active.id)
      for (const account of this.registry.list()) if (account.id !== active?.id) await this.resumeAtStart(account)
      if (!this.accounts.shown && this.accounts.all().length) await this.showNext()
    })
    return this.sessionState()
  }

  /** Validates a renderer request and runs its handler; never throws. */
  dispatch(method: string, payload: unknown): Promise<Result<unknown>> {
    return dispatch(this.handlers, method, payload, this.log)
  }

  subscribe(listener: Parameters<EventBatcher['subscribe']>[0]): () => void {
    return this.events.subscribe(listener)
  }

  /**
   * Calls that start or stop ringing for any signed-in account, the ones in
   * the background too (their `calls` events stay away from the window): the
   * host's desktop notifications. Not part of the IPC contract.
   */
  onCallRing(listener: (ring: CallRing) => void): () => void {
    this.ringListeners.add(listener)
    return () => {
      this.ringListeners.delete(listener)
    }
  }

  /** Declines a ringing call of any signed-in account (a notification's Decline). */
  async declineCall(accountId: string, callId: string): Promise<void> {
    const entry = this.accounts.get(accountId)
    if (!entry) throw new ClientError('not_found', 'that account is not signed in')
    await entry.runtime.realtime.call('call:decline', { callId })
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
      const origin = new URL(serverUrl).origin
      for (const { runtime } of this.accounts.all()) {
        const account = runtime.account
        if (new URL(account.serverUrl).origin !== origin) continue
        const shown = this.accounts.shownId === account.id
        await this.closeRuntime(account.id)
        if ((await this.resume(account)) && shown) await this.show(account.id)
      }
    })
  }

  /** The signed-in account's parts; throws `unauthorized` when signed out. */
  ctx(): AccountRuntime {
    const shown = this.accounts.shown
    if (!shown) throw notSignedIn()
    return shown.runtime
  }

  sessionState(): SessionState {
    const accounts = this.registry.list()
    const shown = this.accounts.shown
    if (shown?.me) return { status: 'signed_in', account: shown.runtime.account, me: shown.me, accounts }
    return { status: 'signed_out', reason: this.signedOut, accounts }
  }

  connectionState(): ConnectionState {
    return this.accounts.shown?.runtime.connectionState() ?? { status: 'signed_out', queued: 0, syncing: false, error: null }
  }

  /** The shown account's profile changed. */
  setMe(me: MeType): void {
    const shownId = this.accounts.shownId
    if (shownId) this.setMeOf(shownId, me)
  }

  private setMeOf(accountId: string, me: MeType): void {
    const entry = this.accounts.get(accountId)
    if (!entry) return
    entry.me = me
    entry.runtime.cache.setMe(me)
    if (this.accounts.shownId === accountId) this.events.emit('session', this.sessionState())
  }

  signIn(serverUrl: string, path: '/auth/login' | '/auth/register' | '/auth/reset-password', body: object): Promise<SessionState> {
    return this.serialized(async () => {
      const http = this.http(normalizeServerUrl(serverUrl))
      const auth = fromServer(AuthResponse, await http.request('POST', path, { body }), 'sign-in answer')
      const id = accountId(http.serverUrl, auth.user.id)
      // The same account again replaces its old sign-in; other accounts stay signed in.
      await this.closeRuntime(id)
      const account: AccountSummary = {
        id,
        serverUrl: http.serverUrl,
        userId: auth.user.id,
        username: auth.user.username,
        displayName: auth.user.displayName,
        serverName: await this.serverName(http)
      }
      await this.registry.remember(account)
      const session = await Session.start(http, this.options.secrets.store(), account.id, auth, (e) => this.onRevoked(account.id, e), this.log.child('session'))
      await this.open(account, session)
      this.setMeOf(account.id, fromServer(MeResponse, await session.request('GET', '/me'), 'profile').user)
      await this.show(account.id)
      return this.sessionState()
    })
  }

  /** Signs the shown account out; another signed-in account is shown next, or none is left. */
  logout(): Promise<SessionState> {
    return this.serialized(async () => {
      const runtime = this.accounts.shown?.runtime
      if (!runtime) return this.sessionState()
      await runtime.session.logout()
      await this.closeRuntime(runtime.account.id)
      // Signing out removes this account's messages from this computer.
      await rm(this.registry.dataDir(runtime.account.id), { recursive: true, force: true })
      await this.registry.forget(runtime.account.id)
      this.signedOut = 'logout'
      await this.showNext()
      return this.sessionState()
    })
  }

  switchAccount(id: string): Promise<SessionState> {
    return this.serialized(async () => {
      const account = this.registry.get(id)
      if (!account) throw new ClientError('not_found', 'no saved account with that id')
      if (!this.accounts.get(id) && !(await this.resume(account))) throw new ClientError('unauthorized', 'this account must sign in again')
      await this.show(id)
      return this.sessionState()
    })
  }

  retryConnection(): ConnectionState {
    this.accounts.shown?.runtime.realtime.retryNow()
    return this.connectionState()
  }

  /** Flushes the caches and closes the connections (app quit). */
  async close(): Promise<void> {
    // Exports read from the accounts' connections: they stop (and clean up) first.
    await this.exports.close()
    await this.serialized(async () => {
      for (const { runtime } of this.accounts.all()) await this.closeRuntime(runtime.account.id)
    })
    await this.exportViews.closeAll()
    await this.hosting?.close()
    this.trust.close()
    this.discovery?.stop()
    this.events.flush()
  }

  /** Opens an account from its kept sign-in, in the background; false when it has none (signed out). */
  private async resume(account: AccountSummary): Promise<boolean> {
    const session = await Session.resume(
      this.http(account.serverUrl),
      this.options.secrets.store(),
      account.id,
      (e) => this.onRevoked(account.id, e),
      this.log.child('session')
    )
    if (!session) return false
    const runtime = await this.open(account, session)
    const entry = this.accounts.get(account.id)
    if (entry) entry.me = runtime.cache.me ?? { id: account.userId, username: account.username, displayName: account.displayName, statusText: '', avatar: null, createdAt: new Date(0).toISOString(), hideLastSeen: false, contactsOnlyDirect: false, serverAdmin: false, email: null }
    return true
  }

  /**
   * As `resume`, but an account whose data a newer app wrote stays closed
   * instead of stopping the start: the others open, and choosing it says why.
   */
  private async resumeAtStart(account: AccountSummary): Promise<boolean> {
    try {
      return await this.resume(account)
    } catch (err) {
      if (!(err instanceof ClientError) || err.code !== 'data_too_new') throw err
      this.log.error('an account was not opened', { account: account.id, err: err.message })
      if (account.id === this.registry.active()?.id) this.signedOut = 'data_too_new'
      return false
    }
  }

  /** Opens and connects an account's runtime, in the background until shown. */
  private async open(account: AccountSummary, session: Session): Promise<AccountRuntime> {
    const runtime: AccountRuntime = await AccountRuntime.open(
      account,
      session,
      this.registry.dataDir(account.id),
      this.accounts.eventsFor(account.id, account.userId),
      this.log.child('account'),
      {
        onConnected: () => {
          // Every connection refreshes the profile (it may have changed while offline).
          session
            .request('GET', '/me')
            .then((body) => {
              if (this.accounts.get(account.id)?.runtime === runtime) this.setMeOf(account.id, fromServer(MeResponse, body, 'profile').user)
            })
            .catch((err: unknown) => this.log.debug('profile not refreshed', { err }))
        },
        onMe: (me) => {
          if (this.accounts.get(account.id)?.runtime === runtime) this.setMeOf(account.id, me)
        },
        onCallRing: (ring) => {
          for (const listener of this.ringListeners) listener(ring)
        }
      },
      () => this.downloadDir.get()
    ).catch((err: unknown) => {
      // Its data could not be opened (a newer app wrote it): the sign-in must not go on refreshing in the background.
      session.close()
      throw err
    })
    this.accounts.add(runtime, null)
    runtime.start()
    return runtime
  }

  /** The window shows this open account now: its profile, connection and cached chats at once. */
  private async show(id: string): Promise<void> {
    const entry = this.accounts.get(id)
    if (!entry) return
    this.accounts.shownId = id
    if (this.registry.active()?.id !== id) await this.registry.setActive(id)
    this.events.emit('session', this.sessionState())
    this.events.emit('conversations', { upserted: entry.runtime.cache.conversations(), removed: [] })
    this.events.emit('connection', this.connectionState())
    // Its calls as last heard (a ringing one included), so a switch to answer one finds it.
    this.events.emit('calls', { upserted: entry.runtime.calls.list(), ended: [] })
  }

  /** After the shown account went: the next signed-in one, or the signed-out screen. */
  private async showNext(): Promise<void> {
    const next = this.registry.list().find((a) => this.accounts.get(a.id))
    if (next) await this.show(next.id)
    else this.emitSignedOut()
  }

  private onRevoked(accountId: string, err: ClientError): void {
    void this.serialized(async () => {
      this.log.info('signed out by the server', { code: err.code })
      const shown = this.accounts.shownId === accountId
      await this.closeRuntime(accountId)
      if (!shown) return
      this.signedOut = err.code === 'account_disabled' ? 'disabled' : 'revoked'
      await this.showNext()
    })
  }

  private emitSignedOut(): void {
    this.events.emit('session', this.sessionState())
    this.events.emit('connection', this.connectionState())
  }

  private async closeRuntime(accountId: string): Promise<void> {
    const entry = this.accounts.remove(accountId)
    if (entry) await entry.runtime.close()
  }

  /** What the server calls itself, for telling accounts apart; null if it does not say. */
  private async serverName(http: ServerHttp): Promise<string | null> {
    try {
      return fromServer(HealthResponse, await http.request('GET', '/health'), 'health answer').name ?? null
    } catch (err) {
      this.log.debug('no server name', { err })
      return null
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.sessionChain.then(fn)
    this.sessionChain = run.catch(() => undefined)
    return run
  }
}

export type { IpcMethod }
