import { expect, test } from 'vitest'
import { dndActive, mutedNow } from '../../../src/main/core/notify/dnd'
import { dndEnd, withinWorkHours } from '../../../src/shared/dnd'
import type { WorkHours } from '../../../src/shared/schemas/notification-prefs'

// Wednesday 2 December 2026.
const at = (iso: string) => Date.parse(iso)
const hours = (timeZone: string, days: WorkHours['days']): WorkHours => ({ enabled: true, timeZone, days })
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }))

test('the local clock is read in the given time zone, daylight saving included', () => {
  const midnight = (timeZone: string) => hours(timeZone, [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: '00:00', end: '00:30' })))
  expect(withinWorkHours(midnight('Europe/Berlin'), at('2026-12-02T23:10:00Z'))).toBe(true) // Thursday 00:10 (UTC+1)
  expect(withinWorkHours(midnight('Europe/Berlin'), at('2026-07-01T22:10:00Z'))).toBe(true) // summer time, UTC+2
  expect(withinWorkHours(midnight('Europe/Berlin'), at('2026-12-02T22:10:00Z'))).toBe(false)
  expect(withinWorkHours(hours('Asia/Kolkata', [{ day: 3, start: '17:30', end: '17:45' }]), at('2026-12-02T12:00:00Z'))).toBe(true)
  // A zone this runtime does not know never silences.
  expect(withinWorkHours(hours('Not/AZone', []), at('2026-12-02T12:00:00Z'))).toBe(true)
  expect(dndEnd({ dndUntil: null, workHours: hours('Not/AZone', []) }, at('2026-12-02T12:00:00Z'))).toBeNull()
})

test('work hours: inside on a listed day, outside before, after and on days not listed', () => {
  const office = hours('Europe/Berlin', weekdays('09:00', '17:00'))
  expect(withinWorkHours(office, at('2026-12-02T08:00:00Z'))).toBe(true) // 09:00 in Berlin
  expect(withinWorkHours(office, at('2026-12-02T07:59:00Z'))).toBe(false)
  expect(withinWorkHours(office, at('2026-12-02T15:59:00Z'))).toBe(true)
  expect(withinWorkHours(office, at('2026-12-02T16:00:00Z'))).toBe(false) // 17:00: the end is outside
  expect(withinWorkHours(office, at('2026-12-05T10:00:00Z'))).toBe(false) // Saturday
  // The same instant is inside in one zone and outside in another.
  expect(withinWorkHours(hours('America/New_York', weekdays('09:00', '17:00')), at('2026-12-02T08:00:00Z'))).toBe(false)
})

test('a span that ends before it starts crosses midnight into the next day', () => {
  const night = hours('UTC', [{ day: 5, start: '22:00', end: '06:00' }]) // Friday night shift
  expect(withinWorkHours(night, at('2026-12-04T23:00:00Z'))).toBe(true) // Friday 23:00
  expect(withinWorkHours(night, at('2026-12-05T05:59:00Z'))).toBe(true) // Saturday 05:59
  expect(withinWorkHours(night, at('2026-12-05T06:00:00Z'))).toBe(false)
  expect(withinWorkHours(night, at('2026-12-04T05:00:00Z'))).toBe(false) // Friday early: Thursday has no shift
  // Saturday night into Sunday: the week wraps.
  expect(withinWorkHours(hours('UTC', [{ day: 6, start: '20:00', end: '02:00' }]), at('2026-12-06T01:00:00Z'))).toBe(true)
  // A span that starts where it ends is empty.
  expect(withinWorkHours(hours('UTC', [{ day: 3, start: '09:00', end: '09:00' }]), at('2026-12-02T09:00:00Z'))).toBe(false)
})

test('do-not-disturb: timed until a time ahead, or outside enabled work hours', () => {
  const now = at('2026-12-02T20:00:00Z')
  const none = { dndUntil: null, workHours: null }
  expect(dndActive(none, now)).toBe(false)
  expect(dndActive({ ...none, dndUntil: '2026-12-02T20:30:00.000Z' }, now)).toBe(true)
  expect(dndActive({ ...none, dndUntil: '2026-12-02T19:59:00.000Z' }, now)).toBe(false) // ended by itself
  const office = hours('UTC', weekdays('09:00', '17:00'))
  expect(dndActive({ ...none, workHours: office }, now)).toBe(true)
  expect(dndActive({ ...none, workHours: { ...office, enabled: false } }, now)).toBe(false)
  expect(dndActive({ ...none, workHours: office }, at('2026-12-02T10:00:00Z'))).toBe(false)
  // A zone this runtime does not know never silences everything.
  expect(dndActive({ ...none, workHours: { ...office, timeZone: 'Not/AZone' } }, now)).toBe(false)
})

test('a conversation is muted while its mutedUntil is ahead', () => {
  const now = at('2026-12-02T20:00:00Z')
  expect(mutedNow({ conversations: { c1: { mutedUntil: '2026-12-02T21:00:00.000Z' } } }, 'c1', now)).toBe(true)
  expect(mutedNow({ conversations: { c1: { mutedUntil: '2026-12-02T19:00:00.000Z' } } }, 'c1', now)).toBe(false)
  expect(mutedNow({ conversations: { c1: { mutedUntil: null, level: 'none' } } }, 'c1', now)).toBe(false)
  expect(mutedNow({ conversations: {} }, 'c1', now)).toBe(false)
})
