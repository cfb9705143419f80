// When do-not-disturb is on and when it changes next: timed, by work hours in
// the user's own time zone (across a daylight-saving change), and both.
import { describe, expect, it } from 'vitest'
import { dndEnd, FOREVER, isTimeZone, nextDndChange } from '../../../src/shared/dnd'
import type { WorkHours } from '../../../src/shared/schemas/notification-prefs'

const t = (iso: string): number => Date.parse(iso)
// Monday to Friday, 09:00–17:00 in Berlin.
const weekdays = (enabled = true): WorkHours => ({
  enabled,
  timeZone: 'Europe/Berlin',
  days: [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }))
})

describe('do-not-disturb', () => {
  it('is off with neither a timed one nor work hours, and a timed one ends at its time', () => {
    expect(dndEnd({ dndUntil: null, workHours: null }, t('2026-03-02T10:00:00Z'))).toBeNull()
    expect(dndEnd({ dndUntil: '2026-03-02T11:00:00.000Z', workHours: null }, t('2026-03-02T10:00:00Z'))).toBe('2026-03-02T11:00:00.000Z')
    expect(dndEnd({ dndUntil: '2026-03-02T09:00:00.000Z', workHours: null }, t('2026-03-02T10:00:00Z'))).toBeNull()
    expect(nextDndChange({ dndUntil: '2026-03-02T11:00:00.000Z', workHours: null }, t('2026-03-02T10:00:00Z'))).toBe(t('2026-03-02T11:00:00Z'))
  })

  it('is on outside work hours in their time zone, until they start', () => {
    // Monday 2 March 2026, 07:00 UTC is 08:00 in Berlin: work starts at 08:00 UTC.
    expect(dndEnd({ dndUntil: null, workHours: weekdays() }, t('2026-03-02T07:00:00Z'))).toBe('2026-03-02T08:00:00.000Z')
    // Inside: off, and it starts when work ends (17:00 Berlin, 16:00 UTC).
    expect(dndEnd({ dndUntil: null, workHours: weekdays() }, t('2026-03-02T10:00:00Z'))).toBeNull()
    expect(nextDndChange({ dndUntil: null, workHours: weekdays() }, t('2026-03-02T10:00:00Z'))).toBe(t('2026-03-02T16:00:00Z'))
    // Friday evening: until Monday morning.
    expect(dndEnd({ dndUntil: null, workHours: weekdays() }, t('2026-03-06T18:00:00Z'))).toBe('2026-03-09T08:00:00.000Z')
    // Switched off: never.
    expect(dndEnd({ dndUntil: null, workHours: weekdays(false) }, t('2026-03-06T18:00:00Z'))).toBeNull()
  })

  it('follows the time zone across a change of its offset', () => {
    // Summer time starts in Berlin on Sunday 29 March 2026: Monday's 09:00 is 07:00 UTC.
    expect(dndEnd({ dndUntil: null, workHours: weekdays() }, t('2026-03-28T12:00:00Z'))).toBe('2026-03-30T07:00:00.000Z')
  })

  it('runs a timed one on into the time after work, and has no end with no work day at all', () => {
    // Timed until 16:30 UTC on a Monday; work ended at 16:00 UTC: on until Tuesday 08:00 UTC.
    expect(dndEnd({ dndUntil: '2026-03-02T16:30:00.000Z', workHours: weekdays() }, t('2026-03-02T10:00:00Z'))).toBe('2026-03-03T08:00:00.000Z')
    expect(dndEnd({ dndUntil: null, workHours: { enabled: true, timeZone: 'UTC', days: [] } }, t('2026-03-02T10:00:00Z'))).toBe(FOREVER)
    expect(nextDndChange({ dndUntil: null, workHours: { enabled: true, timeZone: 'UTC', days: [] } }, t('2026-03-02T10:00:00Z'))).toBeNull()
  })

  it('knows IANA time zones from other words', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true)
    expect(isTimeZone('Mars/Olympus')).toBe(false)
  })
})
