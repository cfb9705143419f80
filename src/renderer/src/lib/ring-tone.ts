// An incoming call's ring, made with Web Audio (no sound file to ship or
// license): two soft tones, then a pause, again every RING_EVERY_MS until
// stopped. The window has no sound setting to honour; a muted conversation
// still rings (a call is the one thing one does not want to miss).

/** One ring: two tones of TONE_S each, 3 s apart: the cadence of a phone, not an alarm. */
const RING_EVERY_MS = 3000
const TONE_S = 0.35
const TONES_HZ = [660, 880]
/** Quiet: the window is likely next to the person, and the other side may already be talking. */
const VOLUME = 0.12

/** Starts ringing; the function returned stops it and frees the audio device. */
export function startRingTone(): () => void {
  const Context = globalThis.AudioContext as typeof AudioContext | undefined
  if (!Context) return () => undefined
  const ctx = new Context()
  const ring = (): void => {
    let at = ctx.currentTime + 0.05
    for (const hz of TONES_HZ) {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.frequency.value = hz
      // A short fade in and out: no click at either end.
      gain.gain.setValueAtTime(0, at)
      gain.gain.linearRampToValueAtTime(VOLUME, at + 0.03)
      gain.gain.linearRampToValueAtTime(0, at + TONE_S)
      osc.connect(gain).connect(ctx.destination)
      osc.start(at)
      osc.stop(at + TONE_S)
      at += TONE_S + 0.1
    }
  }
  ring()
  const timer = setInterval(ring, RING_EVERY_MS)
  return () => {
    clearInterval(timer)
    void ctx.close()
  }
}
