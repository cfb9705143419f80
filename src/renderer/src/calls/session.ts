// One call of this window: the mesh of PeerLinks (one per other
// participant), the local tracks they send, and the stats ticks that say who
// speaks and how good each connection is. It knows nothing of the store: it
// reports through callbacks, and the calls slice puts that into state.
import type { CallParticipant, CallSignal, CallSignalPayload } from '../../../shared/schemas/calls'
import { LEVEL_HZ, nextSpeaking, SILENT, type SpeakingState } from './speaking'
import { NEW_MONITOR, nextMonitor, type PeerMonitor } from './monitor'
import { PeerLink, type Connection, type InSignal, type Slot } from './peer'
import type { Quality } from './quality'
import { offersFirst } from './roles'
import type { PeerStats } from './stats'

export interface CallSessionEvents {
  send(signal: CallSignalPayload): void
  media(peerId: string, stream: MediaStream, screen: MediaStream): void
  connection(peerId: string, connection: Connection): void
  /** Per peer, and for this window under its own peerId. */
  speaking(peerId: string, speaking: boolean): void
  quality(peerId: string, quality: Quality | null): void
  error(err: unknown): void
}

export interface CallSessionOptions {
  callId: string
  peerId: string
  iceServers: RTCIceServer[]
  tracks: Record<Slot, MediaStreamTrack | null>
  events: CallSessionEvents
}

/** Signals from a peer whose connection does not exist yet, kept until it does (at most this many per peer). */
const EARLY_MAX = 64

export class CallSession {
  private readonly links = new Map<string, PeerLink>()
  private readonly monitors = new Map<string, PeerMonitor>()
  private readonly early = new Map<string, InSignal[]>()
  private local: SpeakingState = SILENT
  private muted = false
  private readonly timer: ReturnType<typeof setInterval>
  private ticking = false

  constructor(private readonly o: CallSessionOptions) {
    this.timer = setInterval(() => void this.tick(), 1000 / LEVEL_HZ)
  }

  get peerId(): string {
    return this.o.peerId
  }

  /** The participants now: new ones get a connection (this side offers if it joined later), those gone lose theirs. */
  sync(participants: readonly CallParticipant[]): void {
    const me = participants.find((p) => p.peerId === this.o.peerId)
    const present = new Set(participants.map((p) => p.peerId))
    for (const peerId of [...this.links.keys()]) if (!present.has(peerId)) this.drop(peerId)
    if (!me) return
    for (const p of participants) {
      if (p.peerId === this.o.peerId || this.links.has(p.peerId)) continue
      this.connect(p.peerId, offersFirst(me, p))
    }
  }

  handleSignal(signal: CallSignal): void {
    if (signal.callId !== this.o.callId || signal.to !== this.o.peerId) return
    const incoming: InSignal = signal.description ? { description: signal.description } : { candidate: signal.candidate ?? null }
    const link = this.links.get(signal.from)
    if (link) return void link.handle(incoming)
    // An offer from someone this window has not seen join yet (their call:updated is on its way): they offer, we answer.
    if (signal.description?.type === 'offer') {
      const created = this.connect(signal.from, false)
      void created.handle(incoming)
      return
    }
    const kept = this.early.get(signal.from) ?? []
    if (kept.length < EARLY_MAX) kept.push(incoming)
    this.early.set(signal.from, kept)
  }

  async setTrack(slot: Slot, track: MediaStreamTrack | null): Promise<void> {
    this.o.tracks[slot] = track
    await Promise.all([...this.links.values()].map((l) => l.setTrack(slot, track)))
  }

  setMuted(muted: boolean): void {
    this.muted = muted
    if (muted) this.setLocalSpeaking(SILENT)
  }

  /** After this window's socket came back (and rejoined): new ICE credentials on every connection. */
  restartIce(): void {
    for (const link of this.links.values()) link.restartIce()
  }

  async stats(): Promise<Array<{ peerId: string } & PeerStats>> {
    const read = await Promise.all(
      [...this.links].map(async ([peerId, link]) => {
        try {
          return { peerId, ...(await link.stats()) }
        } catch (err) {
          // Closed while its stats were read (the peer left): no reading.
          if (this.links.get(peerId) === link) this.o.events.error(err)
          return null
        }
      })
    )
    return read.filter((r) => r !== null)
  }

  close(): void {
    clearInterval(this.timer)
    for (const peerId of [...this.links.keys()]) this.drop(peerId)
    this.early.clear()
  }

  private connect(peerId: string, initiator: boolean): PeerLink {
    const { events } = this.o
    const link = new PeerLink({
      myPeerId: this.o.peerId,
      peerId,
      initiator,
      iceServers: this.o.iceServers,
      tracks: this.o.tracks,
      send: (signal) => events.send({ callId: this.o.callId, from: this.o.peerId, to: peerId, ...signal }),
      onMedia: (stream, screen) => events.media(peerId, stream, screen),
      onConnection: (connection) => events.connection(peerId, connection),
      onError: (err) => events.error(err)
    })
    this.links.set(peerId, link)
    this.monitors.set(peerId, NEW_MONITOR)
    for (const signal of this.early.get(peerId) ?? []) void link.handle(signal)
    this.early.delete(peerId)
    return link
  }

  private drop(peerId: string): void {
    this.links.get(peerId)?.close()
    this.links.delete(peerId)
    this.monitors.delete(peerId)
  }

  private async tick(): Promise<void> {
    if (this.ticking) return // a slow getStats: skip a beat rather than pile up
    this.ticking = true
    try {
      const all = await this.stats()
      for (const s of all) {
        const before = this.monitors.get(s.peerId)
        if (!before) continue
        const after = nextMonitor(before, s)
        this.monitors.set(s.peerId, after)
        if (after.speaking.speaking !== before.speaking.speaking) this.o.events.speaking(s.peerId, after.speaking.speaking)
        if (after.quality !== before.quality) this.o.events.quality(s.peerId, after.quality)
      }
      // My own level: what the microphone's source reports to any connection (they share the track).
      const level = all.find((s) => s.localLevel !== null)?.localLevel ?? null
      this.setLocalSpeaking(this.muted ? SILENT : nextSpeaking(this.local, level))
    } catch (err) {
      this.o.events.error(err)
    } finally {
      this.ticking = false
    }
  }

  private setLocalSpeaking(next: SpeakingState): void {
    const changed = next.speaking !== this.local.speaking
    this.local = next
    if (changed) this.o.events.speaking(this.o.peerId, next.speaking)
  }
}
