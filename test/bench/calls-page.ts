// The page side of bench:calls: plain JavaScript installed with
// addInitScript before the window's own code (a string, so tsx's transform
// never touches it), as window.__callsBench. It keeps every
// RTCPeerConnection the engine makes (a subclass put in place of the
// constructor), so it can read getStats() as often as it likes: the browser
// host's window.__messengerCalls counts packets, not decoded frames or frame
// rates.
//
// arm({ timeoutMs, pollMs, video }), right before a click on Accept: polls every
// connection's getStats() until the first audio (and, with video, the first camera
// frame) have been received and decoded; `first` resolves with those times
// (performance.now() when the poll that saw them returned) and the click's
// event.timeStamp, both on the page's clock. sample(): each live
// connection's counters now, for rates over a window.

export interface FirstMedia {
  /** The Accept click's event.timeStamp (null if no Accept was clicked in this page). */
  clickAt: number | null
  audioPacket: number | null
  /** Audio samples that were decoded, not concealed (NetEq's output from real packets). */
  audioDecoded: number | null
  videoPacket: number | null
  videoDecoded: number | null
  /** performance.timeOrigin (ms since the epoch): to compare times across pages. */
  origin: number
  polls: number
  /** Time spent inside getStats() over all polls, ms. */
  pollSpentMs: number
  timedOut: boolean
}

export interface InboundVideo {
  framesDecoded: number
  framesDropped: number
  frameWidth: number
  frameHeight: number
  totalDecodeTime: number
  freezeCount: number
  totalFreezesDuration: number
}

export interface OutboundVideo {
  framesEncoded: number
  frameWidth: number
  frameHeight: number
  qualityLimitationReason: string
  totalEncodeTime: number
  bytesSent: number
}

export interface InboundAudio {
  totalSamplesReceived: number
  concealedSamples: number
  packetsReceived: number
  packetsLost: number
}

export interface ConnectionSample {
  /** A number this page gave the connection when it was made. */
  id: number
  state: string
  /** performance.now() when its stats were read. */
  at: number
  /** The camera (the transceiver that carries frames; no screen is shared in this benchmark). */
  inVideo: InboundVideo | null
  outVideo: OutboundVideo | null
  inAudio: InboundAudio | null
  rttMs: number | null
}

export const PAGE_SCRIPT = String.raw`
(() => {
  if (window.__callsBench) return
  const B = { pcs: [], clickAt: null, nextId: 1, ids: new WeakMap() }
  window.__callsBench = B
  const Native = window.RTCPeerConnection
  class Kept extends Native {
    constructor(...args) {
      super(...args)
      B.ids.set(this, B.nextId++)
      B.pcs.push(this)
    }
  }
  window.RTCPeerConnection = Kept

  document.addEventListener('click', (e) => {
    const button = e.target instanceof Element ? e.target.closest('[data-testid]') : null
    if (button && /^call-accept/.test(button.getAttribute('data-testid'))) B.clickAt = e.timeStamp
  }, true)

  const live = () => (B.pcs = B.pcs.filter((pc) => pc.connectionState !== 'closed'))
  const entriesOf = async (pc) => [...(await pc.getStats()).values()]

  B.arm = ({ timeoutMs, pollMs, video }) => {
    B.clickAt = null
    B.wantVideo = video
    const r = { clickAt: null, audioPacket: null, audioDecoded: null, videoPacket: null, videoDecoded: null, origin: performance.timeOrigin, polls: 0, pollSpentMs: 0, timedOut: false }
    const started = performance.now()
    B.first = new Promise((resolve) => {
      const poll = async () => {
        const t0 = performance.now()
        const all = await Promise.all(live().map(entriesOf))
        const now = performance.now()
        r.polls++
        r.pollSpentMs += now - t0
        for (const entries of all) for (const e of entries) {
          if (e.type !== 'inbound-rtp') continue
          if (e.kind === 'audio') {
            if (r.audioPacket === null && e.packetsReceived > 0) r.audioPacket = now
            if (r.audioDecoded === null && (e.totalSamplesReceived || 0) - (e.concealedSamples || 0) > 0) r.audioDecoded = now
          } else if (e.kind === 'video') {
            if (r.videoPacket === null && e.packetsReceived > 0) r.videoPacket = now
            if (r.videoDecoded === null && e.framesDecoded > 0) r.videoDecoded = now
          }
        }
        const done = r.audioPacket !== null && r.audioDecoded !== null && (!B.wantVideo || (r.videoPacket !== null && r.videoDecoded !== null))
        if (done || now - started > timeoutMs) {
          r.timedOut = !done
          r.clickAt = B.clickAt
          resolve(r)
          return
        }
        setTimeout(poll, pollMs)
      }
      void poll()
    })
  }

  B.sample = async () => {
    const out = []
    for (const pc of live()) {
      const entries = await entriesOf(pc)
      const byId = new Map(entries.map((e) => [e.id, e]))
      const s = { id: B.ids.get(pc), state: pc.connectionState, at: performance.now(), inVideo: null, outVideo: null, inAudio: null, rttMs: null }
      for (const e of entries) {
        if (e.type === 'inbound-rtp' && e.kind === 'video' && (e.framesDecoded || 0) > 0 && (!s.inVideo || e.framesDecoded > s.inVideo.framesDecoded)) {
          s.inVideo = { framesDecoded: e.framesDecoded, framesDropped: e.framesDropped || 0, frameWidth: e.frameWidth || 0, frameHeight: e.frameHeight || 0,
            totalDecodeTime: e.totalDecodeTime || 0, freezeCount: e.freezeCount || 0, totalFreezesDuration: e.totalFreezesDuration || 0 }
        } else if (e.type === 'outbound-rtp' && e.kind === 'video' && (e.framesEncoded || 0) > 0 && (!s.outVideo || e.framesEncoded > s.outVideo.framesEncoded)) {
          s.outVideo = { framesEncoded: e.framesEncoded, frameWidth: e.frameWidth || 0, frameHeight: e.frameHeight || 0,
            qualityLimitationReason: e.qualityLimitationReason || 'none', totalEncodeTime: e.totalEncodeTime || 0, bytesSent: e.bytesSent || 0 }
        } else if (e.type === 'inbound-rtp' && e.kind === 'audio') {
          s.inAudio = { totalSamplesReceived: e.totalSamplesReceived || 0, concealedSamples: e.concealedSamples || 0, packetsReceived: e.packetsReceived || 0, packetsLost: e.packetsLost || 0 }
        } else if (e.type === 'transport') {
          const pair = byId.get(e.selectedCandidatePairId)
          if (pair && typeof pair.currentRoundTripTime === 'number') s.rttMs = pair.currentRoundTripTime * 1000
        }
      }
      out.push(s)
    }
    return out
  }
})()
`
