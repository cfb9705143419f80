import { describe, expect, it } from 'vitest'
import { flatMarks, markTime, MARKS_KEPT, pushMark, type Marks } from '../../../server/store/read-marks'

describe('read marks', () => {
  it('keep the newest MARKS_KEPT moves however many there are', () => {
    let marks: Marks | undefined
    for (let seq = 1; seq <= 1000; seq++) {
      marks = pushMark(marks, seq, 1_000_000 + seq)
      expect(marks.length).toBeLessThanOrEqual(MARKS_KEPT * 2)
    }
    expect(marks?.slice(0, 2)).toEqual([1000 - MARKS_KEPT + 1, 1_000_000 + 1000 - MARKS_KEPT + 1])
    expect(marks?.slice(-2)).toEqual([1000, 1_001_000])
  })

  it('tell when a seq was passed: the first move at or beyond it', () => {
    const marks = pushMark(pushMark(pushMark(undefined, 3, 100), 7, 200), 9, 300)
    expect(markTime(marks, 1)).toBe(100)
    expect(markTime(marks, 3)).toBe(100)
    expect(markTime(marks, 4)).toBe(200)
    expect(markTime(marks, 9)).toBe(300)
    expect(markTime(marks, 10)).toBeNull()
    expect(markTime(undefined, 1)).toBeNull()
  })

  it('read the pairs of files written before', () => {
    expect(flatMarks([[3, 100], [7, 200]])).toEqual([3, 100, 7, 200])
    expect(flatMarks([3, 100])).toEqual([3, 100])
    expect(flatMarks(undefined)).toBeUndefined()
  })
})
