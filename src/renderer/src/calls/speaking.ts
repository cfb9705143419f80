// Who is speaking, from audio levels sampled a few times a second (getStats'
// audioLevel, 0..1 linear). Speaking starts on the smoothed level and ends
// after a hang time of quiet samples, so the outline around a tile does not
// flicker between words nor linger long after the last one. Pure, tested in node.

/** Samples per second the engine reads levels at (every 250 ms). */
export const LEVEL_HZ = 4
/** Smoothing of the level (exponential moving average weight of the newest sample). */
export const ALPHA = 0.5
/** Speaking starts above this smoothed level (about -30 dBov: a voice at a normal distance, not room noise). */
export const ON_LEVEL = 0.03
/** And stops once the level has stayed below this one (about -40 dBov) for HOLD samples. */
export const OFF_LEVEL = 0.01
/** 3 samples at 4 Hz: 750 ms of quiet ends it (pauses between words are shorter). */
export const HOLD = 3

export interface SpeakingState {
  level: number
  speaking: boolean
  /** Consecutive quiet samples while speaking. */
  quiet: number
}

export const SILENT: SpeakingState = { level: 0, speaking: false, quiet: 0 }

export function nextSpeaking(state: SpeakingState, sample: number | null): SpeakingState {
  const raw = sample === null || !Number.isFinite(sample) ? 0 : Math.min(1, Math.max(0, sample))
  const level = state.level + ALPHA * (raw - state.level)
  if (!state.speaking) return { level, speaking: level >= ON_LEVEL, quiet: 0 }
  const quiet = raw < OFF_LEVEL ? state.quiet + 1 : 0
  // Ended: the smoothed level starts again from the quiet, so its tail does not restart it at once.
  return quiet < HOLD ? { level, speaking: true, quiet } : { level: raw, speaking: false, quiet: 0 }
}
