// The window's own microphone, camera and screen: getUserMedia and
// getDisplayMedia with the chosen devices, their failures as error codes, and
// playing a stream on the chosen speaker.
import type { ErrorCode } from '../../../shared/errors'

export interface ChosenDevices {
  microphone: string | null
  camera: string | null
  speaker: string | null
}

export type MediaResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode }

// 640×360 at 24 fps: in a mesh each connection encodes its own copy of the
// camera, so with 7 others this is 7 encoders; 360p keeps a group of 8 within
// one laptop core's worth and a tile is rarely shown bigger than that.
const CAMERA: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24, max: 30 } }

export function audioConstraints(deviceId: string | null): MediaTrackConstraints {
  return { echoCancellation: true, noiseSuppression: true, autoGainControl: true, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) }
}

export function cameraConstraints(deviceId: string | null): MediaTrackConstraints {
  return { ...CAMERA, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) }
}

/** A getUserMedia/getDisplayMedia failure as the code the window shows words for. */
export function mediaErrorCode(err: unknown): ErrorCode {
  const name = typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : ''
  // Denied by the user or by the host's permission handler.
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'media_denied'
  // No such device, or it is in use by another program (NotReadableError), or gone.
  return 'media_unavailable'
}

function mediaDevices(): MediaDevices | null {
  return typeof navigator !== 'undefined' && navigator.mediaDevices ? navigator.mediaDevices : null
}

/** Microphone, and the camera too when asked; a missing camera leaves a call audio-only rather than failing it. */
export async function openUserMedia(video: boolean, chosen: ChosenDevices): Promise<MediaResult<{ stream: MediaStream; camera: boolean }>> {
  const devices = mediaDevices()
  if (!devices) return { ok: false, code: 'media_unavailable' }
  try {
    const stream = await devices.getUserMedia({ audio: audioConstraints(chosen.microphone), video: video ? cameraConstraints(chosen.camera) : false })
    return { ok: true, value: { stream, camera: video } }
  } catch (err) {
    if (!video || mediaErrorCode(err) === 'media_denied') return { ok: false, code: mediaErrorCode(err) }
  }
  const audio = await openUserMedia(false, chosen)
  return audio.ok ? { ok: true, value: { stream: audio.value.stream, camera: false } } : audio
}

/** One new track of a kind (a camera turned on again, another device chosen). */
export async function openTrack(kind: 'audio' | 'video', deviceId: string | null): Promise<MediaResult<MediaStreamTrack>> {
  const devices = mediaDevices()
  if (!devices) return { ok: false, code: 'media_unavailable' }
  try {
    const stream = await devices.getUserMedia(kind === 'audio' ? { audio: audioConstraints(deviceId) } : { video: cameraConstraints(deviceId) })
    const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0]
    return track ? { ok: true, value: track } : { ok: false, code: 'media_unavailable' }
  } catch (err) {
    return { ok: false, code: mediaErrorCode(err) }
  }
}

/** The screen: in Electron the source chosen in the app's picker (main hands it to this request), in a browser its own picker. */
export async function openScreen(): Promise<MediaResult<MediaStream>> {
  const devices = mediaDevices()
  if (!devices?.getDisplayMedia) return { ok: false, code: 'media_unavailable' }
  try {
    return { ok: true, value: await devices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false }) }
  } catch (err) {
    return { ok: false, code: mediaErrorCode(err) }
  }
}

export interface DeviceLists {
  microphones: MediaDeviceInfo[]
  cameras: MediaDeviceInfo[]
  speakers: MediaDeviceInfo[]
}

export const NO_DEVICES: DeviceLists = { microphones: [], cameras: [], speakers: [] }

export async function listDevices(): Promise<DeviceLists> {
  const devices = mediaDevices()
  if (!devices) return NO_DEVICES
  const all = await devices.enumerateDevices()
  return {
    microphones: all.filter((d) => d.kind === 'audioinput'),
    cameras: all.filter((d) => d.kind === 'videoinput'),
    speakers: all.filter((d) => d.kind === 'audiooutput')
  }
}

const CHOSEN_KEY = 'messenger.callDevices'
export const NO_CHOICE: ChosenDevices = { microphone: null, camera: null, speaker: null }

export function loadChosenDevices(storage: Pick<Storage, 'getItem'> | null = globalThis.localStorage ?? null): ChosenDevices {
  try {
    const kept = JSON.parse(storage?.getItem(CHOSEN_KEY) ?? 'null') as Partial<Record<keyof ChosenDevices, unknown>> | null
    const pick = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null)
    return kept ? { microphone: pick(kept.microphone), camera: pick(kept.camera), speaker: pick(kept.speaker) } : NO_CHOICE
  } catch {
    // A value this version cannot read is no choice at all.
    return NO_CHOICE
  }
}

export function saveChosenDevices(chosen: ChosenDevices, storage: Pick<Storage, 'setItem'> | null = globalThis.localStorage ?? null): void {
  storage?.setItem(CHOSEN_KEY, JSON.stringify(chosen))
}

export function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop()
}

/**
 * Plays a stream in a <video> or <audio> element on the chosen speaker
 * (setSinkId, where the browser has it). Resolves false when the speaker
 * could not be used: the element then plays on the default output.
 */
export async function attachStream(el: HTMLMediaElement, stream: MediaStream | null, sinkId: string | null): Promise<boolean> {
  if (el.srcObject !== stream) el.srcObject = stream
  const sink = el as HTMLMediaElement & { setSinkId?: (id: string) => Promise<void>; sinkId?: string }
  if (!sink.setSinkId || (sink.sinkId ?? '') === (sinkId ?? '')) return true
  try {
    await sink.setSinkId(sinkId ?? '')
    return true
  } catch {
    // The device went away or is not allowed: stay on the default output.
    return false
  }
}
