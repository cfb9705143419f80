// Dates, times, relative days, lists and sizes in the window's language:
// all from Intl, never from words written here.
import { currentLanguage, i18n } from '../i18n'
import type { Language } from '../i18n/language'

interface Formats {
  time: Intl.DateTimeFormat
  day: Intl.DateTimeFormat
  /** A date and time in full, as toLocaleString() gives it but in the window's language. */
  dateTime: Intl.DateTimeFormat
  short: Intl.DateTimeFormat
  relative: Intl.RelativeTimeFormat
  list: Intl.ListFormat
  /** An enumeration without "and" where the language has none ("Alice, Bob"): lists under a heading or after "Read by". */
  enumeration: Intl.ListFormat
  /** Sizes: one decimal under 10 ("1.5 KB"), none above ("12 KB"). */
  oneDecimal: Intl.NumberFormat
  whole: Intl.NumberFormat
}

const cache = new Map<Language, Formats>()

function formats(): Formats {
  const lng = currentLanguage()
  let f = cache.get(lng)
  if (!f) {
    f = {
      time: new Intl.DateTimeFormat(lng, { hour: '2-digit', minute: '2-digit' }),
      day: new Intl.DateTimeFormat(lng, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      dateTime: new Intl.DateTimeFormat(lng, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' }),
      short: new Intl.DateTimeFormat(lng, { day: 'numeric', month: 'short' }),
      // numeric 'auto': "today", "yesterday" rather than "in 0 days", "1 day ago".
      relative: new Intl.RelativeTimeFormat(lng, { numeric: 'auto' }),
      list: new Intl.ListFormat(lng, { style: 'long', type: 'conjunction' }),
      enumeration: new Intl.ListFormat(lng, { style: 'short', type: 'unit' }),
      oneDecimal: new Intl.NumberFormat(lng, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
      whole: new Intl.NumberFormat(lng, { maximumFractionDigits: 0, useGrouping: false })
    }
    cache.set(lng, f)
  }
  return f
}

export function clock(iso: string): string {
  return formats().time.format(new Date(iso))
}

/** "today" or "yesterday" in the window's language (lower case, as in a sentence), or null for an older day. */
function relativeDay(d: Date, now: Date): string | null {
  if (sameDay(d, now)) return formats().relative.format(0, 'day')
  const yesterday = new Date(now)
  yesterday.setDate(now.getDate() - 1)
  if (sameDay(d, yesterday)) return formats().relative.format(-1, 'day')
  return null
}

/** "3/2/2026, 2:05:00 PM" / "2.3.2026, 14:05:00". */
export function dateTime(iso: string): string {
  return formats().dateTime.format(new Date(iso))
}

/** "1 hour", "7 days" / "1 Stunde", "7 Tage". */
export function duration(value: number, unit: 'hour' | 'day'): string {
  return new Intl.NumberFormat(currentLanguage(), { style: 'unit', unit, unitDisplay: 'long' }).format(value)
}

/** How long a call lasted: "42 s", "3 min", "1 h 05 min" (as the export's words say it, in the window's language). */
export function callDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return i18n.t('time.seconds', { n: s })
  const min = Math.floor(s / 60)
  if (min < 60) return i18n.t('time.minutes', { n: min })
  return i18n.t('time.hoursMinutes', { hours: Math.floor(min / 60), minutes: String(min % 60).padStart(2, '0') })
}

/** A running call's clock: "0:42", "12:05", "1:02:05". */
export function callClock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const two = (n: number): string => String(n).padStart(2, '0')
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`
}

/** A day heading: "Today", "Yesterday" or "Monday, 2 March 2026". */
export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso)
  const relative = relativeDay(d, now)
  return relative ? capital(relative) : formats().day.format(d)
}

/** "today at 14:05", "Monday, 2 March 2026 at 14:05": for a sentence. */
export function dayAndTime(iso: string, now = new Date()): string {
  const d = new Date(iso)
  return i18n.t('time.dayAt', { day: relativeDay(d, now) ?? formats().day.format(d), time: clock(iso) })
}

/** A heading's day and the time: "Today, 14:05". */
export function stamp(iso: string, now = new Date()): string {
  return i18n.t('time.stamp', { day: dayLabel(iso, now), time: clock(iso) })
}

/** Sidebar time: clock today, otherwise the date. */
export function listTime(iso: string, now = new Date()): string {
  const d = new Date(iso)
  return sameDay(d, now) ? formats().time.format(d) : formats().short.format(d)
}

export function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate()
}

export function lastSeen(iso: string | null, now = Date.now()): string {
  if (!iso) return i18n.t('time.offline')
  const minutes = Math.round((now - new Date(iso).getTime()) / 60_000)
  if (minutes < 1) return i18n.t('time.lastSeenJustNow')
  if (minutes < 60) return i18n.t('time.lastSeenAgo', { ago: formats().relative.format(-minutes, 'minute') })
  return i18n.t('time.lastSeenAt', { when: dayAndTime(iso, new Date(now)) })
}

/** "Alice, Bob and Carol" in the window's language. */
export function nameList(names: readonly string[]): string {
  return formats().list.format(names)
}

/** "Alice, Bob" where the language has no "and" in such a list. */
export function enumeration(names: readonly string[]): string {
  return formats().enumeration.format(names)
}

/** 1536 → "1.5 KB" ("1,5 KB" in German). */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = n / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${(value < 10 ? formats().oneDecimal : formats().whole).format(value)} ${units[unit]}`
}

function capital(s: string): string {
  return s.charAt(0).toLocaleUpperCase(currentLanguage()) + s.slice(1)
}
