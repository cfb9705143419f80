// Issue 21: the times the window's do-not-disturb, mute and status choices
// stand for, and how an end reads, in English and German.
import { afterAll, describe, expect, it } from 'vitest'
import { FOREVER } from '../../../src/shared/dnd'
import { i18n } from '../../../src/renderer/src/i18n'
import { ahead, fromLocalInput, untilOf, untilText } from '../../../src/renderer/src/lib/attention-times'

// Local times, on a Wednesday afternoon.
const now = new Date(2026, 2, 4, 15, 30)
const local = (days: number, hours: number, minutes: number): string => new Date(2026, 2, 4 + days, hours, minutes).toISOString()

afterAll(() => i18n.changeLanguage('en'))

describe('do-not-disturb, mute and status times', () => {
  it('stand for their times, this device’s clock', () => {
    expect(untilOf('m30', now)).toBe(local(0, 16, 0))
    expect(untilOf('h1', now)).toBe(local(0, 16, 30))
    expect(untilOf('h8', now)).toBe(local(0, 23, 30))
    expect(untilOf('tomorrow', now)).toBe(local(1, 9, 0))
    expect(untilOf('today', now)).toBe(local(0, 23, 59))
    // The week ends on Sunday night.
    expect(untilOf('week', now)).toBe(local(4, 23, 59))
    expect(untilOf('forever', now)).toBe(FOREVER)
    expect(fromLocalInput('2026-03-04T18:15')).toBe(local(0, 18, 15))
    expect(fromLocalInput('')).toBeNull()
    expect(ahead(local(0, 16, 0), now.getTime())).toBe(true)
    expect(ahead(local(0, 15, 0), now.getTime())).toBe(false)
    expect(ahead(null, now.getTime())).toBe(false)
  })

  it('read as a time today, a day and time later, and in words for ever', async () => {
    await i18n.changeLanguage('en')
    expect(untilText(local(0, 17, 0), now)).toBe('05:00 PM')
    expect(untilText(local(1, 9, 0), now)).toMatch(/^Thursday, March 5.*09:00 AM$/)
    expect(untilText(FOREVER, now)).toBe('until you turn it off')
    await i18n.changeLanguage('de')
    expect(untilText(local(0, 17, 0), now)).toBe('17:00')
    expect(untilText(FOREVER, now)).toBe('bis du es ausschaltest')
  })
})
