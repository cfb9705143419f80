// One RTCPeerConnection to one other window of a call. Three transceivers in
// a fixed order (audio, camera, screen), all sendrecv from the first offer,
// so turning a camera or a screen on or off is a replaceTrack, never a new
// negotiation, and the receiver knows the screen by its position. Anything
// that does renegotiate (an ICE restart) follows the "perfect negotiation"
// pattern: the polite side (the smaller peerId) yields on a collision, so
// glare cannot wedge the connection.
import type { CallSignalPayload } from '../../../shared/schemas/calls'
import { readStats, type Mids, type PeerStats } from './stats'

export type Connection = 'connecting' | 'connected' | 'reconnecting' | 'failed'
export type Slot = 'audio' | 'camera' | 'screen'
const SLOTS: readonly Slot[] = ['audio', 'camera', 'screen']

export type OutSignal = Pick<CallSignalPayload, 'description' | 'candidate'>
export type InSignal = OutSignal

/** A 'disconnected' ICE state lasting this long is restarted (Chrome takes ~30 s to call it 'failed'). */
export const DISCONNECTED_RESTART_MS = 3000

export interface PeerLinkOptions {
  myPeerId: string
  peerId: string
  /** This side sends the first offer (the newcomer to a call offers to everyone already in it). */
  initiator: boolean
  iceServers: RTCIceServer[]
  tracks: Record<Slot, MediaStreamTrack | null>
  send(signal: OutSignal): void
  /** Remote media arrived: the voice and camera in one stream, the screen in another. */
  onMedia(stream: MediaStream, screen: MediaStream): void
  onConnection(connection: Connection): void
  onError(err: unknown): void
}

export class PeerLink {
  readonly pc: RTCPeerConnection
  readonly polite: boolean
  readonly stream = new MediaStream()
  readonly screen = new MediaStream()
  private making = false
  private ignoreOffer = false
  private candidates: RTCIceCandidateInit[] = []
  /** Signals are handled one after another: each awaits the last (setRemoteDescription is async). */
  private queue: Promise<void> = Promise.resolve()
  private tracks: Record<Slot, MediaStreamTrack | null>
  private disconnectedTimer: ReturnType<typeof setTimeout> | null = null
  private closed = false

  constructor(private readonly o: PeerLinkOptions) {
    this.tracks = { ...o.tracks }
    this.polite = o.myPeerId < o.peerId
    this.pc = new RTCPeerConnection({ iceServers: o.iceServers, bundlePolicy: 'max-bundle' })
    this.pc.onnegotiationneeded = () => void this.offer()
    this.pc.onicecandidate = ({ candidate }) => {
      // The end of candidates is not sent: every candidate on a LAN comes at once, and Chrome does not wait for it.
      if (candidate) o.send({ candidate: pickCandidate(candidate.toJSON()) })
    }
    this.pc.ontrack = ({ transceiver, track }) => {
      const slot = this.slotOf(transceiver)
      const into = slot === 'screen' ? this.screen : this.stream
      if (slot && !into.getTracks().includes(track)) into.addTrack(track)
      o.onMedia(this.stream, this.screen)
    }
    this.pc.onconnectionstatechange = () => this.connectionChanged()
    this.pc.oniceconnectionstatechange = () => this.iceChanged()
    if (o.initiator) for (const slot of SLOTS) this.pc.addTransceiver(this.tracks[slot] ?? (slot === 'audio' ? 'audio' : 'video'), { direction: 'sendrecv' })
  }

  /** An offer, answer or candidate from the other side, in order. */
  handle(signal: InSignal): Promise<void> {
    this.queue = this.queue.then(() => this.apply(signal)).catch((err: unknown) => this.o.onError(err))
    return this.queue
  }

  /** Puts a new track (or none) on one slot: no renegotiation, the transceiver is already there. */
  async setTrack(slot: Slot, track: MediaStreamTrack | null): Promise<void> {
    this.tracks[slot] = track
    const transceiver = this.transceiver(slot)
    if (transceiver) await transceiver.sender.replaceTrack(track)
  }

  /** New ICE credentials: an offer with them goes out through perfect negotiation. */
  restartIce(): void {
    if (this.closed) return
    this.pc.restartIce()
  }

  async stats(): Promise<PeerStats> {
    const report = await this.pc.getStats()
    return { ...readStats(report.values() as Iterable<Record<string, unknown>>, this.mids()), signalingState: this.pc.signalingState }
  }

  close(): void {
    this.closed = true
    if (this.disconnectedTimer) clearTimeout(this.disconnectedTimer)
    this.pc.onnegotiationneeded = null
    this.pc.onicecandidate = null
    this.pc.ontrack = null
    this.pc.onconnectionstatechange = null
    this.pc.oniceconnectionstatechange = null
    this.pc.close()
  }

  private async offer(): Promise<void> {
    if (this.closed) return
    try {
      this.making = true
      await this.pc.setLocalDescription()
      this.sendDescription()
    } catch (err) {
      this.o.onError(err)
    } finally {
      this.making = false
    }
  }

  private async apply(signal: InSignal): Promise<void> {
    if (this.closed) return
    const { description, candidate } = signal
    if (description) {
      const collision = description.type === 'offer' && (this.making || this.pc.signalingState !== 'stable')
      this.ignoreOffer = !this.polite && collision
      if (this.ignoreOffer) {
        // The polite side yields to our offer once it sees it; if it was lost (its socket was away), this is it again.
        if (this.pc.localDescription?.type === 'offer') this.sendDescription()
        return
      }
      // An answer to an offer already answered (ours sent twice, see above): nothing to apply.
      if (description.type === 'answer' && this.pc.signalingState !== 'have-local-offer') return
      // On a collision the polite side's setRemoteDescription rolls its own offer back (implicit rollback).
      await this.pc.setRemoteDescription(description)
      if (description.type === 'offer') {
        this.adoptTransceivers()
        await this.pc.setLocalDescription()
        this.sendDescription()
      }
      for (const c of this.candidates.splice(0)) await this.addCandidate(c)
      return
    }
    if (!candidate) return
    // A candidate can overtake the description it belongs to: kept until that one is set.
    if (!this.pc.remoteDescription) this.candidates.push(candidate)
    else await this.addCandidate(candidate)
  }

  private async addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.pc.addIceCandidate(candidate)
    } catch (err) {
      // Candidates of an offer we ignored belong to no description of ours.
      if (!this.ignoreOffer) throw err
    }
  }

  /** The answering side: the offer made the transceivers; ours send on them too. */
  private adoptTransceivers(): void {
    for (const slot of SLOTS) {
      const t = this.transceiver(slot)
      if (!t) continue
      if (t.direction !== 'sendrecv') t.direction = 'sendrecv'
      if (t.sender.track !== this.tracks[slot]) void t.sender.replaceTrack(this.tracks[slot]).catch((err: unknown) => this.o.onError(err))
    }
  }

  private sendDescription(): void {
    const d = this.pc.localDescription
    if (d && (d.type === 'offer' || d.type === 'answer')) this.o.send({ description: { type: d.type, sdp: d.sdp } })
  }

  private transceiver(slot: Slot): RTCRtpTransceiver | undefined {
    // In m-line order on both sides: the offerer created them in this order, the answerer got them from that offer.
    return this.pc.getTransceivers()[SLOTS.indexOf(slot)]
  }

  private slotOf(transceiver: RTCRtpTransceiver): Slot | undefined {
    return SLOTS[this.pc.getTransceivers().indexOf(transceiver)]
  }

  private mids(): Mids {
    return {
      audio: this.transceiver('audio')?.mid ?? null,
      camera: this.transceiver('camera')?.mid ?? null,
      screen: this.transceiver('screen')?.mid ?? null,
      screenTrack: this.transceiver('screen')?.receiver.track.id ?? null
    }
  }

  private connectionChanged(): void {
    const state = this.pc.connectionState
    if (state === 'connected') this.o.onConnection('connected')
    else if (state === 'disconnected') this.o.onConnection('reconnecting')
    else if (state === 'failed') this.o.onConnection('failed')
    else if (state === 'new' || state === 'connecting') this.o.onConnection('connecting')
  }

  // Recovery after a network change: the side that offered first restarts ICE
  // (one side only, so both do not offer at once); the other side restarts
  // when its own socket comes back (CallSession.rejoined).
  private iceChanged(): void {
    const state = this.pc.iceConnectionState
    if (this.disconnectedTimer) clearTimeout(this.disconnectedTimer)
    this.disconnectedTimer = null
    if (!this.o.initiator) return
    if (state === 'failed') this.restartIce()
    else if (state === 'disconnected') {
      this.disconnectedTimer = setTimeout(() => {
        if (this.pc.iceConnectionState === 'disconnected') this.restartIce()
      }, DISCONNECTED_RESTART_MS)
    }
  }
}

/** The fields the contract's candidate carries (toJSON may add others). */
function pickCandidate(c: RTCIceCandidateInit): NonNullable<CallSignalPayload['candidate']> {
  return {
    candidate: c.candidate ?? '',
    ...(c.sdpMid !== undefined ? { sdpMid: c.sdpMid } : {}),
    ...(c.sdpMLineIndex !== undefined ? { sdpMLineIndex: c.sdpMLineIndex } : {}),
    ...(c.usernameFragment !== undefined ? { usernameFragment: c.usernameFragment } : {})
  }
}
