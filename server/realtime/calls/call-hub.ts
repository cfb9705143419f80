// Running calls: each event is one transaction on the call store, whose
// effects (updates, rings, ends) are announced once it committed. Ringing
// and the rejoin grace run out in a sweep every node makes (the transaction
// makes only one of them act), so they hold when the node that started a
// call is gone.
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import {
  CALL_REJOIN_GRACE_MS,
  CALL_RING_MS,
  type Call,
  type CallJoinPayload,
  type CallMediaPayload,
  type CallStartPayload,
  type IceServer
} from '../../../src/shared/schemas/calls'
import type { ConversationKind } from '../../../src/shared/schemas/conversations'
import { notFound } from '../../errors'
import { awayPeers, decline, isDue, join, newRecord, ownPeer, removePeers, ringExpired, socketGone, unseenSockets, type CallRecord } from './call-record'
import type { CallStore } from './call-store'
import { callKey, CallTxn, type Effects } from './call-tx'

export interface CallOptions {
  /** Ringing stops after this long: the call is missed. Default CALL_RING_MS (45 s). */
  callRingMs?: number
  /** A window away this long without rejoining has left. Default CALL_REJOIN_GRACE_MS (15 s). */
  callRejoinGraceMs?: number
  /** STUN/TURN servers handed to every window that joins; none on one LAN. */
  iceServers?: IceServer[]
}

export interface Caller {
  userId: string
  socketId: string
}

export interface Changed {
  call: Call
  effects: Effects
}

export interface CallHub {
  readonly iceServers: IceServer[]
  /** The running call, read without a transaction (a relayed signal). */
  peek(callId: string): Promise<CallRecord | null>
  start(caller: Caller, p: CallStartPayload, conversation: { kind: ConversationKind; memberIds: string[] }): Promise<Changed>
  join(caller: Caller, p: CallJoinPayload): Promise<Changed>
  decline(userId: string, callId: string): Promise<Effects>
  leave(userId: string, p: CallJoinPayload): Promise<Effects>
  media(userId: string, p: CallMediaPayload): Promise<Changed>
  /** The users leave the conversation's call and stop ringing there. */
  membersRemoved(conversationId: string, userIds: string[]): Promise<Effects>
  /** The running calls of these conversations. */
  list(conversationIds: Iterable<string>): Promise<Call[]>
  /** A socket went away: its peers wait for a rejoin. */
  socketGone(socketId: string): void
  /** Ringing run out, peers away past the grace, peers of dead nodes: acted on. */
  sweep(): Promise<Effects>
  /** Alone (one node, or the last one): every running call ends `failed`; else this node's peers are away. */
  close(): Promise<Effects>
}

export function createCallHub(
  store: CallStore,
  options: CallOptions,
  log: Logger,
  /** Whether a socket is connected to this node (a peer whose socket is not was missed leaving). */
  connected: (socketId: string) => boolean = () => true,
  clock: () => number = Date.now
): CallHub {
  const ringMs = options.callRingMs ?? CALL_RING_MS
  const graceMs = options.callRejoinGraceMs ?? CALL_REJOIN_GRACE_MS
  /** The calls each of this node's sockets joined, for its disconnection. */
  const bySocket = new Map<string, Set<string>>()
  let closed = false

  const inTxn = <T>(work: (t: CallTxn) => Promise<T>): Promise<{ result: T; effects: Effects }> =>
    store.transact(async (tx) => {
      const t = new CallTxn(tx, clock())
      const result = await work(t)
      return { result, effects: t.effects }
    })

  const joined = (socketId: string, callId: string): void => {
    let calls = bySocket.get(socketId)
    if (!calls) bySocket.set(socketId, (calls = new Set()))
    calls.add(callId)
  }

  async function required(t: CallTxn, callId: string): Promise<CallRecord> {
    const record = await t.call(callId)
    if (!record) throw notFound('call')
    return record
  }

  /** The user leaves the call they are in elsewhere (one call at a time, in one window). */
  async function leaveOther(t: CallTxn, userId: string, callId: string): Promise<void> {
    const otherId = await t.callOf(userId)
    if (otherId === null || otherId === callId) return
    const other = await t.call(otherId)
    if (!other) return
    const mine = other.call.participants.filter((p) => p.userId === userId).map((p) => p.peerId)
    t.settle(other, removePeers(other, mine))
  }

  async function joinIn(t: CallTxn, caller: Caller, callId: string, peerId: string): Promise<Call> {
    const before = await required(t, callId)
    const after = join(before, { peerId, userId: caller.userId, socketId: caller.socketId, nodeId: store.nodeId }, t.now)
    await leaveOther(t, caller.userId, callId)
    t.put(before, after)
    t.effects.updated.push(after.call)
    return after.call
  }

  return {
    iceServers: options.iceServers ?? [],

    async peek(callId) {
      const raw = await store.get(callKey(callId))
      return raw === null ? null : (JSON.parse(raw) as CallRecord)
    },

    async start(caller, p, conversation) {
      const { result: call, effects } = await inTxn(async (t) => {
        const running = await t.callIn(p.conversationId)
        if (running !== null) return joinIn(t, caller, running, p.peerId)
        const callees = conversation.kind === 'room' ? [] : conversation.memberIds.filter((id) => id !== caller.userId)
        const fresh = newRecord({
          id: randomUUID(),
          conversationId: p.conversationId,
          kind: conversation.kind,
          startedBy: caller.userId,
          media: p.media,
          callees,
          now: t.now,
          ringMs
        })
        const place = { peerId: p.peerId, userId: caller.userId, socketId: caller.socketId, nodeId: store.nodeId }
        const callee = callees[0]
        if (conversation.kind === 'direct' && callee !== undefined && (await t.callOf(callee)) !== null) {
          // Busy: never stored, nothing rings; it ends as it starts.
          const busy = join({ ...fresh, call: { ...fresh.call, ringing: [] } }, place, t.now)
          t.effects.ended.push({ record: busy, reason: 'busy', durationMs: null })
          return busy.call
        }
        await leaveOther(t, caller.userId, fresh.call.id)
        const record = join(fresh, place, t.now)
        t.put(null, record)
        t.effects.updated.push(record.call)
        if (callees.length > 0) t.effects.rings.push({ call: record.call, userIds: callees })
        return record.call
      })
      if (effects.ended.every((e) => e.record.call.id !== call.id)) joined(caller.socketId, call.id)
      return { call, effects }
    },

    async join(caller, p) {
      const { result: call, effects } = await inTxn((t) => joinIn(t, caller, p.callId, p.peerId))
      joined(caller.socketId, call.id)
      return { call, effects }
    },

    async decline(userId, callId) {
      const { effects } = await inTxn(async (t) => {
        const before = await required(t, callId)
        const after = decline(before, userId)
        if (after !== before) t.settle(before, after)
      })
      return effects
    },

    async leave(userId, p) {
      const { effects } = await inTxn(async (t) => {
        const before = await required(t, p.callId)
        // Leaving twice (or after being replaced) is no mistake: the peer is gone either way.
        if (ownPeer(before, p.peerId, userId)) t.settle(before, removePeers(before, [p.peerId]))
      })
      return effects
    },

    async media(userId, p) {
      const { result: call, effects } = await inTxn(async (t) => {
        const before = await required(t, p.callId)
        if (!ownPeer(before, p.peerId, userId)) throw notFound('peer in this call')
        const participants = before.call.participants.map((x) =>
          x.peerId === p.peerId ? { ...x, muted: p.muted, camera: p.camera, screen: p.screen } : x
        )
        const after = { ...before, call: { ...before.call, participants } }
        t.put(before, after)
        t.effects.updated.push(after.call)
        return after.call
      })
      return { call, effects }
    },

    async membersRemoved(conversationId, userIds) {
      const gone = new Set(userIds)
      const { effects } = await inTxn(async (t) => {
        const callId = await t.callIn(conversationId)
        const before = callId === null ? null : await t.call(callId)
        if (!before) return
        const peers = before.call.participants.filter((p) => gone.has(p.userId)).map((p) => p.peerId)
        const ringing = before.call.ringing.filter((u) => !gone.has(u))
        if (peers.length === 0 && ringing.length === before.call.ringing.length) return
        const after = removePeers({ ...before, call: { ...before.call, ringing } }, peers)
        t.settle(before, after)
      })
      return effects
    },

    async list(conversationIds) {
      const mine = new Set(conversationIds)
      return (await store.calls()).map((raw) => (JSON.parse(raw) as CallRecord).call).filter((c) => mine.has(c.conversationId))
    },

    socketGone(socketId) {
      const calls = bySocket.get(socketId)
      bySocket.delete(socketId)
      if (!calls || closed) return
      for (const callId of calls) {
        inTxn(async (t) => {
          const before = await t.call(callId)
          if (!before) return
          const after = socketGone(before, socketId, t.now)
          if (after !== before) t.put(before, after)
        }).catch((err: unknown) => log.warn({ err, callId }, 'could not mark a call peer away; it goes once its node is found dead'))
      }
    },

    async sweep() {
      const all = noneIfEmpty((await store.calls()).map((raw) => JSON.parse(raw) as CallRecord))
      if (!all) return { updated: [], rings: [], ended: [] }
      const live = await store.liveNodes()
      const now = clock()
      const total: Effects = { updated: [], rings: [], ended: [] }
      for (const seen of all) {
        if (!isDue(seen, now, graceMs, live) && unseenSockets(seen, store.nodeId, connected, now) === seen) continue
        const { effects } = await inTxn(async (t) => {
          const before = await t.call(seen.call.id)
          if (!before) return
          const rung = ringExpired(unseenSockets(before, store.nodeId, connected, t.now), t.now)
          const away = awayPeers(rung, t.now, graceMs, live)
          const after = removePeers(away.record, away.out)
          if (after !== before) t.settle(before, after, away.lost)
        })
        total.updated.push(...effects.updated)
        total.ended.push(...effects.ended)
      }
      return total
    },

    async close() {
      closed = true
      const live = await store.liveNodes().catch(() => null)
      const alone = live === null || [...live].every((id) => id === store.nodeId)
      const { effects } = await inTxn(async (t) => {
        for (const raw of await store.calls()) {
          const seen = JSON.parse(raw) as CallRecord
          const before = await t.call(seen.call.id)
          if (!before) continue
          if (alone) {
            t.fail(before)
            continue
          }
          // Others carry on: this node's windows reconnect to another and rejoin within the grace.
          let after = before
          for (const [peerId, place] of Object.entries(before.places)) {
            if (place.nodeId === store.nodeId && place.goneAt === null) {
              after = { ...after, places: { ...after.places, [peerId]: { ...place, socketId: null, goneAt: t.now } } }
            }
          }
          if (after !== before) t.put(before, after)
        }
      })
      return effects
    }
  }
}

const noneIfEmpty = <T>(list: T[]): T[] | null => (list.length === 0 ? null : list)
