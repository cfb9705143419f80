// Calls in the window: every known call of the shown account, the one this
// window is in (its media, the other participants' tiles), devices, and the
// actions. The WebRTC mesh itself is calls/session.ts; this slice drives it
// and turns what it reports into state. Actions never throw: a failure is an
// error code, returned and put into current.error.
import type { ErrorCode } from '../../../shared/errors'
import type { MessengerEvents, ScreenSource } from '../../../shared/ipc'
import type { Call, CallEnded, CallJoined, CallMedia, CallSignal } from '../../../shared/schemas/calls'
import { loadChosenDevices, NO_DEVICES, openUserMedia, stopStream, type ChosenDevices, type DeviceLists } from '../calls/media'
import { warn } from '../calls/log'
import { CallSession } from '../calls/session'
import type { PeerStats } from '../calls/stats'
import { api } from '../lib/api'
import { callMediaActions } from './call-media'
import { callIn, incomingCalls, newCurrent, peersFrom, phaseOf, withCalls, type CallPeer, type CurrentCall, type LocalMedia, type PeerMedia } from './call-state'
import type { AppState, Slice } from './types'

export type { CallPeer, CallPhase, CurrentCall, LocalMedia } from './call-state'

export interface CallsSlice {
  calls: Record<string, Call>
  current: CurrentCall | null
  ended: CallEnded | null
  devices: DeviceLists
  chosenDevices: ChosenDevices
  screenPicker: ScreenSource[] | null
  startCall(conversationId: string, media: CallMedia): Promise<ErrorCode | null>
  answerCall(callId: string, options: { video: boolean }): Promise<ErrorCode | null>
  declineCall(callId: string): Promise<ErrorCode | null>
  leaveCall(): Promise<void>
  toggleMute(): Promise<ErrorCode | null>
  toggleCamera(): Promise<ErrorCode | null>
  /** Electron: fills screenPicker (the UI's picker then calls chooseScreenSource); a browser asks getDisplayMedia at once. */
  startScreenShare(): Promise<ErrorCode | null>
  chooseScreenSource(sourceId: string | null): Promise<ErrorCode | null>
  stopScreenShare(): Promise<void>
  refreshDevices(): Promise<void>
  chooseDevice(kind: keyof ChosenDevices, deviceId: string): Promise<ErrorCode | null>
  dismissEnded(): void
  // Fed by store/bind.ts:
  applyCalls(event: MessengerEvents['calls']): void
  applyCallSignals(signals: CallSignal[]): void
  /** The calls running or ringing now (at sign-in and after a reconnect). */
  loadCalls(): Promise<void>
  /** After the socket came back: this window takes its place in its call again (same peerId) and restarts ICE. */
  rejoinCall(): Promise<void>
  /** Another account is shown (switchAccount and logout left the call first): the last account's calls are forgotten. */
  resetCalls(): void
  /** The connections' counters, per peer (the e2e hook reads them). */
  callStats(): Promise<Array<{ peerId: string } & PeerStats>>
  /** New ICE credentials on every connection (a network change; the e2e hook uses it). */
  restartCallIce(): void
}

/** Ends of calls remembered for a call whose start is still on its way (its end may overtake the answer). */
const RECENT_ENDED = 20

export const selectIncomingCalls = (s: AppState): Call[] => incomingCalls(s.calls, myUserId(s), s.current)
export const selectCallIn =
  (conversationId: string) =>
  (s: AppState): Call | undefined =>
    callIn(s.calls, conversationId)

function myUserId(s: AppState): string | null {
  return s.session?.status === 'signed_in' ? s.session.account.userId : null
}

function codeOf(err: unknown): ErrorCode {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? (err.code as ErrorCode) : 'internal'
}

export const createCallsSlice: Slice<CallsSlice> = (set, get) => {
  // The running mesh and what the engine knows per peer: objects, not state (state holds what the UI shows).
  let session: CallSession | null = null
  const media = new Map<string, PeerMedia>()
  const recentEnded = new Map<string, CallEnded>()
  /** Bumped whenever this window's call is replaced or left: a start still on its way then knows it is stale. */
  let attempt = 0

  const patchCurrent = (fn: (c: CurrentCall) => Partial<CurrentCall>): void =>
    set((s) => (s.current ? { current: { ...s.current, ...fn(s.current) } } : {}))
  const patchLocal = (patch: Partial<LocalMedia>): void => patchCurrent((c) => ({ local: { ...c.local, ...patch } }))
  const patchPeer = (peerId: string, patch: Partial<CallPeer>): void =>
    patchCurrent((c) => (c.peers[peerId] ? { peers: { ...c.peers, [peerId]: { ...c.peers[peerId], ...patch } } } : {}))

  /** Stops every track and closes every connection; the state keeps what the UI shows of the end. */
  const teardown = (): void => {
    attempt++
    session?.close()
    session = null
    media.clear()
    const c = get().current
    stopStream(c?.local.stream ?? null)
    stopStream(c?.local.screen ?? null)
  }

  const fail = (code: ErrorCode): ErrorCode => {
    teardown()
    patchCurrent((c) => ({ phase: 'ended', error: code, local: { ...c.local, stream: null, screen: null, speaking: false }, peers: {} }))
    return code
  }

  const finish = (ended: CallEnded): void => {
    teardown()
    patchCurrent((c) => ({ phase: 'ended', local: { ...c.local, stream: null, screen: null, speaking: false }, peers: {} }))
    set({ ended })
  }

  const sendMedia = async (): Promise<ErrorCode | null> => {
    const c = get().current
    if (!c?.callId || c.phase === 'ended') return null
    const r = await api().calls.media({ callId: c.callId, peerId: c.peerId, muted: c.local.muted, camera: c.local.camera, screen: c.local.screen !== null })
    if (!r.ok) return r.error.code
    get().applyCalls({ upserted: [r.data], ended: [] })
    return null
  }

  const applyCall = (call: Call): void => {
    const c = get().current
    // (Before the mesh exists, the answer to start or join brings the call as it is then.)
    if (!c || c.callId !== call.id || c.phase === 'ended' || !session) return
    session.sync(call.participants)
    patchCurrent((cur) => ({ phase: phaseOf(call, cur.peerId), peers: peersFrom(call, cur.peerId, cur.peers, (id) => media.get(id)) }))
  }

  /** The server's answer to start or join: the mesh starts (this side offers to everyone already there). */
  const joined = (data: CallJoined, stream: MediaStream): void => {
    const { call } = data
    set((s) => ({ calls: { ...s.calls, [call.id]: call }, current: s.current ? { ...s.current, callId: call.id } : s.current }))
    const endedAlready = recentEnded.get(call.id)
    if (endedAlready) return finish(endedAlready)
    const peerId = get().current!.peerId
    session = new CallSession({
      callId: call.id,
      peerId,
      iceServers: data.iceServers,
      tracks: { audio: stream.getAudioTracks()[0] ?? null, camera: stream.getVideoTracks()[0] ?? null, screen: null },
      events: {
        send: (signal) => void api().calls.signal(signal),
        media: (id, stream, screen) => {
          media.set(id, { stream, screen })
          patchPeer(id, { stream, screen: get().current?.peers[id]?.sharing ? screen : null })
        },
        connection: (id, connection) => patchPeer(id, { connection }),
        speaking: (id, speaking) => (id === peerId ? patchLocal({ speaking }) : patchPeer(id, { speaking })),
        quality: (id, quality) => patchPeer(id, { quality }),
        error: (err) => warn('engine', err)
      }
    })
    applyCall(call)
    void get().refreshDevices()
    void sendMedia()
  }

  /** Media first (a refusal ends nothing on the server), then start or join. */
  const enter = async (conversationId: string, callId: string | null, callMedia: CallMedia, video: boolean): Promise<ErrorCode | null> => {
    if (get().current && get().current!.phase !== 'ended') await get().leaveCall()
    const mine = ++attempt
    const peerId = crypto.randomUUID()
    set({ current: newCurrent(callId, conversationId, peerId, callMedia), ended: null, screenPicker: null })
    const opened = await openUserMedia(video, get().chosenDevices)
    if (mine !== attempt) {
      if (opened.ok) stopStream(opened.value.stream)
      return null
    }
    if (!opened.ok) return fail(opened.code)
    const { stream, camera } = opened.value
    patchLocal({ stream, camera })
    const r = callId ? await api().calls.join({ callId, peerId }) : await api().calls.start({ conversationId, media: callMedia, peerId })
    if (mine !== attempt) {
      // Left while the server answered: that answer put this window in the call, so out again.
      stopStream(stream)
      if (r.ok) void api().calls.leave({ callId: r.data.call.id, peerId })
      return null
    }
    if (!r.ok) return fail(r.error.code)
    joined(r.data, stream)
    return null
  }

  const guard =
    <A extends unknown[]>(fn: (...args: A) => Promise<ErrorCode | null>) =>
    async (...args: A): Promise<ErrorCode | null> => {
      try {
        const code = await fn(...args)
        if (code) patchCurrent(() => ({ error: code }))
        return code
      } catch (err) {
        return fail(codeOf(err))
      }
    }

  return {
    calls: {},
    current: null,
    ended: null,
    devices: NO_DEVICES,
    chosenDevices: loadChosenDevices(),
    screenPicker: null,

    startCall: guard((conversationId: string, callMedia: CallMedia) => enter(conversationId, null, callMedia, callMedia === 'video')),
    answerCall: guard(async (callId: string, options: { video: boolean }) => {
      // Accept on a notification can come before the list of calls did (the account was just shown).
      if (!get().calls[callId]) await get().loadCalls()
      const call = get().calls[callId]
      if (!call) return 'not_found'
      // Answering shows the call (from the ring card or a notification's Accept alike): its conversation opens.
      if (get().conversations[call.conversationId]) get().openConversation(call.conversationId)
      return enter(call.conversationId, callId, options.video ? 'video' : 'audio', options.video)
    }),
    declineCall: guard(async (callId: string) => {
      const r = await api().calls.decline({ callId })
      return r.ok ? null : r.error.code
    }),
    async leaveCall() {
      const c = get().current
      teardown()
      set({ current: null, screenPicker: null })
      if (c?.callId && c.phase !== 'ended') await api().calls.leave({ callId: c.callId, peerId: c.peerId })
    },
    ...callMediaActions({ get, set, session: () => session, patchCurrent, patchLocal, sendMedia, guard }),
    dismissEnded() {
      set((s) => ({ ended: null, current: s.current?.phase === 'ended' ? null : s.current }))
    },

    applyCalls(event) {
      set((s) => ({ calls: withCalls(s.calls, event) }))
      for (const call of event.upserted) applyCall(call)
      for (const e of event.ended) {
        const c = get().current
        if (c && c.callId === e.callId && c.phase !== 'ended') finish(e)
        else {
          recentEnded.set(e.callId, e)
          if (recentEnded.size > RECENT_ENDED) recentEnded.delete(recentEnded.keys().next().value!)
        }
      }
    },
    applyCallSignals(signals) {
      for (const signal of signals) {
        // An offer from someone whose join this window has not heard of yet: a tile until the call's update tells the rest
        // (not for a candidate: a late one from someone who just left would make a ghost).
        const c = get().current
        if (c && c.callId === signal.callId && signal.description?.type === 'offer' && !c.peers[signal.from] && signal.from !== c.peerId) {
          patchCurrent((cur) => ({
            peers: {
              ...cur.peers,
              [signal.from]: { peerId: signal.from, userId: signal.fromUserId, stream: null, screen: null, muted: false, camera: false, sharing: false, connection: 'connecting', quality: null, speaking: false }
            }
          }))
        }
        session?.handleSignal(signal)
      }
    },
    async loadCalls() {
      const r = await api().calls.list()
      if (r.ok) set({ calls: Object.fromEntries(r.data.map((c) => [c.id, c])) })
      for (const call of r.ok ? r.data : []) applyCall(call)
    },
    async rejoinCall() {
      const c = get().current
      if (!c?.callId || c.phase === 'ended' || c.phase === 'starting' || !session) return
      const r = await api().calls.join({ callId: c.callId, peerId: c.peerId })
      if (get().current?.callId !== c.callId) return
      // Gone while this window was away (ended, or its place given up after the grace time).
      if (!r.ok) {
        if (r.error.code !== 'unreachable' && r.error.code !== 'timeout') fail(r.error.code)
        return
      }
      get().applyCalls({ upserted: [r.data.call], ended: [] })
      session?.restartIce()
      void sendMedia()
    },
    resetCalls() {
      // (A switch or sign-out left the call before; this is the end of what the window held, whatever the cause.)
      teardown()
      set({ calls: {}, current: null, ended: null, screenPicker: null })
    },
    async callStats() {
      return session ? session.stats() : []
    },
    restartCallIce() {
      session?.restartIce()
    }
  }
}
