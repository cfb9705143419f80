// What the server keeps of one running call, and how each event changes it.
// Pure functions of a record and the time: the call store applies them in a
// transaction (one node's lock, or Redis WATCH/MULTI), so two nodes racing
// on the same call both see the other's change.
import { CALL_PARTICIPANTS_MAX, type Call, type CallEndReason, type CallMedia } from '../../../src/shared/schemas/calls'
import type { ConversationKind } from '../../../src/shared/schemas/conversations'
import { AppError, forbidden } from '../../errors'

/** Where a peer's window is connected; never sent to clients. */
export interface PeerPlace {
  /** Its socket, null while it is away (reconnecting). */
  socketId: string | null
  nodeId: string
  /** When its socket went away (ms); it is out once the rejoin grace has passed. */
  goneAt: number | null
  /** Away because its node died (not a socket that left): if the call ends of it, the server failed it. */
  lost?: boolean
}

export interface CallRecord {
  call: Call
  kind: ConversationKind
  places: Record<string, PeerPlace>
  /** Everyone rung when the call started. */
  callees: string[]
  declined: string[]
  /** Users who were in the call at some point: the system message names them. */
  everIn: string[]
  /** Ringing stops at this time (ms). */
  ringUntil: number
}

export interface CallEnd {
  record: CallRecord
  reason: CallEndReason
  durationMs: number | null
}

export interface NewCall {
  id: string
  conversationId: string
  kind: ConversationKind
  startedBy: string
  media: CallMedia
  /** Members who ring: every other member, none in a public room. */
  callees: string[]
  now: number
  ringMs: number
}

export function newRecord(c: NewCall): CallRecord {
  return {
    call: {
      id: c.id,
      conversationId: c.conversationId,
      startedBy: c.startedBy,
      startedAt: new Date(c.now).toISOString(),
      media: c.media,
      answeredAt: null,
      participants: [],
      ringing: [...c.callees]
    },
    kind: c.kind,
    places: {},
    callees: [...c.callees],
    declined: [],
    everIn: [],
    ringUntil: c.now + c.ringMs
  }
}

export interface Joiner {
  peerId: string
  userId: string
  socketId: string
  nodeId: string
}

/**
 * Adds a window to the call, or takes back its place after a reconnect (same
 * peerId). A user is in a call with one window: joining from another device
 * replaces the first one's peer (its window sees itself gone and stops).
 */
export function join(r: CallRecord, j: Joiner, now: number): CallRecord {
  const call = r.call
  const existing = call.participants.find((p) => p.peerId === j.peerId)
  if (existing && existing.userId !== j.userId) throw forbidden('that peer is someone else’s')
  const place: PeerPlace = { socketId: j.socketId, nodeId: j.nodeId, goneAt: null }
  if (existing) return { ...r, places: { ...r.places, [j.peerId]: place } }
  const replaced = call.participants.filter((p) => p.userId === j.userId).map((p) => p.peerId)
  const participants = call.participants.filter((p) => p.userId !== j.userId)
  if (participants.length >= CALL_PARTICIPANTS_MAX) {
    throw new AppError('call_full', `this call already has ${CALL_PARTICIPANTS_MAX} people, as many as it carries`)
  }
  participants.push({ peerId: j.peerId, userId: j.userId, joinedAt: new Date(now).toISOString(), muted: false, camera: call.media === 'video', screen: false })
  const places = { ...withoutPlaces(r.places, replaced), [j.peerId]: place }
  const answered = call.answeredAt ?? (new Set(participants.map((p) => p.userId)).size >= 2 ? new Date(now).toISOString() : null)
  return {
    ...r,
    call: { ...call, participants, ringing: call.ringing.filter((u) => u !== j.userId), answeredAt: answered },
    places,
    everIn: r.everIn.includes(j.userId) ? r.everIn : [...r.everIn, j.userId]
  }
}

/** Removes peers (left, replaced, or away past the grace). */
export function removePeers(r: CallRecord, peerIds: string[]): CallRecord {
  if (peerIds.length === 0) return r
  const gone = new Set(peerIds)
  return { ...r, call: { ...r.call, participants: r.call.participants.filter((p) => !gone.has(p.peerId)) }, places: withoutPlaces(r.places, peerIds) }
}

/** The user's devices stop ringing; unanswered, with nobody left ringing, the call ends. */
export function decline(r: CallRecord, userId: string): CallRecord {
  if (!r.call.ringing.includes(userId)) return r
  return { ...r, call: { ...r.call, ringing: r.call.ringing.filter((u) => u !== userId) }, declined: [...r.declined, userId] }
}

/** Ringing past its time stops (unanswered, the call is then missed). */
export function ringExpired(r: CallRecord, now: number): CallRecord {
  if (r.call.ringing.length === 0 || now < r.ringUntil) return r
  return { ...r, call: { ...r.call, ringing: [] } }
}

/** Peers away for the whole grace, or connected to a node that died (they count as away from now). */
export function awayPeers(
  r: CallRecord,
  now: number,
  graceMs: number,
  liveNodes: Set<string> | null
): { record: CallRecord; out: string[]; lost: boolean } {
  let places = r.places
  const out: string[] = []
  let lost = false
  for (const [peerId, place] of Object.entries(r.places)) {
    if (place.goneAt === null && liveNodes && !liveNodes.has(place.nodeId)) {
      places = { ...places, [peerId]: { ...place, socketId: null, goneAt: now, lost: true } }
    } else if (place.goneAt !== null && now - place.goneAt >= graceMs) {
      out.push(peerId)
      lost ||= place.lost === true
    }
  }
  return { record: places === r.places ? r : { ...r, places }, out, lost }
}

/** Whether anything in the record is due at `now`: ringing to stop, a peer to drop or to count as away. */
export function isDue(r: CallRecord, now: number, graceMs: number, liveNodes: Set<string> | null): boolean {
  if (r.call.ringing.length > 0 && now >= r.ringUntil) return true
  return Object.values(r.places).some((p) =>
    p.goneAt === null ? liveNodes !== null && !liveNodes.has(p.nodeId) : now - p.goneAt >= graceMs
  )
}

/**
 * Peers of this node whose socket is no longer here: their disconnection was
 * not recorded (Redis was away at that moment), so it is now.
 */
export function unseenSockets(r: CallRecord, nodeId: string, connected: (socketId: string) => boolean, now: number): CallRecord {
  let places = r.places
  for (const [peerId, place] of Object.entries(r.places)) {
    if (place.nodeId === nodeId && place.socketId !== null && !connected(place.socketId)) {
      places = { ...places, [peerId]: { ...place, socketId: null, goneAt: now } }
    }
  }
  return places === r.places ? r : { ...r, places }
}

/** A window's socket went away: its peer waits for a rejoin. */
export function socketGone(r: CallRecord, socketId: string, now: number): CallRecord {
  let places = r.places
  for (const [peerId, place] of Object.entries(r.places)) {
    if (place.socketId === socketId) places = { ...places, [peerId]: { ...place, socketId: null, goneAt: now } }
  }
  return places === r.places ? r : { ...r, places }
}

/**
 * Whether the call is over, and why. A direct call ends once answered and
 * one side is left; a group call or a room's keeps running while anyone is
 * in it, so people may leave and come back.
 */
export function endOf(r: CallRecord, now: number): CallEnd | null {
  const { call } = r
  const n = call.participants.length
  const end = (reason: CallEndReason): CallEnd => ({
    record: r,
    reason,
    durationMs: call.answeredAt === null ? null : Math.max(0, now - Date.parse(call.answeredAt))
  })
  if (call.answeredAt === null) {
    if (n === 0) return end('cancelled')
    if (r.callees.length > 0 && call.ringing.length === 0) return end(r.declined.length === r.callees.length ? 'declined' : 'missed')
    return null
  }
  if (n === 0 || (r.kind === 'direct' && n <= 1 && call.ringing.length === 0)) return end('completed')
  return null
}

/** The peer must be one of the caller's own. */
export function ownPeer(r: CallRecord, peerId: string, userId: string): Call['participants'][number] | undefined {
  const p = r.call.participants.find((x) => x.peerId === peerId)
  if (p && p.userId !== userId) throw forbidden('that peer is someone else’s')
  return p
}

function withoutPlaces(places: Record<string, PeerPlace>, peerIds: string[]): Record<string, PeerPlace> {
  if (peerIds.length === 0) return places
  const next = { ...places }
  for (const id of peerIds) delete next[id]
  return next
}
