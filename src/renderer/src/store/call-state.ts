// The window's view of calls as pure functions of the server's Call objects
// (tested in node): the known calls, the phase of mine, and the tiles of the
// other participants, keeping the media and measurements the engine added.
import type { ErrorCode } from '../../../shared/errors'
import type { Call, CallEnded, CallMedia } from '../../../shared/schemas/calls'
import type { Connection } from '../calls/peer'
import type { Quality } from '../calls/quality'

export type CallPhase = 'starting' | 'ringing' | 'active' | 'ended'

export interface CallPeer {
  peerId: string
  userId: string
  /** Their voice and camera. */
  stream: MediaStream | null
  /** Their screen while they share it. */
  screen: MediaStream | null
  muted: boolean
  camera: boolean
  /** They share their screen (the server's `screen` flag; `screen` above is the stream). */
  sharing: boolean
  connection: Connection
  quality: Quality | null
  speaking: boolean
}

export interface LocalMedia {
  stream: MediaStream | null
  screen: MediaStream | null
  muted: boolean
  camera: boolean
  speaking: boolean
}

export interface CurrentCall {
  /** null only while a new call is starting (before the server named it). */
  callId: string | null
  conversationId: string
  peerId: string
  phase: CallPhase
  media: CallMedia
  local: LocalMedia
  peers: Record<string, CallPeer>
  error: ErrorCode | null
}

/** The remote streams the engine has per peer, kept while the server's view changes. */
export interface PeerMedia {
  stream: MediaStream
  screen: MediaStream
}

export function withCalls(calls: Record<string, Call>, event: { upserted: Call[]; ended: CallEnded[] }): Record<string, Call> {
  const next = { ...calls }
  for (const call of event.upserted) next[call.id] = call
  for (const e of event.ended) delete next[e.callId]
  return next
}

/** Ringing until someone else is in the call; active from then on. */
export function phaseOf(call: Call, myPeerId: string): 'ringing' | 'active' {
  return call.participants.some((p) => p.peerId !== myPeerId) || call.answeredAt !== null ? 'active' : 'ringing'
}

/** The other participants as tiles: the server's flags, the engine's streams and measurements kept. */
export function peersFrom(call: Call, myPeerId: string, prev: Record<string, CallPeer>, media: (peerId: string) => PeerMedia | undefined): Record<string, CallPeer> {
  const next: Record<string, CallPeer> = {}
  for (const p of call.participants) {
    if (p.peerId === myPeerId) continue
    const before = prev[p.peerId]
    const m = media(p.peerId)
    next[p.peerId] = {
      peerId: p.peerId,
      userId: p.userId,
      stream: m?.stream ?? before?.stream ?? null,
      screen: p.screen ? (m?.screen ?? before?.screen ?? null) : null,
      muted: p.muted,
      camera: p.camera,
      sharing: p.screen,
      connection: before?.connection ?? 'connecting',
      quality: before?.quality ?? null,
      speaking: before?.speaking ?? false
    }
  }
  return next
}

export function newCurrent(callId: string | null, conversationId: string, peerId: string, media: CallMedia): CurrentCall {
  return {
    callId,
    conversationId,
    peerId,
    phase: 'starting',
    media,
    local: { stream: null, screen: null, muted: false, camera: media === 'video', speaking: false },
    peers: {},
    error: null
  }
}

/** Calls ringing for me that this window is not in. */
export function incomingCalls(calls: Record<string, Call>, myUserId: string | null, current: CurrentCall | null): Call[] {
  if (!myUserId) return []
  const mine = current && current.phase !== 'ended' ? current.callId : null
  return Object.values(calls).filter((c) => c.id !== mine && c.ringing.includes(myUserId))
}

export function callIn(calls: Record<string, Call>, conversationId: string): Call | undefined {
  return Object.values(calls).find((c) => c.conversationId === conversationId)
}
