// Whether do-not-disturb holds now, from the server-kept preferences: a timed
// pause (dndUntil in the future) or, with work hours on, any moment outside
// them in the user's own time zone. Pure: the time comes in as an argument.
import type { NotificationPrefs, WorkHours } from '../../../shared/schemas/notification-prefs'

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const formats = new Map<string, Intl.DateTimeFormat>()

/** Weekday (0 is Sunday) and minute of the day at `now` in `timeZone`; null for a zone this runtime does not know. */
export function localClock(now: number, timeZone: string): { day: number; minute: number } | null {
  let format = formats.get(timeZone)
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    } catch {
      return null
    }
    formats.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]))
  return { day: DAYS.indexOf(parts.weekday ?? ''), minute: Number(parts.hour) * 60 + Number(parts.minute) }
}

const minutes = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5))

/**
 * Whether `now` falls inside the work hours. A span whose end is before its
 * start crosses midnight (Friday 22:00–06:00 runs into Saturday morning); a
 * span whose start equals its end is empty. An unknown time zone counts as
 * inside: a schedule this runtime cannot read must not silence everything.
 */
export function withinWorkHours(hours: WorkHours, now: number): boolean {
  const clock = localClock(now, hours.timeZone)
  if (!clock) return true
  const yesterday = (clock.day + 6) % 7
  return hours.days.some(({ day, start, end }) => {
    const from = minutes(start)
    const to = minutes(end)
    if (from < to) return day === clock.day && clock.minute >= from && clock.minute < to
    if (from === to) return false
    return (day === clock.day && clock.minute >= from) || (day === yesterday && clock.minute < to)
  })
}

/** Do-not-disturb is on: no notification and no sound (badges still count). */
export function dndActive(prefs: Pick<NotificationPrefs, 'dndUntil' | 'workHours'>, now: number): boolean {
  if (prefs.dndUntil !== null && Date.parse(prefs.dndUntil) > now) return true
  return prefs.workHours?.enabled === true && !withinWorkHours(prefs.workHours, now)
}

/** The conversation is muted now (until a time still ahead): nothing of it notifies, not even a mention. */
export function mutedNow(prefs: Pick<NotificationPrefs, 'conversations'>, conversationId: string, now: number): boolean {
  const until = prefs.conversations[conversationId]?.mutedUntil
  return until !== null && until !== undefined && Date.parse(until) > now
}
