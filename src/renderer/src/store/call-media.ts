// The calls slice's actions on this window's own media during a call:
// microphone, camera, screen and devices. Each puts a new track (or none) on
// its transceiver in every connection (no renegotiation) and tells the others.
import type { ErrorCode } from '../../../shared/errors'
import { warn } from '../calls/log'
import { listDevices, openScreen, openTrack, saveChosenDevices, stopStream, type ChosenDevices } from '../calls/media'
import type { CallSession } from '../calls/session'
import { api } from '../lib/api'
import type { CurrentCall, LocalMedia } from './call-state'
import type { CallsSlice } from './calls'
import type { AppState } from './types'

export interface CallContext {
  get: () => AppState
  set: (partial: Partial<AppState>) => void
  /** The running mesh, read afresh after every await (the call may have ended meanwhile). */
  session: () => CallSession | null
  patchCurrent: (fn: (c: CurrentCall) => Partial<CurrentCall>) => void
  patchLocal: (patch: Partial<LocalMedia>) => void
  /** Tells the others this window's microphone, camera and screen state. */
  sendMedia: () => Promise<ErrorCode | null>
  /** An action whose code (or thrown error) goes into current.error, never thrown. */
  guard: <A extends unknown[]>(fn: (...args: A) => Promise<ErrorCode | null>) => (...args: A) => Promise<ErrorCode | null>
}

type MediaActions = Pick<
  CallsSlice,
  'toggleMute' | 'toggleCamera' | 'startScreenShare' | 'chooseScreenSource' | 'stopScreenShare' | 'refreshDevices' | 'chooseDevice'
>

export function callMediaActions(ctx: CallContext): MediaActions {
  const { get, set, guard, patchLocal, sendMedia } = ctx
  const stillIn = (c: CurrentCall): CallSession | null => (get().current?.callId === c.callId && get().current?.phase !== 'ended' ? ctx.session() : null)

  const shareScreen = async (): Promise<ErrorCode | null> => {
    const c = get().current
    const opened = await openScreen()
    // Cancelling the browser's own picker is no error.
    if (!opened.ok) return opened.code === 'media_denied' ? null : opened.code
    const track = opened.value.getVideoTracks()[0]
    const session = c ? stillIn(c) : null
    if (!track || !session) {
      stopStream(opened.value)
      return null
    }
    track.contentHint = 'detail'
    // "Stop sharing" in the browser's own bar ends the track.
    track.addEventListener('ended', () => void get().stopScreenShare())
    await session.setTrack('screen', track)
    patchLocal({ screen: opened.value })
    return sendMedia()
  }

  return {
    toggleMute: guard(async () => {
      const c = get().current
      if (!c?.local.stream) return null
      const muted = !c.local.muted
      for (const t of c.local.stream.getAudioTracks()) t.enabled = !muted
      ctx.session()?.setMuted(muted)
      patchLocal({ muted, speaking: muted ? false : c.local.speaking })
      return sendMedia()
    }),
    toggleCamera: guard(async () => {
      const c = get().current
      const session = ctx.session()
      if (!c?.local.stream || !session) return null
      const audio = c.local.stream.getAudioTracks()
      if (c.local.camera) {
        // Stopped, not just disabled: the camera's light goes off.
        for (const t of c.local.stream.getVideoTracks()) t.stop()
        await session.setTrack('camera', null)
        patchLocal({ camera: false, stream: new MediaStream(audio) })
        return sendMedia()
      }
      const opened = await openTrack('video', get().chosenDevices.camera)
      if (!opened.ok) return opened.code
      const now = stillIn(c)
      if (!now) {
        opened.value.stop()
        return null
      }
      await now.setTrack('camera', opened.value)
      patchLocal({ camera: true, stream: new MediaStream([...audio, opened.value]) })
      return sendMedia()
    }),
    startScreenShare: guard(async () => {
      const c = get().current
      if (!c || c.phase === 'ended') return null
      const sources = await api().calls.screenSources()
      if (!sources.ok) return sources.error.code
      if (sources.data) {
        set({ screenPicker: sources.data })
        return null
      }
      return shareScreen()
    }),
    chooseScreenSource: guard(async (sourceId: string | null) => {
      set({ screenPicker: null })
      const r = await api().calls.chooseScreenSource({ sourceId })
      if (!r.ok) return r.error.code
      return sourceId ? shareScreen() : null
    }),
    async stopScreenShare() {
      const screen = get().current?.local.screen
      if (!screen) return
      stopStream(screen)
      await ctx.session()?.setTrack('screen', null)
      patchLocal({ screen: null })
      const code = await sendMedia()
      if (code) ctx.patchCurrent(() => ({ error: code }))
    },
    async refreshDevices() {
      try {
        set({ devices: await listDevices() })
      } catch (err) {
        warn('devices', err)
      }
    },
    chooseDevice: guard(async (kind: keyof ChosenDevices, deviceId: string) => {
      const chosenDevices = { ...get().chosenDevices, [kind]: deviceId }
      set({ chosenDevices })
      saveChosenDevices(chosenDevices)
      const c = get().current
      // The speaker is the UI's (setSinkId on its elements); a camera that is off takes the choice when turned on.
      if (!c?.local.stream || !ctx.session() || kind === 'speaker' || (kind === 'camera' && !c.local.camera)) return null
      const slot = kind === 'microphone' ? 'audio' : 'camera'
      const opened = await openTrack(slot === 'audio' ? 'audio' : 'video', deviceId)
      if (!opened.ok) return opened.code
      const track = opened.value
      const session = stillIn(c)
      const stream = get().current?.local.stream
      if (!session || !stream) {
        track.stop()
        return null
      }
      if (slot === 'audio') track.enabled = !get().current!.local.muted
      await session.setTrack(slot, track)
      const old = slot === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks()
      const kept = slot === 'audio' ? stream.getVideoTracks() : stream.getAudioTracks()
      for (const t of old) t.stop()
      patchLocal({ stream: new MediaStream([...kept, track]) })
      return null
    })
  }
}
