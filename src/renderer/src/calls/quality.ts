// Connection quality of one peer from what getStats() measured over the last
// window (a couple of seconds): the worst of round-trip time, packet loss and
// jitter decides. Pure, tested in node.

export type Quality = 'good' | 'fair' | 'poor'

export interface QualitySample {
  /** Round-trip time of the connection's selected candidate pair, ms; null before one is measured. */
  rttMs: number | null
  /** Packets lost / packets expected, over the window (0..1); null when nothing was expected. */
  loss: number | null
  /** Inbound audio jitter, ms; null without inbound audio. */
  jitterMs: number | null
}

// Why these numbers: one LAN hop is a few ms. Past 300 ms round trip people
// start to talk over each other (ITU-T G.114 puts 150 ms one way as the limit
// of "transparent" speech), past 600 ms a conversation breaks down. Opus and
// VP8 conceal up to ~2 % loss without it being heard or seen; past 8 % speech
// is choppy and video freezes. The jitter buffer absorbs 30 ms without adding
// noticeable delay; past 80 ms it drops or stretches audio.
export const RTT_MS = { fair: 300, poor: 600 }
export const LOSS = { fair: 0.02, poor: 0.08 }
export const JITTER_MS = { fair: 30, poor: 80 }

const rank: Record<Quality, number> = { good: 0, fair: 1, poor: 2 }

function grade(value: number | null, limits: { fair: number; poor: number }): Quality | null {
  if (value === null || !Number.isFinite(value)) return null
  return value >= limits.poor ? 'poor' : value >= limits.fair ? 'fair' : 'good'
}

/** The worst grade of the three; null while nothing has been measured. */
export function classifyQuality(sample: QualitySample): Quality | null {
  const grades = [grade(sample.rttMs, RTT_MS), grade(sample.loss, LOSS), grade(sample.jitterMs, JITTER_MS)].filter((g): g is Quality => g !== null)
  if (grades.length === 0) return null
  return grades.reduce((worst, g) => (rank[g] > rank[worst] ? g : worst))
}

/** Counters of inbound RTP, summed over a connection's streams. */
export interface LossCounters {
  received: number
  lost: number
}

/** Loss between two readings of the cumulative counters (null when no packet was expected since). */
export function lossBetween(before: LossCounters | null, now: LossCounters): number | null {
  const received = now.received - (before?.received ?? 0)
  // packetsLost can go down (duplicates, late packets): never below nothing lost.
  const lost = Math.max(0, now.lost - (before?.lost ?? 0))
  const expected = received + lost
  return expected > 0 ? lost / expected : null
}
