// One account's calls in the core: what the window hears (`calls`,
// `callSignals`) and when a call rings or stops ringing for the host.
import { expect, test } from 'vitest'
import { AccountCalls, type CallRing } from '../../../src/main/core/calls'
import { EventBatcher } from '../../../src/main/core/event-batcher'
import type { MessengerEvent } from '../../../src/shared/ipc'
import type { Call } from '../../../src/shared/schemas/calls'

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const ME = id(100)
const BOB = id(101)
const CONV = id(200)
const call = (n: number, ringing: string[] = [ME]): Call => ({
  id: id(n),
  conversationId: CONV,
  startedBy: BOB,
  startedAt: '2026-12-07T10:00:00.000Z',
  media: 'audio',
  answeredAt: null,
  participants: [],
  ringing
})

function setup() {
  const events = new EventBatcher()
  const sent: MessengerEvent[] = []
  events.subscribe((batch) => sent.push(...batch))
  const rings: Array<[string, boolean]> = []
  const calls = new AccountCalls({
    accountId: 'a1',
    userId: ME,
    events,
    conversation: () => null,
    muted: () => false,
    onRing: (r: CallRing) => rings.push([r.call.id, r.ringing])
  })
  const flush = (): MessengerEvent[] => {
    events.flush()
    return sent.splice(0)
  }
  return { calls, rings, flush }
}

test('a call rings once for me, and stops when an update no longer lists me (answered elsewhere) or it ends', () => {
  const { calls, rings, flush } = setup()
  calls.onCall({ call: call(1) })
  calls.onCall({ call: call(1) })
  calls.onCall({ call: call(1, []) })
  calls.onCall({ call: call(2) })
  calls.onEnded({ callId: id(2), conversationId: CONV, reason: 'missed', durationMs: null })
  expect(rings).toEqual([
    [id(1), true],
    [id(1), false],
    [id(2), true],
    [id(2), false]
  ])
  const events = flush()
  expect(events.map((e) => e.type)).toEqual(['calls', 'calls', 'calls', 'calls', 'calls'])
  expect(events.at(-1)).toEqual({ type: 'calls', payload: { upserted: [], ended: [{ callId: id(2), conversationId: CONV, reason: 'missed', durationMs: null }] } })
  expect(calls.list().map((c) => c.id)).toEqual([id(1)])
})

test('after a reconnect: the calls running now, and the ones known before that are gone as ended (failed)', () => {
  const { calls, rings, flush } = setup()
  calls.onCall({ call: call(1) })
  calls.remember(call(2, []))
  flush()
  calls.relist([call(3)])
  expect(flush()).toEqual([
    {
      type: 'calls',
      payload: {
        upserted: [call(3)],
        ended: [
          { callId: id(1), conversationId: CONV, reason: 'failed', durationMs: null },
          { callId: id(2), conversationId: CONV, reason: 'failed', durationMs: null }
        ]
      }
    }
  ])
  expect(rings).toEqual([
    [id(1), true],
    [id(1), false],
    [id(3), true]
  ])
  calls.close()
  expect(rings.at(-1)).toEqual([id(3), false])
  // Nothing known, nothing running: nothing to tell the window.
  const idle = setup()
  idle.calls.relist([])
  expect(idle.flush()).toEqual([])
})

test('signals pass as they came; a malformed one is refused, never passed on', () => {
  const { calls, flush } = setup()
  const signal = { callId: id(1), from: id(11), fromUserId: BOB, to: id(2), description: { type: 'offer', sdp: 'v=0' } }
  calls.onSignal(signal)
  expect(() => calls.onSignal({ ...signal, candidate: { candidate: 'x' } })).toThrow(/invalid call signal/)
  expect(() => calls.onSignal({ ...signal, fromUserId: 42 })).toThrow(/invalid call signal sender/)
  expect(() => calls.onCall({ call: { ...call(1), ringing: 'everyone' } })).toThrow(/invalid call/)
  expect(flush()).toEqual([{ type: 'callSignals', payload: [signal] }])
})

test('an update that comes after its call ended (another node was slower) brings no ghost call back', () => {
  const { calls, rings, flush } = setup()
  calls.onCall({ call: call(1) })
  calls.onEnded({ callId: id(1), conversationId: CONV, reason: 'cancelled', durationMs: null })
  flush()
  calls.onCall({ call: call(1) })
  calls.remember(call(1))
  expect(flush()).toEqual([])
  expect(calls.list()).toEqual([])
  expect(rings).toEqual([
    [id(1), true],
    [id(1), false]
  ])
})
