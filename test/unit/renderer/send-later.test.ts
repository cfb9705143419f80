import { describe, expect, it } from 'vitest'
import { fromLocalInput, inFuture, presetTime, toLocalInput } from '../../../src/renderer/src/lib/send-later'

// Local times: the presets are what the person's clock says.
const at = (y: number, m: number, d: number, h = 0, min = 0): Date => new Date(y, m - 1, d, h, min)

describe('send later times', () => {
  it('in an hour; tomorrow at 9:00; the next Monday at 9:00, never today', () => {
    const wednesday = at(2026, 3, 4, 22, 30)
    expect(presetTime('inAnHour', wednesday)).toEqual(at(2026, 3, 4, 23, 30))
    expect(presetTime('tomorrow', wednesday)).toEqual(at(2026, 3, 5, 9))
    expect(presetTime('nextMonday', wednesday)).toEqual(at(2026, 3, 9, 9))
    // On a Monday morning "next Monday" is a week on; on a Sunday, tomorrow.
    expect(presetTime('nextMonday', at(2026, 3, 2, 8))).toEqual(at(2026, 3, 9, 9))
    expect(presetTime('nextMonday', at(2026, 3, 8, 12))).toEqual(at(2026, 3, 9, 9))
    // Across a month's end.
    expect(presetTime('tomorrow', at(2026, 3, 31, 12))).toEqual(at(2026, 4, 1, 9))
  })

  it('reads and writes the date-time input in local time, and refuses the past', () => {
    const d = at(2026, 3, 2, 9, 5)
    expect(toLocalInput(d)).toBe('2026-03-02T09:05')
    expect(fromLocalInput('2026-03-02T09:05')).toEqual(d)
    expect(fromLocalInput('')).toBeNull()
    expect(fromLocalInput('tomorrow')).toBeNull()
    expect(inFuture(d, d.getTime() - 1)).toBe(true)
    expect(inFuture(d, d.getTime())).toBe(false)
    expect(inFuture(null)).toBe(false)
  })
})
