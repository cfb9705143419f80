import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { TypingTracker, type Typist } from '../../../server/realtime/typing'

const TIMEOUT = 6000
let expired: Typist[]
let tracker: TypingTracker

beforeEach(() => {
  vi.useFakeTimers()
  expired = []
  tracker = new TypingTracker(TIMEOUT, (t) => expired.push(t))
})
afterEach(() => {
  vi.useRealTimers()
})

describe('TypingTracker', () => {
  it('a start that is not renewed expires once, after the timeout', () => {
    expect(tracker.start('c1', 'u1', 's1')).toBe(true)
    vi.advanceTimersByTime(TIMEOUT - 1)
    expect(expired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(expired).toEqual([{ conversationId: 'c1', userId: 'u1' }])
    expect(tracker.isTyping('c1', 'u1', 's1')).toBe(false)
    vi.advanceTimersByTime(TIMEOUT * 3)
    expect(expired).toHaveLength(1)
  })

  it('a renewal restarts the timeout and is not a new start', () => {
    tracker.start('c1', 'u1', 's1')
    vi.advanceTimersByTime(TIMEOUT - 1000)
    expect(tracker.start('c1', 'u1', 's1')).toBe(false)
    vi.advanceTimersByTime(TIMEOUT - 1)
    expect(expired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(expired).toHaveLength(1)
  })

  it('a user types while any of their devices does', () => {
    expect(tracker.start('c1', 'u1', 'laptop')).toBe(true)
    expect(tracker.start('c1', 'u1', 'phone')).toBe(false)
    expect(tracker.stop('c1', 'u1', 'laptop')).toBe(false)
    expect(tracker.stop('c1', 'u1', 'laptop')).toBe(false)
    expect(tracker.stop('c1', 'u1', 'phone')).toBe(true)
    vi.advanceTimersByTime(TIMEOUT * 2)
    expect(expired).toEqual([])
  })

  it('a socket that goes stops its typing everywhere at once, and its timers with it', () => {
    tracker.start('c1', 'u1', 's1')
    tracker.start('c2', 'u1', 's1')
    tracker.start('c2', 'u1', 's2')
    expect(tracker.dropSocket('s1')).toEqual([{ conversationId: 'c1', userId: 'u1' }])
    expect(tracker.isTyping('c2', 'u1', 's2')).toBe(true)
    expect(tracker.dropSocket('s1')).toEqual([])
    vi.advanceTimersByTime(TIMEOUT)
    expect(expired).toEqual([{ conversationId: 'c2', userId: 'u1' }])
  })

  it('stopping what was never started changes nothing', () => {
    expect(tracker.stop('c1', 'u1', 's1')).toBe(false)
    expect(tracker.dropSocket('s1')).toEqual([])
  })
})
