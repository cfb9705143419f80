// Issue 21: the times the do-not-disturb, mute and status choices stand for,
// and how an end time reads ("17:00", "tomorrow at 09:00", "until you turn it off").
import { FOREVER, isForever } from '../../../shared/dnd'
import { i18n } from '../i18n'
import { clock, dayAndTime, sameDay } from './time'

const MINUTE = 60_000

/** Tomorrow at 09:00, this device's time. */
export function tomorrowMorning(now = new Date()): Date {
  const d = new Date(now)
  d.setDate(d.getDate() + 1)
  d.setHours(9, 0, 0, 0)
  return d
}

/** The end of today, this device's time. */
export function endOfToday(now = new Date()): Date {
  const d = new Date(now)
  d.setHours(23, 59, 0, 0)
  return d
}

/** The end of this week (Sunday 23:59), this device's time. */
export function endOfWeek(now = new Date()): Date {
  const d = endOfToday(now)
  d.setDate(d.getDate() + ((7 - d.getDay()) % 7))
  return d
}

export type UntilChoice = 'm30' | 'h1' | 'h4' | 'h8' | 'tomorrow' | 'today' | 'week' | 'forever'

export function untilOf(choice: UntilChoice, now = new Date()): string {
  const after = (minutes: number): string => new Date(now.getTime() + minutes * MINUTE).toISOString()
  switch (choice) {
    case 'm30':
      return after(30)
    case 'h1':
      return after(60)
    case 'h4':
      return after(240)
    case 'h8':
      return after(480)
    case 'tomorrow':
      return tomorrowMorning(now).toISOString()
    case 'today':
      return endOfToday(now).toISOString()
    case 'week':
      return endOfWeek(now).toISOString()
    case 'forever':
      return FOREVER
  }
}

/** A datetime-local input's value (this device's time) as an ISO time; null when empty or not a time. */
export function fromLocalInput(value: string): string | null {
  const ms = Date.parse(value)
  return value && !Number.isNaN(ms) ? new Date(ms).toISOString() : null
}

/** "17:00" today, "tomorrow at 09:00" later, "until you turn it off" for ever. */
export function untilText(iso: string, now = new Date()): string {
  if (isForever(iso)) return i18n.t('attention.untilOff')
  return sameDay(new Date(iso), now) ? clock(iso) : dayAndTime(iso, now)
}

/** Whether an end time is still ahead. */
export const ahead = (iso: string | null | undefined, now = Date.now()): iso is string => !!iso && Date.parse(iso) > now
