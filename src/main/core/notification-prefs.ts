// Issue 21 (i21-attention): the account's notification preferences and
// do-not-disturb in the client core. The server keeps them for every device;
// the core keeps a copy in the account's cache (read offline, and
// synchronously by the notifiers), fetched at each connection and kept by
// notification-prefs:updated. Mutes are part of them now: a local mute list
// of an older version is moved to the server once.
import { FOREVER } from '../../shared/dnd'
import {
  DEFAULT_NOTIFICATION_PREFS,
  NotificationPrefsResponse,
  type NotificationPrefs,
  type UpdateNotificationPrefsBody
} from '../../shared/schemas/notification-prefs'
import type { AccountCache } from './cache/account-cache'
import type { EventBatcher } from './event-batcher'
import type { Logger } from './logger'
import { fromServer } from './server-data'
import type { Session } from './session'

/** Longest wait setTimeout keeps; a later mute's end is looked at again then. */
const MAX_DELAY_MS = 2 ** 31 - 1

export interface NotificationPrefsDeps {
  cache: AccountCache
  session: Pick<Session, 'request'>
  events: EventBatcher
  log: Logger
  now?: () => number
}

export class NotificationPrefsSync {
  /** Wakes when the next timed mute ends: the muted list (and the unread total that leaves muted out) changes then. */
  private muteTimer: NodeJS.Timeout | null = null

  constructor(private readonly deps: NotificationPrefsDeps) {
    this.armMuteEnd()
  }

  private now(): number {
    return (this.deps.now ?? Date.now)()
  }

  /** From the cache: the defaults until the server has told this device. */
  current(): NotificationPrefs {
    return this.deps.cache.notificationPrefs() ?? DEFAULT_NOTIFICATION_PREFS
  }

  /** After a (re)connect: a local mute list moved to the server first (once), then the server's value kept. */
  async refresh(): Promise<NotificationPrefs> {
    const legacy = this.deps.cache.legacyMuted()
    if (legacy.length > 0) {
      const conversations = Object.fromEntries(legacy.map((id) => [id, { mutedUntil: FOREVER }]))
      this.keep(await this.send({ conversations }))
      this.deps.cache.dropLegacyMuted()
      this.deps.log.info('moved this device\'s muted conversations to the server', { count: legacy.length })
      return this.current()
    }
    this.keep(fromServer(NotificationPrefsResponse, await this.deps.session.request('GET', '/me/notification-prefs'), 'notification preferences').prefs)
    return this.current()
  }

  /** notification-prefs:updated from the server (this or another device changed them). */
  onServer(payload: unknown): void {
    this.keep(fromServer(NotificationPrefsResponse, payload, 'notification preferences').prefs)
  }

  /** A change by this device: sent to the server (it needs the connection), kept as it answers. */
  async update(body: UpdateNotificationPrefsBody): Promise<NotificationPrefs> {
    this.keep(await this.send(body))
    await this.deps.cache.flush()
    return this.current()
  }

  close(): void {
    if (this.muteTimer) clearTimeout(this.muteTimer)
    this.muteTimer = null
  }

  private async send(body: UpdateNotificationPrefsBody): Promise<NotificationPrefs> {
    return fromServer(NotificationPrefsResponse, await this.deps.session.request('PATCH', '/me/notification-prefs', { body }), 'notification preferences').prefs
  }

  private keep(prefs: NotificationPrefs): void {
    this.deps.cache.setNotificationPrefs(prefs)
    this.deps.events.emit('notificationPrefs', prefs)
    this.deps.events.emit('muted', this.deps.cache.mutedIds(this.now()))
    this.armMuteEnd()
  }

  private armMuteEnd(): void {
    if (this.muteTimer) clearTimeout(this.muteTimer)
    this.muteTimer = null
    const now = this.now()
    const ends = Object.values(this.current().conversations)
      .map((c) => (c.mutedUntil ? Date.parse(c.mutedUntil) : 0))
      .filter((t) => t > now)
    if (ends.length === 0) return
    this.muteTimer = setTimeout(() => {
      this.deps.events.emit('muted', this.deps.cache.mutedIds(this.now()))
      this.armMuteEnd()
    }, Math.min(Math.min(...ends) - now + 10, MAX_DELAY_MS))
    this.muteTimer.unref()
  }
}
