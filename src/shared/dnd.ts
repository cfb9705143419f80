// When do-not-disturb is on (issue 21, item 2): a timed dndUntil, and outside
// the weekly work hours in the user's own time zone. The server shows others
// the end of the current spell (Presence.dndUntil) and times its changes; the
// notifiers ask the same questions, so they live here, free of any platform.
import type { NotificationPrefs, WorkHours } from './schemas/notification-prefs'

/** A time "for ever" stands for: a mute or a do-not-disturb with no end. */
export const FOREVER = '9999-12-31T00:00:00.000Z'
export const isForever = (iso: string): boolean => Date.parse(iso) >= Date.parse('9000-01-01T00:00:00Z')

const DAY_MS = 86_400_000
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))

/** Whether Intl knows this IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const formats = new Map<string, Intl.DateTimeFormat>()
function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    formats.set(zone, f)
  }
  return f
}

/** The wall clock in `zone` at `ms`, as if it were UTC (so date arithmetic works on it). */
function wallAsUtc(ms: number, zone: string): number {
  const parts = Object.fromEntries(format(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
  return Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']))
}

/** The instant when the wall clock in `zone` shows `wall` (a wall time written as UTC); in a gap, the instant just after. */
function instantOf(wall: number, zone: string): number {
  let guess = wall
  // Two corrections settle the offset, also across a change of it.
  for (let i = 0; i < 2; i++) guess += wall - wallAsUtc(guess, zone)
  return guess
}

/**
 * Work-hours spans [start, end) as instants, for the days around `now` (a day
 * back to eight days on). A span whose end is before its start crosses
 * midnight (Friday 22:00–06:00 runs into Saturday morning); one whose start
 * equals its end is empty.
 */
function spans(hours: WorkHours, now: number): [number, number][] {
  const today = Math.floor(wallAsUtc(now, hours.timeZone) / DAY_MS) * DAY_MS
  const out: [number, number][] = []
  for (let k = -1; k <= 8; k++) {
    const day = today + k * DAY_MS
    const weekday = new Date(day).getUTCDay()
    for (const d of hours.days) {
      if (d.day !== weekday) continue
      const start = minutesOf(d.start)
      const end = minutesOf(d.end)
      if (end === start) continue
      const endDay = end < start ? day + DAY_MS : day
      out.push([instantOf(day + start * 60_000, hours.timeZone), instantOf(endDay + end * 60_000, hours.timeZone)])
    }
  }
  return out.sort((a, b) => a[0] - b[0])
}

/** Whether `at` falls inside the work hours. A time zone this runtime does not know counts as inside: a schedule it cannot read must not silence everything. */
export function withinWorkHours(hours: WorkHours, at: number): boolean {
  if (!isTimeZone(hours.timeZone)) return true
  return spans(hours, at).some(([s, e]) => s <= at && at < e)
}

/** With work hours on and `at` outside them: when they next start (FOREVER's time when never). Null when inside, or off. */
function outsideUntil(hours: WorkHours | null, at: number): number | null {
  if (!hours?.enabled || withinWorkHours(hours, at)) return null
  const all = spans(hours, at)
  const next = all.find(([s]) => s > at)
  return next ? next[0] : Date.parse(FOREVER)
}

/**
 * The end of the do-not-disturb spell under way at `now` (ISO), or null when
 * it is off: a timed one and the time outside work hours run on into each
 * other, so a timed one ending after work is over lasts until work starts.
 */
export function dndEnd(prefs: Pick<NotificationPrefs, 'dndUntil' | 'workHours'>, now: number): string | null {
  const timed = prefs.dndUntil ? Date.parse(prefs.dndUntil) : 0
  let end = now
  for (let i = 0; i < 4; i++) {
    let next = end
    if (timed > next) next = timed
    const outside = outsideUntil(prefs.workHours, next)
    if (outside !== null) next = outside
    if (next === end) break
    end = next
  }
  if (end <= now) return null
  return end >= Date.parse(FOREVER) ? FOREVER : new Date(end).toISOString()
}

/** When do-not-disturb next starts or ends by itself after `now` (epoch ms), or null when it never does. */
export function nextDndChange(prefs: Pick<NotificationPrefs, 'dndUntil' | 'workHours'>, now: number): number | null {
  const end = dndEnd(prefs, now)
  if (end !== null) return isForever(end) ? null : Date.parse(end)
  // Off now: it starts by itself only when work hours end.
  if (!prefs.workHours?.enabled) return null
  if (!isTimeZone(prefs.workHours.timeZone)) return null
  const leaving = spans(prefs.workHours, now).find(([s, e]) => s <= now && now < e)
  return leaving ? leaving[1] : null
}
