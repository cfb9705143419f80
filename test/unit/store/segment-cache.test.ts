import { describe, expect, it } from 'vitest'
import { SegmentCache } from '../../../server/store/messages/segment-cache'
import type { Message } from '../../../src/shared/schemas/messages'

const message = (seq: number): Message =>
  ({ id: `m${seq}`, clientId: `c${seq}`, conversationId: 'c', seq, kind: 'text', senderId: 's', text: 'x', createdAt: new Date(0).toISOString() })

describe('SegmentCache', () => {
  it('holds no more messages than its cap however many are appended to cached segments', () => {
    const cache = new SegmentCache(256, 1000)
    // 40 conversations each appending 500 messages to their cached tail segment, interleaved.
    for (let c = 0; c < 40; c++) cache.set(`conv${c}/0`, [])
    for (let seq = 1; seq <= 500; seq++) {
      for (let c = 0; c < 40; c++) {
        cache.appendIfCached(`conv${c}/0`, message(seq))
        expect(cache.messages).toBeLessThanOrEqual(1000)
      }
    }
    expect(cache.messages).toBeGreaterThan(500)
    expect(cache.size).toBeLessThanOrEqual(3)
  })

  it('evicts the least recently used segment first, and counts what it drops', () => {
    const cache = new SegmentCache(10, 10)
    cache.set('a/0', [message(1), message(2), message(3), message(4)])
    cache.set('b/0', [message(1), message(2), message(3), message(4)])
    expect(cache.get('a/0')).toHaveLength(4) // a is now the most recent
    cache.set('c/0', [message(1), message(2), message(3)])
    expect(cache.get('b/0')).toBeUndefined()
    expect(cache.get('a/0')).toHaveLength(4)
    expect(cache.messages).toBe(7)
    cache.forget('a/')
    expect(cache.messages).toBe(3)
    cache.set('c/0', [message(1)]) // replacing a segment does not count it twice
    expect(cache.messages).toBe(1)
  })

  it('keeps its segment cap too', () => {
    const cache = new SegmentCache(2)
    cache.set('a/0', [])
    cache.set('b/0', [])
    cache.set('c/0', [])
    expect(cache.size).toBe(2)
    expect(cache.get('a/0')).toBeUndefined()
  })
})
