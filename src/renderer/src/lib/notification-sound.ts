// The new-message sound of the browser host, made with Web Audio (no sound
// file to ship or license): one short, soft two-note chime, quieter than the
// call ring (lib/ring-tone.ts). Electron's notifications use the system's.

const NOTES_HZ = [880, 1320]
const NOTE_S = 0.12
const VOLUME = 0.08

let shared: AudioContext | null = null

/** Plays the chime once; quietly nothing where the page has no Web Audio (or the browser holds audio until a click). */
export function playNotificationSound(): void {
  const Context = globalThis.AudioContext as typeof AudioContext | undefined
  if (!Context) return
  // One context for the page: browsers limit how many may be open.
  shared ??= new Context()
  const ctx = shared
  let at = ctx.currentTime + 0.02
  for (const hz of NOTES_HZ) {
    const osc = ctx.createOscillator()
    const gain = ctx.createGain()
    osc.type = 'sine'
    osc.frequency.value = hz
    // A short fade in and out: no click at either end.
    gain.gain.setValueAtTime(0, at)
    gain.gain.linearRampToValueAtTime(VOLUME, at + 0.015)
    gain.gain.linearRampToValueAtTime(0, at + NOTE_S)
    osc.connect(gain).connect(ctx.destination)
    osc.start(at)
    osc.stop(at + NOTE_S)
    at += NOTE_S * 0.8
  }
}
