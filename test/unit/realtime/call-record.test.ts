// How a call's state answers "is it over, and why" after each kind of change:
// the rules docs/server.md states (Calls), one row each.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { awayPeers, decline, endOf, join, newRecord, removePeers, ringExpired, unseenSockets, type CallRecord } from '../../../server/realtime/calls/call-record'
import type { ConversationKind } from '../../../src/shared/schemas/conversations'

const T0 = Date.parse('2026-01-01T10:00:00Z')
const RING = 45_000
const GRACE = 15_000
const [caller, bob, carol] = [randomUUID(), randomUUID(), randomUUID()]

function call(kind: ConversationKind, callees: string[]): CallRecord {
  const fresh = newRecord({ id: randomUUID(), conversationId: randomUUID(), kind, startedBy: caller, media: 'audio', callees, now: T0, ringMs: RING })
  return join(fresh, { peerId: 'p-caller', userId: caller, socketId: 's-caller', nodeId: 'n1' }, T0)
}
const enter = (r: CallRecord, userId: string, peerId: string, at = T0 + 1000): CallRecord => join(r, { peerId, userId, socketId: `s-${peerId}`, nodeId: 'n1' }, at)

describe('when a call ends', () => {
  const cases: { name: string; state: () => CallRecord; at?: number; reason: string | null; durationMs?: number | null }[] = [
    { name: 'ringing, nobody answered yet: runs', state: () => call('direct', [bob]), reason: null },
    { name: 'the caller left before an answer: cancelled', state: () => removePeers(call('direct', [bob]), ['p-caller']), reason: 'cancelled', durationMs: null },
    { name: 'the callee declined: declined', state: () => decline(call('direct', [bob]), bob), reason: 'declined', durationMs: null },
    { name: 'one of two callees declined: runs', state: () => decline(call('group', [bob, carol]), bob), reason: null },
    { name: 'both callees declined: declined', state: () => decline(decline(call('group', [bob, carol]), bob), carol), reason: 'declined' },
    { name: 'one declined, the other never answered: missed', state: () => ringExpired(decline(call('group', [bob, carol]), bob), T0 + RING), reason: 'missed' },
    { name: 'the ring time ran out: missed', state: () => ringExpired(call('direct', [bob]), T0 + RING), reason: 'missed', durationMs: null },
    { name: 'ringing before its time: runs', state: () => ringExpired(call('direct', [bob]), T0 + RING - 1), reason: null },
    { name: 'answered, both in: runs', state: () => enter(call('direct', [bob]), bob, 'p-bob'), reason: null },
    {
      name: 'answered, one side hung up: completed, timed from the answer',
      state: () => removePeers(enter(call('direct', [bob]), bob, 'p-bob'), ['p-bob']),
      at: T0 + 61_000,
      reason: 'completed',
      durationMs: 60_000
    },
    { name: 'a group call with one left: runs', state: () => removePeers(enter(call('group', [bob, carol]), bob, 'p-bob'), ['p-bob']), reason: null },
    { name: 'a group call with nobody left: completed', state: () => removePeers(enter(call('group', [bob]), bob, 'p-bob'), ['p-bob', 'p-caller']), reason: 'completed' },
    { name: "a room's call alone, nobody rings: runs", state: () => call('room', []), reason: null },
    { name: "a room's call the caller left: cancelled", state: () => removePeers(call('room', []), ['p-caller']), reason: 'cancelled' }
  ]
  it.for(cases)('$name', (c) => {
    const end = endOf(c.state(), c.at ?? T0 + 2000)
    expect(end?.reason ?? null).toBe(c.reason)
    if (c.durationMs !== undefined) expect(end?.durationMs).toBe(c.durationMs)
  })
})

describe('joining', () => {
  it('answers at the second person, stops their ringing, and counts them among those who were in it', () => {
    const r = enter(call('group', [bob, carol]), bob, 'p-bob')
    expect(r.call.answeredAt).toBe(new Date(T0 + 1000).toISOString())
    expect(r.call.ringing).toEqual([carol])
    expect(r.everIn).toEqual([caller, bob])
  })

  it("replaces the user's window on another device, and refuses someone else's peerId", () => {
    const r = enter(enter(call('direct', [bob]), bob, 'p-laptop'), bob, 'p-phone')
    expect(r.call.participants.map((p) => p.peerId)).toEqual(['p-caller', 'p-phone'])
    expect(Object.keys(r.places).sort()).toEqual(['p-caller', 'p-phone'])
    expect(() => enter(r, carol, 'p-phone')).toThrow(expect.objectContaining({ code: 'forbidden' }))
  })
})

describe('away peers', () => {
  it('leave after the grace; on a dead node they count as away from then, and are marked lost', () => {
    const r = enter(call('direct', [bob]), bob, 'p-bob')
    const marked = awayPeers(r, T0 + 5000, GRACE, new Set(['n2']))
    expect(marked.out).toEqual([])
    expect(marked.record.places['p-bob']).toMatchObject({ socketId: null, goneAt: T0 + 5000, lost: true })
    const later = awayPeers(marked.record, T0 + 5000 + GRACE, GRACE, new Set(['n2']))
    expect(later.out.sort()).toEqual(['p-bob', 'p-caller'])
    expect(later.lost).toBe(true)
  })

  it("count from now when this node no longer has their socket (a disconnection missed), others' nodes untouched", () => {
    const r = join(enter(call('direct', [bob]), bob, 'p-bob'), { peerId: 'p-far', userId: carol, socketId: 's-far', nodeId: 'n2' }, T0)
    const seen = unseenSockets(r, 'n1', (socketId) => socketId === 's-caller', T0 + 3000)
    expect(seen.places['p-bob']).toMatchObject({ socketId: null, goneAt: T0 + 3000 })
    expect(seen.places['p-caller']).toMatchObject({ socketId: 's-caller', goneAt: null })
    expect(seen.places['p-far']).toMatchObject({ socketId: 's-far', goneAt: null })
    expect(unseenSockets(r, 'n1', () => true, T0 + 3000)).toBe(r)
  })
})
