import { isTimeZone } from '../../src/shared/dnd'
import type { NotificationPrefs, UpdateNotificationPrefsBody } from '../../src/shared/schemas/notification-prefs'
import { AppError } from '../errors'
import type { Store } from '../store/types'

/** A user's preferences changed: for their devices and the do-not-disturb clock. */
export type PrefsListener = (userId: string, prefs: NotificationPrefs, before: NotificationPrefs) => void

const invalid = (message: string): AppError => new AppError('validation_failed', message)

/**
 * Issue 21 items 1 and 2: notification preferences and do-not-disturb, kept
 * on the server so every device of the user honours the same ones.
 */
export class NotificationPrefsService {
  onChanged: PrefsListener | null = null

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now
  ) {}

  /** The caller's preferences; overrides of conversations they left are left out. */
  async get(userId: string): Promise<NotificationPrefs> {
    return this.withoutStrangers(userId, await this.store.notificationPrefs.get(userId))
  }

  async update(userId: string, body: UpdateNotificationPrefsBody): Promise<NotificationPrefs> {
    this.check(body)
    const { prefs, before } = await this.store.locks.run(`notification-prefs:${userId}`, async () => {
      const before = await this.get(userId)
      const prefs: NotificationPrefs = structuredClone(before)
      if (body.level !== undefined) prefs.level = body.level
      if (body.sound !== undefined) prefs.sound = body.sound
      if (body.keywords !== undefined) prefs.keywords = distinct(body.keywords)
      if (body.dndUntil !== undefined) prefs.dndUntil = body.dndUntil === null ? null : new Date(body.dndUntil).toISOString()
      if (body.workHours !== undefined) prefs.workHours = body.workHours
      for (const [id, entry] of Object.entries(body.conversations ?? {})) {
        // The entry given replaces the conversation's (the contract's PATCH); one that says nothing (no level, not muted) is the default: not kept.
        if (!entry || (entry.level === undefined && !entry.mutedUntil)) delete prefs.conversations[id]
        else prefs.conversations[id] = { ...(entry.level !== undefined ? { level: entry.level } : {}), ...(entry.mutedUntil ? { mutedUntil: new Date(entry.mutedUntil).toISOString() } : {}) }
      }
      const kept = await this.withoutStrangers(userId, prefs)
      await this.store.notificationPrefs.put(userId, kept)
      return { prefs: kept, before }
    })
    this.onChanged?.(userId, prefs, before)
    return prefs
  }

  private check(body: UpdateNotificationPrefsBody): void {
    if (body.dndUntil && Date.parse(body.dndUntil) <= this.now()) throw invalid('body.dndUntil: must be in the future (or null to turn do-not-disturb off)')
    const hours = body.workHours
    if (!hours) return
    if (!isTimeZone(hours.timeZone)) throw invalid(`body.workHours.timeZone: ${hours.timeZone} is not an IANA time zone (such as Europe/Berlin)`)
    for (const [i, d] of hours.days.entries()) {
      if (d.end <= d.start) throw invalid(`body.workHours.days.${i}: end must be after start`)
    }
  }

  /** Drops overrides of conversations the user is not a member of (given ids, or ones they left). */
  private async withoutStrangers(userId: string, prefs: NotificationPrefs): Promise<NotificationPrefs> {
    const ids = Object.keys(prefs.conversations)
    if (ids.length === 0) return prefs
    const mine = new Set((await this.store.conversations.forUser(userId)).map((c) => c.id))
    return { ...prefs, conversations: Object.fromEntries(Object.entries(prefs.conversations).filter(([id]) => mine.has(id))) }
  }
}

/** Keywords once each, ignoring case, in the order given. */
function distinct(words: string[]): string[] {
  const seen = new Set<string>()
  return words.filter((w) => {
    const key = w.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
