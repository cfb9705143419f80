// Issue 21 item 4: the times the composer's "Send later" menu offers, in the
// user's local time, and the datetime-local input's format.

export type LaterPreset = 'inAnHour' | 'tomorrow' | 'nextMonday'

export const LATER_PRESETS: readonly LaterPreset[] = ['inAnHour', 'tomorrow', 'nextMonday']

/** When a preset sends, from `now`: in an hour; tomorrow at 9:00; the next Monday (never today) at 9:00. */
export function presetTime(preset: LaterPreset, now = new Date()): Date {
  if (preset === 'inAnHour') return new Date(now.getTime() + 3600_000)
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9, 0, 0, 0)
  // getDay: Sunday 0 … Saturday 6; the Monday after today is 1..7 days away.
  const days = preset === 'tomorrow' ? 1 : ((8 - now.getDay()) % 7 || 7)
  at.setDate(at.getDate() + days)
  return at
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** "2026-03-02T09:00": the value a datetime-local input shows for `d` in local time. */
export function toLocalInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** A datetime-local input's value as a time, or null when empty or malformed. */
export function fromLocalInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

/** A chosen time the server will take: set, and after now. */
export function inFuture(at: Date | null, now = Date.now()): at is Date {
  return at !== null && at.getTime() > now
}
