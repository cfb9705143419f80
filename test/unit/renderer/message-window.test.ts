import { describe, expect, it } from 'vitest'
import { BASE_INDEX, freshThread, withCleared, withNewer, withOlder, withUpserted, type Thread } from '../../../src/renderer/src/store/window'
import { msg, seqs } from '../../helpers/fixtures'

const seqsOf = (t: Thread): number[] => t.messages.map((m) => m.seq)
const range = (t: Thread): [number, number] => [t.messages[0]!.seq, t.messages[t.messages.length - 1]!.seq]

/** The list's index of every message, as Virtuoso sees it (firstIndex + position). */
const indexOf = (t: Thread, seq: number): number => t.firstIndex + t.messages.findIndex((m) => m.seq === seq)

describe('freshThread', () => {
  it('starts a new generation at the base index', () => {
    const a = freshThread(seqs(901, 1000), true, true)
    const b = freshThread(seqs(901, 1000), true, true)
    expect(b.generation).toBeGreaterThan(a.generation)
    expect(a.firstIndex).toBe(BASE_INDEX)
    expect(a).toMatchObject({ hasOlder: true, atLatest: true, loadingOlder: false, loadingNewer: false })
  })
})

describe('withOlder', () => {
  it('prepends the page below the window and moves the first index down by its length', () => {
    const t = withOlder({ ...freshThread(seqs(901, 1000), true, true), loadingOlder: true }, seqs(801, 900), true, 1000)
    expect(range(t)).toEqual([801, 1000])
    expect(t.firstIndex).toBe(BASE_INDEX - 100)
    expect(t).toMatchObject({ atLatest: true, hasOlder: true, loadingOlder: false })
    expect(indexOf(t, 901)).toBe(BASE_INDEX) // rows keep their index: Virtuoso keeps them in place
  })

  it('keeps at most max messages by dropping the newest end, and is then no longer at the latest', () => {
    let t = freshThread(seqs(9901, 10000), true, true)
    for (let top = 9900; top > 8000; top -= 100) t = withOlder(t, seqs(top - 99, top), true, 1000)
    expect(t.messages).toHaveLength(1000)
    expect(range(t)).toEqual([8001, 9000])
    expect(t.atLatest).toBe(false)
    expect(t.firstIndex).toBe(BASE_INDEX - 1900)
    expect(indexOf(t, 9000)).toBe(BASE_INDEX - 1900 + 999)
  })

  it('ignores what overlaps the window and records that nothing is older', () => {
    const t = withOlder(freshThread(seqs(51, 150), true, true), seqs(1, 60), false, 1000)
    expect(range(t)).toEqual([1, 150])
    expect(seqsOf(t)).toEqual(seqs(1, 150).map((m) => m.seq))
    expect(t.hasOlder).toBe(false)
    expect(t.firstIndex).toBe(BASE_INDEX - 50)
  })

  it('drops a page that does not end right below the window (the window moved meanwhile)', () => {
    const before = { ...freshThread(seqs(1101, 2100), true, false), loadingOlder: true }
    const t = withOlder(before, seqs(900, 999), true, 1000)
    expect(t.messages).toBe(before.messages)
    expect(t.firstIndex).toBe(before.firstIndex)
    expect(t.loadingOlder).toBe(false)
  })

  it('an empty page only ends the loading', () => {
    const before = { ...freshThread(seqs(1, 100), true, true), loadingOlder: true }
    const t = withOlder(before, [], false, 1000)
    expect(t.messages).toBe(before.messages)
    expect(t).toMatchObject({ hasOlder: false, loadingOlder: false, firstIndex: BASE_INDEX, atLatest: true })
  })
})

describe('withNewer', () => {
  it('appends the page after the window, dropping the oldest end beyond max (first index up by as many)', () => {
    const start = { ...freshThread(seqs(5001, 6000), true, false), loadingNewer: true }
    const t = withNewer(start, seqs(6001, 6100), false, 1000)
    expect(range(t)).toEqual([5101, 6100])
    expect(t.firstIndex).toBe(BASE_INDEX + 100)
    expect(indexOf(t, 5500)).toBe(indexOf(start, 5500))
    expect(t).toMatchObject({ atLatest: false, hasOlder: true, loadingNewer: false })
  })

  it('is at the latest when the page reached main’s newest message', () => {
    const t = withNewer(freshThread(seqs(1, 100), false, false), seqs(101, 130), true, 1000)
    expect(range(t)).toEqual([1, 130])
    expect(t).toMatchObject({ atLatest: true, hasOlder: false, firstIndex: BASE_INDEX })
  })

  it('skips what the window already has and drops a page that does not follow on', () => {
    const base = freshThread(seqs(1, 100), false, false)
    expect(range(withNewer(base, seqs(90, 150), false, 1000))).toEqual([1, 150])
    const gap = withNewer({ ...base, loadingNewer: true }, seqs(300, 399), false, 1000)
    expect(gap.messages).toBe(base.messages)
    expect(gap).toMatchObject({ atLatest: false, loadingNewer: false })
  })

  it('scrolling far up then back down returns to the same rows at the same indexes', () => {
    let t = freshThread(seqs(9901, 10000), true, true)
    const index = indexOf(t, 9950)
    for (let top = 9900; top > 5000; top -= 100) t = withOlder(t, seqs(top - 99, top), true, 1000)
    expect(range(t)).toEqual([5001, 6000])
    while (!t.atLatest) {
      const last = t.messages[t.messages.length - 1]!.seq
      const page = seqs(last + 1, Math.min(10000, last + 100))
      t = withNewer(t, page, page[page.length - 1]!.seq === 10000, 1000)
      expect(t.messages.length).toBeLessThanOrEqual(1000)
    }
    expect(range(t)).toEqual([9001, 10000])
    expect(indexOf(t, 9950)).toBe(index)
  })
})

describe('withUpserted', () => {
  it('replaces changed messages in place and appends the next ones only when asked', () => {
    const t = freshThread(seqs(1, 10), false, true)
    const edited = msg(5, 'edited')
    const a = withUpserted(t, [edited, msg(11), msg(12)], true)
    expect(a.messages[4]).toBe(edited)
    expect(range(a)).toEqual([1, 12])
    expect(t.messages[4]!.text).toBe('m5') // the old window is not changed
    const b = withUpserted(t, [msg(11)], false)
    expect(range(b)).toEqual([1, 10])
  })

  it('does not append across a gap, and returns the same thread when nothing changed', () => {
    const t = freshThread(seqs(1, 10), false, true)
    expect(withUpserted(t, [msg(13)], true)).toBe(t)
    expect(withUpserted(t, [msg(500)], false)).toBe(t)
  })
})

describe('withCleared', () => {
  it('drops the cleared rows from the top and moves the first index up by as many', () => {
    const t = withCleared(freshThread(seqs(1, 100), true, true), 40)
    expect(range(t)).toEqual([41, 100])
    expect(t).toMatchObject({ firstIndex: BASE_INDEX + 40, hasOlder: false })
  })
})
