// The call engine's pure parts: connection quality from round trip, loss and
// jitter; who is speaking from sampled levels; what getStats() reports per
// transceiver; and who offers first on each connection of the mesh.
import { describe, expect, it } from 'vitest'
import { nextMonitor, NEW_MONITOR, QUALITY_TICKS, type PeerMonitor } from '../../../src/renderer/src/calls/monitor'
import { classifyQuality, lossBetween } from '../../../src/renderer/src/calls/quality'
import { offersFirst } from '../../../src/renderer/src/calls/roles'
import { HOLD, nextSpeaking, SILENT, type SpeakingState } from '../../../src/renderer/src/calls/speaking'
import { readStats, type PeerStats } from '../../../src/renderer/src/calls/stats'

describe('connection quality', () => {
  it('is good on a LAN, and the worst of round trip, loss and jitter decides', () => {
    expect(classifyQuality({ rttMs: 1, loss: 0, jitterMs: 2 })).toBe('good')
    expect(classifyQuality({ rttMs: 350, loss: 0, jitterMs: 2 })).toBe('fair')
    expect(classifyQuality({ rttMs: 1, loss: 0.03, jitterMs: 2 })).toBe('fair')
    expect(classifyQuality({ rttMs: 1, loss: 0, jitterMs: 40 })).toBe('fair')
    expect(classifyQuality({ rttMs: 700, loss: 0, jitterMs: 2 })).toBe('poor')
    expect(classifyQuality({ rttMs: 350, loss: 0.1, jitterMs: 2 })).toBe('poor')
    expect(classifyQuality({ rttMs: 1, loss: 0, jitterMs: 100 })).toBe('poor')
  })

  it('is unknown until something was measured, and judged on what was', () => {
    expect(classifyQuality({ rttMs: null, loss: null, jitterMs: null })).toBeNull()
    expect(classifyQuality({ rttMs: null, loss: 0.09, jitterMs: null })).toBe('poor')
  })

  it('counts loss over the window between two readings, never below none', () => {
    expect(lossBetween(null, { received: 90, lost: 10 })).toBeCloseTo(0.1)
    expect(lossBetween({ received: 90, lost: 10 }, { received: 190, lost: 10 })).toBe(0)
    expect(lossBetween({ received: 100, lost: 10 }, { received: 198, lost: 12 })).toBeCloseTo(0.02)
    // Late packets lower packetsLost: counted as no loss, not as negative.
    expect(lossBetween({ received: 100, lost: 10 }, { received: 200, lost: 8 })).toBe(0)
    expect(lossBetween({ received: 100, lost: 10 }, { received: 100, lost: 10 })).toBeNull()
  })
})

describe('who is speaking', () => {
  const feed = (levels: Array<number | null>, from: SpeakingState = SILENT): boolean[] => {
    const out: boolean[] = []
    let s = from
    for (const level of levels) out.push((s = nextSpeaking(s, level)).speaking)
    return out
  }

  it('starts with a voice, not with room noise', () => {
    expect(feed([0.005, 0.008, 0.006, 0.007])).toEqual([false, false, false, false])
    expect(feed([0.2, 0.2])).toEqual([true, true])
  })

  it('stays on through a short pause between words, and ends after a longer quiet', () => {
    const talking = [0.2, 0.2, 0.2]
    const pause = [0, 0]
    const quiet = new Array<number>(HOLD + 1).fill(0)
    const out = feed([...talking, ...pause, 0.2, 0.2, ...quiet])
    expect(out.slice(0, 7).every(Boolean)).toBe(true)
    // It ends with the HOLDth quiet sample, not at the first one.
    expect(out.slice(7)).toEqual([...new Array<boolean>(HOLD - 1).fill(true), false, false])
  })

  it('treats a missing level as silence', () => {
    expect(feed([0.3, null, null, null, null, null, null]).at(-1)).toBe(false)
  })
})

const stat = (e: Record<string, unknown>): Record<string, unknown> => e

describe('what getStats() says of a connection', () => {
  const mids = { audio: '0', camera: '1', screen: '2', screenTrack: 'screen-track' }
  const report = [
    stat({ id: 'IA', type: 'inbound-rtp', kind: 'audio', mid: '0', packetsReceived: 500, packetsLost: 5, jitter: 0.004, audioLevel: 0.25 }),
    stat({ id: 'IV', type: 'inbound-rtp', kind: 'video', mid: '1', packetsReceived: 900, packetsLost: 0, framesDecoded: 300 }),
    stat({ id: 'IS', type: 'inbound-rtp', kind: 'video', mid: '2', packetsReceived: 120, packetsLost: 0, framesDecoded: 40 }),
    stat({ id: 'OA', type: 'outbound-rtp', kind: 'audio', mid: '0', packetsSent: 480 }),
    stat({ id: 'OV', type: 'outbound-rtp', kind: 'video', mid: '1', packetsSent: 880 }),
    stat({ id: 'OS', type: 'outbound-rtp', kind: 'video', mid: '2', packetsSent: 50, framesEncoded: 12 }),
    stat({ id: 'MS', type: 'media-source', kind: 'audio', audioLevel: 0.1 }),
    stat({ id: 'CP', type: 'candidate-pair', state: 'succeeded', currentRoundTripTime: 0.002 }),
    stat({ id: 'T', type: 'transport', selectedCandidatePairId: 'CP', iceLocalUsernameFragment: 'abcd' })
  ]

  it('tells the camera from the screen by the transceiver, and reads round trip, jitter and levels', () => {
    const s = readStats(report, mids)
    expect(s).toMatchObject({
      inboundAudioPackets: 500,
      inboundVideoPackets: 900,
      inboundScreenFrames: 40,
      outboundAudioPackets: 480,
      outboundVideoPackets: 880,
      outboundScreenFrames: 12,
      rttMs: 2,
      jitterMs: 4,
      remoteLevel: 0.25,
      localLevel: 0.1,
      localUfrag: 'abcd',
      loss: { received: 1520, lost: 5 }
    })
  })

  it('knows the screen by its track when the stats lack a mid', () => {
    const noMid = report.map((e) => (e['id'] === 'IS' ? { ...e, mid: undefined, trackIdentifier: 'screen-track' } : e))
    expect(readStats(noMid, mids).inboundScreenFrames).toBe(40)
  })

  it('is all zero before anything flowed', () => {
    expect(readStats([], { audio: null, camera: null, screen: null, screenTrack: null })).toMatchObject({ inboundAudioPackets: 0, rttMs: null, remoteLevel: null })
  })
})

describe('measuring a peer over time', () => {
  const reading = (received: number, lost: number, level: number): PeerStats =>
    ({ ...readStats([], { audio: null, camera: null, screen: null, screenTrack: null }), rttMs: 2, jitterMs: 3, remoteLevel: level, loss: { received, lost } })

  it('judges quality once per window, on the loss within that window', () => {
    let m: PeerMonitor = NEW_MONITOR
    for (let i = 1; i < QUALITY_TICKS; i++) m = nextMonitor(m, reading(i * 50, 0, 0))
    expect(m.quality).toBeNull()
    m = nextMonitor(m, reading(400, 0, 0))
    expect(m.quality).toBe('good')
    // 40 lost of the next 400: 10 %, poor.
    for (let i = 1; i <= QUALITY_TICKS; i++) m = nextMonitor(m, reading(400 + i * 45, i * 5, 0))
    expect(m.quality).toBe('poor')
  })
})

describe('who offers first', () => {
  const a = { peerId: '11111111-1111-4111-8111-111111111111', joinedAt: '2026-05-01T10:00:00.000Z' }
  const b = { peerId: '22222222-2222-4222-8222-222222222222', joinedAt: '2026-05-01T10:00:05.000Z' }

  it('the later joiner offers, and exactly one side of each pair does', () => {
    expect(offersFirst(b, a)).toBe(true)
    expect(offersFirst(a, b)).toBe(false)
    const same = { ...a, joinedAt: b.joinedAt }
    expect(offersFirst(same, b) !== offersFirst(b, same)).toBe(true)
  })
})
