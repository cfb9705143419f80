// Calls on the LAN: what the server knows of a call (who rings, who is in it,
// their microphone, camera and screen), and the signalling it relays between
// the peers' windows. Offers, answers and ICE candidates pass through and are
// never stored; media goes peer to peer (a mesh), encrypted by WebRTC.
import { z } from 'zod'
import { Id, Timestamp } from './common'

/** A mesh: every participant sends to every other, so uplink and CPU grow with each one; 8 is where a LAN call stays usable. */
export const CALL_PARTICIPANTS_MAX = 8
/** Ringing stops after this long with nobody answering: the call is missed. */
export const CALL_RING_MS = 45_000
/** A participant whose socket went away and did not rejoin within this long has left (a network change recovers within it). */
export const CALL_REJOIN_GRACE_MS = 15_000

export const CallMedia = z.enum(['audio', 'video']).describe('what the caller started with; anyone may turn a camera on later')
export type CallMedia = z.infer<typeof CallMedia>

/**
 * One window in a call: chosen by that window when it joins (a random UUID),
 * kept across its reconnects so the others' peer connections to it survive.
 */
export const PeerId = z.uuid()

export const CallParticipant = z
  .object({
    peerId: PeerId,
    userId: Id,
    joinedAt: Timestamp,
    muted: z.boolean(),
    camera: z.boolean(),
    screen: z.boolean()
  })
  .meta({ id: 'CallParticipant' })
export type CallParticipant = z.infer<typeof CallParticipant>

export const Call = z
  .object({
    id: Id,
    conversationId: Id,
    startedBy: Id,
    startedAt: Timestamp,
    media: CallMedia,
    /** Set when the second person joined: duration counts from here. */
    answeredAt: Timestamp.nullable(),
    participants: z.array(CallParticipant),
    /** Members whose devices ring now (not yet answered or declined). */
    ringing: z.array(Id)
  })
  .meta({ id: 'Call' })
export type Call = z.infer<typeof Call>

/**
 * Why a call ended, for everyone in the conversation:
 * `completed` someone answered and then everyone left; `cancelled` the
 * caller hung up before anyone answered; `missed` nobody answered in time;
 * `declined` every callee declined; `busy` the callee (of a direct call) was
 * in another call; `failed` the server stopped it (restart, a node died).
 */
export const CallEndReason = z.enum(['completed', 'cancelled', 'missed', 'declined', 'busy', 'failed'])
export type CallEndReason = z.infer<typeof CallEndReason>

export const CallEnded = z.object({
  callId: Id,
  conversationId: Id,
  reason: CallEndReason,
  /** From answer to the last one leaving; null when never answered. */
  durationMs: z.number().int().min(0).nullable()
})
export type CallEnded = z.infer<typeof CallEnded>

/** An RTCIceServer as the server admin configured it (STUN or TURN); none on one LAN. */
export const IceServer = z
  .object({
    urls: z.union([z.string().min(1).max(512), z.array(z.string().min(1).max(512)).min(1).max(8)]),
    username: z.string().max(256).optional(),
    credential: z.string().max(256).optional()
  })
  .meta({ id: 'IceServer' })
export type IceServer = z.infer<typeof IceServer>

/** What a window needs to take part: the call now and the ICE servers to use. */
export interface CallJoined {
  call: Call
  iceServers: IceServer[]
}

const SessionDescription = z.strictObject({
  type: z.enum(['offer', 'answer']),
  sdp: z.string().min(1).max(64_000)
})
const IceCandidate = z.strictObject({
  candidate: z.string().max(2048),
  sdpMid: z.string().max(64).nullable().optional(),
  sdpMLineIndex: z.number().int().min(0).max(1024).nullable().optional(),
  usernameFragment: z.string().max(256).nullable().optional()
})

export const CallStartPayload = z.strictObject({ conversationId: Id, media: CallMedia, peerId: PeerId })
export type CallStartPayload = z.infer<typeof CallStartPayload>
/** Answer a ringing call, join a running one, or rejoin after a reconnect (same peerId: the others keep their connections). */
export const CallJoinPayload = z.strictObject({ callId: Id, peerId: PeerId })
export type CallJoinPayload = z.infer<typeof CallJoinPayload>
export const CallRefPayload = z.strictObject({ callId: Id })
export type CallRefPayload = z.infer<typeof CallRefPayload>
/** Relayed to one other peer of the same call: a description, or a candidate (null: end of candidates). */
export const CallSignalPayload = z
  .strictObject({
    callId: Id,
    from: PeerId,
    to: PeerId,
    description: SessionDescription.optional(),
    candidate: IceCandidate.nullable().optional()
  })
  .refine((p) => (p.description === undefined) !== (p.candidate === undefined), { message: 'give a description or a candidate, not both' })
export type CallSignalPayload = z.infer<typeof CallSignalPayload>
export const CallMediaPayload = z.strictObject({ callId: Id, peerId: PeerId, muted: z.boolean(), camera: z.boolean(), screen: z.boolean() })
export type CallMediaPayload = z.infer<typeof CallMediaPayload>

/** A relayed signal as the receiving window gets it. */
export interface CallSignal {
  callId: string
  from: string
  fromUserId: string
  to: string
  description?: { type: 'offer' | 'answer'; sdp: string }
  candidate?: z.infer<typeof IceCandidate> | null
}
