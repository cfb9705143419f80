// Turns a stream of stats readings per peer into who is speaking and how good
// each connection is. Pure state kept per peer, fed by CallSession's ticks.
import { classifyQuality, lossBetween, type LossCounters, type Quality } from './quality'
import { nextSpeaking, SILENT, type SpeakingState } from './speaking'
import type { PeerStats } from './stats'

/** Quality is judged over this many ticks (2 s at 4 Hz): loss over a shorter window is mostly noise. */
export const QUALITY_TICKS = 8

export interface PeerMonitor {
  speaking: SpeakingState
  quality: Quality | null
  ticks: number
  lastLoss: LossCounters | null
}

export const NEW_MONITOR: PeerMonitor = { speaking: SILENT, quality: null, ticks: 0, lastLoss: null }

export function nextMonitor(m: PeerMonitor, stats: PeerStats): PeerMonitor {
  const speaking = nextSpeaking(m.speaking, stats.remoteLevel)
  const ticks = m.ticks + 1
  if (ticks % QUALITY_TICKS !== 0) return { ...m, speaking, ticks }
  const quality = classifyQuality({ rttMs: stats.rttMs, loss: lossBetween(m.lastLoss, stats.loss), jitterMs: stats.jitterMs })
  return { speaking, quality: quality ?? m.quality, ticks, lastLoss: { ...stats.loss } }
}
