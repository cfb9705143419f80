// What the engine reads from one RTCPeerConnection's getStats(): packet
// counters per transceiver (told apart by their mid, in the fixed order
// audio, camera, screen), the round trip, loss, jitter and audio levels. Pure
// (plain stats objects in), tested in node.
import type { LossCounters } from './quality'

/** The mids of a connection's three transceivers (null until negotiated). */
export interface Mids {
  audio: string | null
  camera: string | null
  screen: string | null
  /** The id of the track the screen transceiver receives on (inbound stats name it when they lack a mid). */
  screenTrack: string | null
}

export interface PeerStats {
  inboundAudioPackets: number
  inboundVideoPackets: number
  outboundAudioPackets: number
  outboundVideoPackets: number
  inboundScreenFrames: number
  outboundScreenFrames: number
  /** Selected candidate pair's round trip, ms. */
  rttMs: number | null
  /** Cumulative inbound counters, for loss over a window. */
  loss: LossCounters
  /** Inbound audio jitter, ms. */
  jitterMs: number | null
  /** The other side's voice as received (0..1). */
  remoteLevel: number | null
  /** My microphone as sent (0..1). */
  localLevel: number | null
  /** The ICE username fragment in use here: it changes with an ICE restart. */
  localUfrag: string | null
  /** 'stable' once no offer is outstanding (filled in by the connection, not by getStats). */
  signalingState: RTCSignalingState | null
}

type Entry = Record<string, unknown>

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)

export function readStats(entries: Iterable<Entry>, mids: Mids): PeerStats {
  const out: PeerStats = {
    inboundAudioPackets: 0,
    inboundVideoPackets: 0,
    outboundAudioPackets: 0,
    outboundVideoPackets: 0,
    inboundScreenFrames: 0,
    outboundScreenFrames: 0,
    rttMs: null,
    loss: { received: 0, lost: 0 },
    jitterMs: null,
    remoteLevel: null,
    localLevel: null,
    localUfrag: null,
    signalingState: null
  }
  const byId = new Map<string, Entry>()
  const all = [...entries]
  for (const e of all) if (typeof e['id'] === 'string') byId.set(e['id'], e)
  for (const e of all) {
    const isScreen = (str(e['mid']) ?? '\0') === mids.screen || (e['type'] === 'inbound-rtp' && str(e['trackIdentifier']) === mids.screenTrack)
    switch (e['type']) {
      case 'inbound-rtp': {
        const packets = num(e['packetsReceived']) ?? 0
        out.loss.received += packets
        out.loss.lost += num(e['packetsLost']) ?? 0
        if (e['kind'] === 'audio') {
          out.inboundAudioPackets += packets
          const jitter = num(e['jitter'])
          if (jitter !== null) out.jitterMs = Math.max(out.jitterMs ?? 0, jitter * 1000)
          out.remoteLevel = num(e['audioLevel']) ?? out.remoteLevel
        } else if (isScreen) out.inboundScreenFrames += num(e['framesDecoded']) ?? 0
        else out.inboundVideoPackets += packets
        break
      }
      case 'outbound-rtp': {
        const packets = num(e['packetsSent']) ?? 0
        if (e['kind'] === 'audio') out.outboundAudioPackets += packets
        else if (isScreen) out.outboundScreenFrames += num(e['framesEncoded']) ?? 0
        else out.outboundVideoPackets += packets
        break
      }
      case 'media-source':
        if (e['kind'] === 'audio') out.localLevel = num(e['audioLevel']) ?? out.localLevel
        break
      case 'transport': {
        const pair = byId.get(str(e['selectedCandidatePairId']) ?? '')
        const rtt = num(pair?.['currentRoundTripTime'])
        if (rtt !== null) out.rttMs = rtt * 1000
        out.localUfrag = str(e['iceLocalUsernameFragment']) ?? out.localUfrag
        break
      }
    }
  }
  return out
}
