// One signed-in account at run time: its cache, outbox, connection, sync and
// sender, wired together. Built at sign-in (or at start from the kept
// sign-in), closed at sign-out or account switch.
import { join } from 'node:path'
import type { ErrorBody } from '../../shared/errors'
import type { AccountSummary, ConnectionState, ConnectionStatus } from '../../shared/ipc'
import { Presence } from '../../shared/schemas/presence'
import { ContactListResponse, Invitation } from '../../shared/schemas/contacts'
import { Me, PublicUser } from '../../shared/schemas/users'
import { ReceiptUpdate } from '../../shared/schemas/receipts'
import { Draft } from '../../shared/schemas/drafts'
import { z } from 'zod'
import { SerialJob } from '../../node/serial-job'
import { AccountCache } from './cache/account-cache'
import { AccountCalls, type CallRing } from './calls'
import { DraftSync } from './drafts'
import { NotificationPrefsSync } from './notification-prefs'
import { ScheduledSync } from './scheduled'
import { Outbox } from './cache/outbox'
import { PinsAndSaved } from './pins-saved'
import type { AccountContext } from './context'
import type { EventBatcher } from './event-batcher'
import type { Logger } from './logger'
import { OutboxSender } from './outbox-sender'
import { Realtime } from './realtime'
import { fromServer } from './server-data'
import type { Session } from './session'
import { Sync } from './sync'
import { AccountThreads } from './threads'
import { Transfers } from './transfers/transfers'
import { onUserGroupChange, refreshUserGroups } from './user-groups'

const TypingUpdate = z.object({ conversationId: z.string(), userId: z.string(), typing: z.boolean() })
const PresenceList = z.object({ presence: z.array(Presence) })

/**
 * A sync:stale notice waits a random moment up to this long: a server tells
 * all its clients at once, and they must not all ask the database together.
 */
export const STALE_JITTER_MS = 2000

/** What the runtime tells the client that owns it. */
export interface RuntimeHooks {
  /** The socket (re)connected, or the server said events may have been lost: refresh what the cache does not hold. */
  onConnected: () => void
  /** The server sent the account's own new profile or role. */
  onMe: (me: Me) => void
  /** A call started or stopped ringing for this account's user. */
  onCallRing: (ring: CallRing) => void
}

export class AccountRuntime implements AccountContext {
  readonly realtime: Realtime
  readonly sync: Sync
  readonly sender: OutboxSender
  readonly calls: AccountCalls
  readonly drafts: DraftSync
  /** Issue 21 item 4. */
  readonly scheduled: ScheduledSync
  readonly threads: AccountThreads
  /** Issue 21: notification preferences, do-not-disturb and mutes, as the server keeps them. */
  readonly notificationPrefs: NotificationPrefsSync
  transfers!: Transfers
  /** Issue 20: pinned and saved messages. */
  pinsSaved!: PinsAndSaved
  private status: ConnectionStatus = 'connecting'
  private error: ErrorBody | null = null
  private syncing = false
  private staleWait: NodeJS.Timeout | null = null
  /** Notices that come during a stale catch-up make one more, not one each. */
  private readonly staleCatchUp = new SerialJob(
    () => this.catchUpStale(),
    (err) => this.log.warn('catch-up after a stale notice failed; retried on the next one or the next connection', { err })
  )

  private constructor(
    readonly account: AccountSummary,
    readonly session: Session,
    readonly cache: AccountCache,
    readonly outbox: Outbox,
    readonly events: EventBatcher,
    readonly log: Logger,
    private readonly hooks: RuntimeHooks
  ) {
    this.realtime = new Realtime(account.serverUrl, session, {
      onStatus: (status, error) => {
        this.status = status
        this.error = error
        this.emitConnection()
      },
      onConnect: () => this.onConnect()
    }, log.child('realtime'))
    this.sync = new Sync(this, (syncing) => {
      this.syncing = syncing
      this.emitConnection()
    })
    this.sender = new OutboxSender(this, this.sync)
    this.threads = new AccountThreads(this, this.sync)
    this.calls = new AccountCalls({
      accountId: account.id,
      userId: account.userId,
      events,
      conversation: (id) => cache.conversation(id) ?? null,
      muted: (id) => cache.mutedIds().includes(id),
      onRing: (ring) => hooks.onCallRing(ring)
    })
    this.drafts = new DraftSync({ cache, session, events, log: log.child('drafts'), online: () => this.realtime.connected })
    this.notificationPrefs = new NotificationPrefsSync({ cache, session, events, log: log.child('notification-prefs') })
    this.scheduled = new ScheduledSync({ cache, session, events })
    outbox.onChange = () => this.emitConnection()
    this.listen()
  }

  /** Opens the account's cache and outbox (at once, online or not). */
  static async open(
    account: AccountSummary,
    session: Session,
    dataDir: string,
    events: EventBatcher,
    log: Logger,
    hooks: RuntimeHooks,
    downloadDir: () => string
  ): Promise<AccountRuntime> {
    // The outbox first: refusing a newer one must leave the cache as it is too.
    const outbox = await Outbox.open(dataDir)
    const cache = await AccountCache.open(join(dataDir, 'cache'))
    if (cache.dropped) log.info('the cache was of an older format: dropped, and fetched again from the server')
    const runtime = new AccountRuntime(account, session, cache, outbox, events, log, hooks)
    runtime.pinsSaved = await PinsAndSaved.open(runtime, join(dataDir, 'cache'))
    runtime.transfers = await Transfers.open({
      session,
      outbox,
      events,
      log: log.child('transfers'),
      dataDir,
      downloadDir,
      online: () => runtime.realtime.connected,
      kickSender: () => runtime.sender.kick()
    })
    return runtime
  }

  start(): void {
    this.realtime.connect()
  }

  connectionState(): ConnectionState {
    return { status: this.status, queued: this.outbox.pendingCount(), syncing: this.syncing, error: this.error }
  }

  async close(): Promise<void> {
    if (this.staleWait) clearTimeout(this.staleWait)
    this.staleWait = null
    void this.staleCatchUp.stop()
    this.calls.close()
    this.drafts.close()
    this.notificationPrefs.close()
    this.transfers.close()
    this.sender.close()
    this.sync.close()
    this.realtime.close()
    this.session.close()
    await this.cache.close()
  }

  private emitConnection(): void {
    this.events.emit('connection', this.connectionState())
  }

  private onConnect(): void {
    this.hooks.onConnected()
    this.sync
      .catchUpAll()
      .catch((err: unknown) => this.log.warn('catch-up failed; retried on the next connection', { err }))
      .finally(() => this.sender.kick())
    // Messages written offline go out at once; they need not wait for the catch-up.
    this.sender.kick()
    this.transfers.kick()
    this.relistCalls().catch((err: unknown) => this.log.warn('calls not listed; listed again on the next connection', { err }))
    this.drafts.resync().catch((err: unknown) => this.log.warn('drafts not synced; synced again on the next connection', { err }))
    this.scheduled.refresh().catch((err: unknown) => this.log.warn('scheduled messages not listed; listed again on the next connection', { err }))
    this.threads.refresh().catch((err: unknown) => this.log.warn('followed threads not listed; listed again on the next connection', { err }))
    refreshUserGroups(this).catch((err: unknown) => this.log.warn('user groups not fetched; fetched again on the next connection', { err }))
    this.refreshPinsSaved()
    this.refreshNotificationPrefs()
  }

  /** Issue 21: preferences changed on another device while away (the event does not replay); a local mute list moves to the server. */
  private refreshNotificationPrefs(): void {
    this.notificationPrefs.refresh().catch((err: unknown) => this.log.warn('notification preferences not fetched; again on the next connection', { err }))
  }

  /** Issue 20: pins and saved messages changed while away are fetched again (the events do not replay). */
  private refreshPinsSaved(): void {
    this.pinsSaved.refresh().catch((err: unknown) => this.log.warn('pins and saved messages not refreshed; again on the next connection', { err }))
  }

  /** The calls running now: what ended or started while this connection was away. */
  private async relistCalls(): Promise<void> {
    this.calls.relist(AccountCalls.parseList(await this.realtime.call('call:list', {})))
  }

  /** sync:stale: events may have been lost between the server's nodes. Every notice that comes while one waits is covered by it. */
  private onStale(): void {
    if (this.staleWait) return
    this.staleWait = setTimeout(() => {
      this.staleWait = null
      void this.staleCatchUp.run()
    }, Math.random() * STALE_JITTER_MS)
    this.staleWait.unref()
  }

  /** What a reconnect catches up (the renderer's own refresh of presence and contacts included), on the open connection. */
  private async catchUpStale(): Promise<void> {
    // Offline now: the reconnect catches up anyway.
    if (!this.realtime.connected) return
    this.hooks.onConnected()
    this.refreshPinsSaved()
    this.refreshNotificationPrefs()
    await Promise.all([this.sync.catchUpAll(), this.relistCalls(), refreshUserGroups(this), this.drafts.resync(), this.threads.refresh()])
    await Promise.all([this.sync.catchUpAll(), this.relistCalls(), refreshUserGroups(this), this.drafts.resync(), this.threads.refresh(), this.scheduled.refresh()])
    const { presence } = fromServer(PresenceList, await this.realtime.call('presence:list', {}), 'presence list')
    this.events.emit('presence', presence)
    // The core keeps no contacts: the whole list, as added, has an open contacts view fetch both lists again.
    const { contacts } = fromServer(ContactListResponse, await this.session.request('GET', '/contacts'), 'contact list')
    this.events.emit('contacts', { added: contacts, removed: [] })
  }

  /** Server events into the cache (and on to the renderer). A bad payload is logged, never thrown. */
  private listen(): void {
    const socket = this.realtime.socket
    const guard = <A extends unknown[]>(name: string, fn: (...args: A) => Promise<void> | void) => {
      return (...args: A): void => {
        Promise.resolve()
          .then(() => fn(...args))
          .catch((err: unknown) => this.log.warn(`could not apply ${name}`, { err }))
      }
    }
    socket.on('message:new', guard('message:new', (p) => this.sync.onMessage(p.message)))
    socket.on('message:updated', guard('message:updated', (p) => this.sync.onUpdated(p.message)))
    socket.on('conversation:new', guard('conversation:new', (p) => void this.sync.putConversation(p.conversation)))
    socket.on('conversation:updated', guard('conversation:updated', (p) => void this.sync.putConversation(p.conversation)))
    socket.on('conversation:removed', guard('conversation:removed', (p) => this.sync.removeConversation(z.string().parse(p.conversationId))))
    socket.on(
      'conversation:cleared',
      guard('conversation:cleared', (p) => this.sync.onCleared(z.string().parse(p.conversationId), z.number().int().min(0).parse(p.clearedSeq)))
    )
    socket.on(
      'conversation:expired',
      guard('conversation:expired', (p) => this.sync.onExpired(z.string().parse(p.conversationId), z.number().int().min(0).parse(p.expiredSeq)))
    )
    socket.on('receipt:update', guard('receipt:update', (p) => this.sync.onReceipt(fromServer(ReceiptUpdate, p, 'receipt'))))
    socket.on('presence:update', guard('presence:update', (p) => this.events.emit('presence', [fromServer(Presence, p, 'presence')])))
    socket.on('typing:update', guard('typing:update', (p) => this.events.emit('typing', [fromServer(TypingUpdate, p, 'typing update')])))
    socket.on(
      'invitation:new',
      guard('invitation:new', (p) => this.events.emit('invitation', { invitation: fromServer(Invitation, p.invitation, 'invitation') }))
    )
    socket.on(
      'invitation:updated',
      guard('invitation:updated', (p) => this.events.emit('invitation', { invitation: fromServer(Invitation, p.invitation, 'invitation') }))
    )
    socket.on('contact:added', guard('contact:added', (p) => this.events.emit('contacts', { added: [fromServer(PublicUser, p.user, 'user')], removed: [] })))
    socket.on('contact:removed', guard('contact:removed', (p) => this.events.emit('contacts', { added: [], removed: [z.string().parse(p.userId)] })))
    socket.on('user-groups:updated', guard('user-groups:updated', (p) => onUserGroupChange(this, p)))
    socket.on('account:updated', guard('account:updated', (p) => this.hooks.onMe(fromServer(Me, p.user, 'profile'))))
    socket.on('draft:updated', guard('draft:updated', (p) => this.drafts.onServer(fromServer(Draft, p.draft, 'draft'))))
    socket.on('thread:updated', guard('thread:updated', (p) => this.threads.onUpdated(p)))
    socket.on('notification-prefs:updated', guard('notification-prefs:updated', (p) => this.notificationPrefs.onServer(p)))
    socket.on('scheduled:updated', guard('scheduled:updated', (p) => this.scheduled.onServer(p)))
    socket.on('sync:stale', () => this.onStale())
    // Not through guard's promise: signals must reach the window in the order they came.
    const now = (name: string, fn: (p: unknown) => void) => (p: unknown) => {
      try {
        fn(p)
      } catch (err) {
        this.log.warn(`could not apply ${name}`, { err })
      }
    }
    socket.on('call:ring', now('call:ring', (p) => this.calls.onCall(p)))
    socket.on('call:updated', now('call:updated', (p) => this.calls.onCall(p)))
    socket.on('call:ended', now('call:ended', (p) => this.calls.onEnded(p)))
    socket.on('call:signal', now('call:signal', (p) => this.calls.onSignal(p)))
  }
}
