import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EventBatcher, FRAME_MS } from '../../../src/main/core/event-batcher'
import type { ConnectionState, MessengerEvent } from '../../../src/shared/ipc'
import type { Presence } from '../../../src/shared/schemas/presence'
import { CONV_A, CONV_B, USER, conv, msg } from '../../helpers/fixtures'




function connection(status: ConnectionState['status'], queued = 0): ConnectionState {
  return { status, queued, syncing: false, error: null }
}

function presence(userId: string, status: Presence['status']): Presence {
  return { userId, status, lastSeenAt: null }
}

let batcher: EventBatcher
let batches: MessengerEvent[][]

beforeEach(() => {
  vi.useFakeTimers()
  batcher = new EventBatcher()
  batches = []
  batcher.subscribe((b) => batches.push(b))
})

afterEach(() => {
  vi.useRealTimers()
})

describe('EventBatcher timing', () => {
  it('sends nothing before the frame ends, then everything queued as one batch', () => {
    batcher.emit('cleared', { conversationId: CONV_A, clearedSeq: 3 })
    batcher.emit('connection', connection('online'))
    vi.advanceTimersByTime(FRAME_MS - 1)
    expect(batches).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(batches).toHaveLength(1)
    expect(batches[0]!.map((e) => e.type)).toEqual(['cleared', 'connection'])
  })

  it('keeps the first timer: a steady stream still leaves once per frame', () => {
    for (let t = 0; t < 3 * FRAME_MS; t++) {
      batcher.emit('cleared', { conversationId: CONV_A, clearedSeq: t })
      vi.advanceTimersByTime(1)
    }
    expect(batches).toHaveLength(3)
    expect(batches.flat()).toHaveLength(3 * FRAME_MS)
  })

  it('flush() sends at once and cancels the pending timer; an empty flush sends nothing', () => {
    batcher.flush()
    expect(batches).toHaveLength(0)
    batcher.emit('cleared', { conversationId: CONV_A, clearedSeq: 1 })
    batcher.flush()
    expect(batches).toHaveLength(1)
    vi.advanceTimersByTime(FRAME_MS * 2)
    expect(batches).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('honours a custom frame length', () => {
    const slow = new EventBatcher(100)
    const seen: MessengerEvent[][] = []
    slow.subscribe((b) => seen.push(b))
    slow.emit('cleared', { conversationId: CONV_A, clearedSeq: 1 })
    vi.advanceTimersByTime(99)
    expect(seen).toHaveLength(0)
    vi.advanceTimersByTime(1)
    expect(seen).toHaveLength(1)
  })

  it('delivers to every subscriber until it unsubscribes', () => {
    const other: MessengerEvent[][] = []
    const off = batcher.subscribe((b) => other.push(b))
    batcher.emit('cleared', { conversationId: CONV_A, clearedSeq: 1 })
    batcher.flush()
    off()
    batcher.emit('cleared', { conversationId: CONV_A, clearedSeq: 2 })
    batcher.flush()
    expect(batches).toHaveLength(2)
    expect(other).toHaveLength(1)
  })
})

describe('EventBatcher merging', () => {
  it('merges consecutive message events of one conversation, latest state per seq, sorted by seq', () => {
    batcher.emit('messages', { conversationId: CONV_A, upserted: [msg(3), msg(1)] })
    batcher.emit('messages', { conversationId: CONV_A, upserted: [msg(2), msg(3, 'edited')] })
    batcher.emit('messages', { conversationId: CONV_A, upserted: [msg(1, 'edited too')] })
    batcher.flush()
    expect(batches).toHaveLength(1)
    const [event] = batches[0]!
    expect(event).toMatchObject({ type: 'messages', payload: { conversationId: CONV_A } })
    const upserted = (event as Extract<MessengerEvent, { type: 'messages' }>).payload.upserted
    expect(upserted.map((m) => [m.seq, m.text])).toEqual([
      [1, 'edited too'],
      [2, 'm2'],
      [3, 'edited']
    ])
  })

  it('does not merge message events of different conversations or across another event', () => {
    batcher.emit('messages', { conversationId: CONV_A, upserted: [msg(1)] })
    batcher.emit('messages', { conversationId: CONV_B, upserted: [msg(1, 'b', CONV_B)] })
    batcher.emit('cleared', { conversationId: CONV_A, clearedSeq: 0 })
    batcher.emit('messages', { conversationId: CONV_B, upserted: [msg(2, 'b2', CONV_B)] })
    batcher.flush()
    expect(batches[0]!.map((e) => e.type)).toEqual(['messages', 'messages', 'cleared', 'messages'])
  })

  it('leaves a single unmerged message event exactly as given', () => {
    batcher.emit('messages', { conversationId: CONV_A, upserted: [msg(2), msg(1)] })
    batcher.flush()
    const event = batches[0]![0] as Extract<MessengerEvent, { type: 'messages' }>
    expect(event.payload.upserted.map((m) => m.seq)).toEqual([2, 1])
  })

  it('keeps only the latest session and connection snapshot, at the position of the latest', () => {
    batcher.emit('connection', connection('connecting'))
    batcher.emit('cleared', { conversationId: CONV_A, clearedSeq: 1 })
    batcher.emit('connection', connection('online', 2))
    batcher.emit('session', { status: 'signed_out', reason: 'start', accounts: [] })
    batcher.emit('session', { status: 'signed_out', reason: 'logout', accounts: [] })
    batcher.flush()
    expect(batches[0]).toEqual([
      { type: 'cleared', payload: { conversationId: CONV_A, clearedSeq: 1 } },
      { type: 'connection', payload: connection('online', 2) },
      { type: 'session', payload: { status: 'signed_out', reason: 'logout', accounts: [] } }
    ])
  })

  it('merges conversation events by id: later upserts win, removals drop earlier upserts, re-upserts undo removals', () => {
    const [a, b, c] = [conv(CONV_A, { title: 'a' }), conv(CONV_B, { title: 'b' }), conv('00000000-0000-4000-8000-00000000000c', { title: 'c' })]
    batcher.emit('conversations', { upserted: [a, b], removed: [] })
    batcher.emit('conversations', { upserted: [{ ...a, title: 'a2' }], removed: [c.id] })
    batcher.emit('conversations', { upserted: [], removed: [b.id] })
    batcher.emit('conversations', { upserted: [c], removed: [] })
    batcher.flush()
    expect(batches[0]).toHaveLength(1)
    const payload = (batches[0]![0] as Extract<MessengerEvent, { type: 'conversations' }>).payload
    expect(payload.upserted.map((x) => [x.id, x.title])).toEqual([
      [CONV_A, 'a2'],
      [c.id, 'c']
    ])
    expect(payload.removed).toEqual([b.id])
  })

  it('concatenates presence and typing arrays', () => {
    batcher.emit('presence', [presence(USER, 'online')])
    batcher.emit('presence', [presence(USER, 'away')])
    batcher.emit('typing', [{ conversationId: CONV_A, userId: USER, typing: true }])
    batcher.emit('typing', [{ conversationId: CONV_A, userId: USER, typing: false }])
    batcher.flush()
    expect(batches[0]).toEqual([
      { type: 'presence', payload: [presence(USER, 'online'), presence(USER, 'away')] },
      {
        type: 'typing',
        payload: [
          { conversationId: CONV_A, userId: USER, typing: true },
          { conversationId: CONV_A, userId: USER, typing: false }
        ]
      }
    ])
  })

  it('never changes the arrays or payloads the caller passed in', () => {
    const list = [presence(USER, 'online')]
    batcher.emit('presence', list)
    batcher.emit('presence', [presence(USER, 'away')])
    const first = { conversationId: CONV_A, upserted: [msg(2), msg(1)] }
    const firstUpserted = first.upserted
    batcher.emit('messages', first)
    batcher.emit('messages', { conversationId: CONV_A, upserted: [msg(1, 'x')] })
    const convs = { upserted: [conv(CONV_A, { title: 'a' })], removed: [] as string[] }
    batcher.emit('conversations', convs)
    batcher.emit('conversations', { upserted: [], removed: [CONV_A] })
    batcher.flush()
    expect(list).toHaveLength(1)
    expect(first.upserted).toBe(firstUpserted)
    expect(first.upserted.map((m) => [m.seq, m.text])).toEqual([
      [2, 'm2'],
      [1, 'm1']
    ])
    expect(convs).toEqual({ upserted: [conv(CONV_A, { title: 'a' })], removed: [] })
  })

  it('starts fresh after a flush: no merging into an event already sent', () => {
    batcher.emit('presence', [presence(USER, 'online')])
    batcher.flush()
    batcher.emit('presence', [presence(USER, 'away')])
    batcher.flush()
    expect(batches).toEqual([[{ type: 'presence', payload: [presence(USER, 'online')] }], [{ type: 'presence', payload: [presence(USER, 'away')] }]])
  })

  it('turns 10k message events of one conversation into one event in one batch', () => {
    for (let seq = 1; seq <= 10_000; seq++) batcher.emit('messages', { conversationId: CONV_A, upserted: [msg(seq)] })
    vi.advanceTimersByTime(FRAME_MS)
    expect(batches).toHaveLength(1)
    expect(batches[0]).toHaveLength(1)
    const upserted = (batches[0]![0] as Extract<MessengerEvent, { type: 'messages' }>).payload.upserted
    expect(upserted).toHaveLength(10_000)
    expect(upserted[9_999]!.seq).toBe(10_000)
  })

  it('keeps every call signal in the order it came, around call events, never merged away as snapshots are', () => {
    const signal = (n: number) => ({ callId: CONV_A, from: 'p1', fromUserId: USER, to: 'p2', candidate: { candidate: `c${n}` } })
    const call = { upserted: [], ended: [{ callId: CONV_A, conversationId: CONV_B, reason: 'completed' as const, durationMs: 1 }] }
    batcher.emit('callSignals', [signal(1)])
    batcher.emit('callSignals', [signal(2)])
    batcher.emit('calls', call)
    batcher.emit('callSignals', [signal(3)])
    batcher.emit('callSignals', [signal(3)])
    batcher.flush()
    expect(batches).toEqual([
      [
        { type: 'callSignals', payload: [signal(1), signal(2)] },
        { type: 'calls', payload: call },
        { type: 'callSignals', payload: [signal(3), signal(3)] }
      ]
    ])
  })
})
