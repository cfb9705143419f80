// The calls slice with a fake window.messenger and fake media devices (no
// WebRTC in node): what the window shows of calls as the server's events
// come, and how starting, answering and failing calls end up in state.
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import type { Result } from '../../../src/shared/errors'
import type { Call, CallEnded, CallJoined } from '../../../src/shared/schemas/calls'

const ME = 'u-me'
const BOB = 'u-bob'
const PEER_BOB = '22222222-2222-4222-8222-222222222222'

function call(over: Partial<Call> = {}): Call {
  return {
    id: 'c1',
    conversationId: 'conv1',
    startedBy: BOB,
    startedAt: '2026-05-01T10:00:00.000Z',
    media: 'audio',
    answeredAt: null,
    participants: [{ peerId: PEER_BOB, userId: BOB, joinedAt: '2026-05-01T10:00:00.000Z', muted: false, camera: false, screen: false }],
    ringing: [ME],
    ...over
  }
}

const ok = <T>(data: T): Promise<Result<T>> => Promise.resolve({ ok: true, data })

class FakeTrack {
  enabled = true
  stopped = false
  constructor(readonly kind: 'audio' | 'video') {}
  stop(): void {
    this.stopped = true
  }
  addEventListener(): void {}
}

class FakeStream {
  constructor(readonly tracks: FakeTrack[]) {}
  getTracks(): FakeTrack[] {
    return this.tracks
  }
  getAudioTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio')
  }
  getVideoTracks(): FakeTrack[] {
    return this.tracks.filter((t) => t.kind === 'video')
  }
}

function fakeMessenger() {
  return {
    calls: {
      start: vi.fn((_r: { peerId: string; conversationId: string }): Promise<Result<CallJoined>> => ok({ call: call(), iceServers: [] })),
      join: vi.fn((_r: { callId: string; peerId: string }): Promise<Result<CallJoined>> => ok({ call: call(), iceServers: [] })),
      decline: vi.fn(() => ok(null)),
      leave: vi.fn(() => ok(null)),
      media: vi.fn((_r: unknown) => ok(call())),
      signal: vi.fn(() => ok(null)),
      list: vi.fn(() => ok([] as Call[])),
      screenSources: vi.fn(() => ok(null)),
      chooseScreenSource: vi.fn(() => ok(null))
    }
  }
}

let messenger: ReturnType<typeof fakeMessenger>
let tracks: FakeTrack[]
let getUserMedia: Mock<(c: { audio?: unknown; video?: unknown }) => Promise<FakeStream>>

async function store() {
  vi.resetModules()
  const { useStore } = await import('../../../src/renderer/src/store')
  const { selectCallIn, selectIncomingCalls } = await import('../../../src/renderer/src/store/calls')
  useStore.setState({
    session: { status: 'signed_in', account: { id: 'a1', serverUrl: 'http://x', userId: ME, username: 'me', displayName: 'Me' }, me: {} as never, accounts: [] }
  })
  return { s: useStore.getState, selectCallIn, selectIncomingCalls, useStore }
}

beforeEach(() => {
  messenger = fakeMessenger()
  tracks = []
  getUserMedia = vi.fn((c: { audio?: unknown; video?: unknown }) => {
    const made = [new FakeTrack('audio'), ...(c.video ? [new FakeTrack('video')] : [])]
    tracks.push(...made)
    return Promise.resolve(new FakeStream(made))
  })
  vi.stubGlobal('window', { messenger, addEventListener: () => undefined, removeEventListener: () => undefined })
  vi.stubGlobal('navigator', { mediaDevices: { getUserMedia, enumerateDevices: () => Promise.resolve([]) }, languages: ['en'] })
})

afterEach(() => {
  vi.unstubAllGlobals()
})

/** The server answers a start with a call of mine ringing Bob (and echoes media changes with it). */
function serverRingsBob(): Call {
  const mine = call({ startedBy: ME, participants: [], ringing: [BOB] })
  messenger.calls.start.mockImplementation((r) => {
    mine.participants = [{ peerId: r.peerId, userId: ME, joinedAt: '2026-05-01T10:00:00.000Z', muted: false, camera: false, screen: false }]
    return ok({ call: mine, iceServers: [] })
  })
  messenger.calls.media.mockImplementation(() => ok(mine))
  return mine
}

describe('calls in the window', () => {
  it('a call ringing for me is incoming until it ends; the conversation shows it as running', async () => {
    const { s, selectIncomingCalls, selectCallIn } = await store()
    s().applyCalls({ upserted: [call()], ended: [] })
    expect(selectIncomingCalls(s()).map((c) => c.id)).toEqual(['c1'])
    expect(selectCallIn('conv1')(s())?.id).toBe('c1')
    // Answered on another device of mine: no longer ringing here.
    s().applyCalls({ upserted: [call({ ringing: [] })], ended: [] })
    expect(selectIncomingCalls(s())).toEqual([])
    s().applyCalls({ upserted: [], ended: [{ callId: 'c1', conversationId: 'conv1', reason: 'completed', durationMs: 1000 }] })
    expect(selectCallIn('conv1')(s())).toBeUndefined()
    // Not a call of this window: no notice.
    expect(s().ended).toBeNull()
  })

  it('starting a call: ringing with my microphone, then ended as busy; the tracks stop and the notice stays until dismissed', async () => {
    const { s } = await store()
    serverRingsBob()
    expect(await s().startCall('conv1', 'audio')).toBeNull()
    expect(getUserMedia).toHaveBeenCalledWith(expect.objectContaining({ video: false }))
    expect(s().current).toMatchObject({ callId: 'c1', conversationId: 'conv1', phase: 'ringing', media: 'audio', error: null })
    expect(s().current!.local.stream).not.toBeNull()
    expect(messenger.calls.start.mock.calls[0]![0]).toMatchObject({ conversationId: 'conv1', peerId: s().current!.peerId })

    const busy: CallEnded = { callId: 'c1', conversationId: 'conv1', reason: 'busy', durationMs: null }
    s().applyCalls({ upserted: [], ended: [busy] })
    expect(s().current?.phase).toBe('ended')
    expect(s().current?.local.stream).toBeNull()
    expect(s().ended).toEqual(busy)
    expect(tracks.every((t) => t.stopped)).toBe(true)
    expect(messenger.calls.leave).not.toHaveBeenCalled()
    s().dismissEnded()
    expect(s().ended).toBeNull()
    expect(s().current).toBeNull()
  })

  it('an end that overtakes the answer to start still ends the call', async () => {
    const { s } = await store()
    const busy: CallEnded = { callId: 'c1', conversationId: 'conv1', reason: 'busy', durationMs: null }
    messenger.calls.start.mockImplementation((r) => {
      s().applyCalls({ upserted: [], ended: [busy] })
      return ok({ call: call({ participants: [{ peerId: r.peerId, userId: ME, joinedAt: '2026-05-01T10:00:00.000Z', muted: false, camera: false, screen: false }], ringing: [] }), iceServers: [] })
    })
    await s().startCall('conv1', 'audio')
    expect(s().current?.phase).toBe('ended')
    expect(s().ended).toEqual(busy)
    expect(tracks.every((t) => t.stopped)).toBe(true)
  })

  it('a refused microphone is an error code in the call, and nothing is asked of the server', async () => {
    const { s } = await store()
    getUserMedia.mockRejectedValue(Object.assign(new Error('denied'), { name: 'NotAllowedError' }))
    expect(await s().startCall('conv1', 'video')).toBe('media_denied')
    expect(s().current).toMatchObject({ phase: 'ended', error: 'media_denied' })
    expect(messenger.calls.start).not.toHaveBeenCalled()
  })

  it('no camera leaves a video call audio-only; no microphone at all is media_unavailable', async () => {
    const { s } = await store()
    getUserMedia.mockImplementation((c) => {
      if (c.video) return Promise.reject(Object.assign(new Error('none'), { name: 'NotFoundError' }))
      const t = new FakeTrack('audio')
      tracks.push(t)
      return Promise.resolve(new FakeStream([t]))
    })
    expect(await s().startCall('conv1', 'video')).toBeNull()
    expect(s().current).toMatchObject({ media: 'video', error: null, local: { camera: false } })
    await s().leaveCall()

    getUserMedia.mockRejectedValue(Object.assign(new Error('none'), { name: 'NotFoundError' }))
    expect(await s().startCall('conv1', 'audio')).toBe('media_unavailable')
  })

  it('a full call is the server’s code in the call, and the microphone is let go', async () => {
    const { s } = await store()
    s().applyCalls({ upserted: [call()], ended: [] })
    messenger.calls.join.mockResolvedValue({ ok: false, error: { code: 'call_full', message: 'full' } })
    expect(await s().answerCall('c1', { video: false })).toBe('call_full')
    expect(s().current).toMatchObject({ phase: 'ended', error: 'call_full' })
    expect(tracks.every((t) => t.stopped)).toBe(true)
    expect(await s().answerCall('nope', { video: false })).toBe('not_found')
  })

  it('muting disables the track and tells the others; leaving stops everything and tells the server', async () => {
    const { s } = await store()
    s().applyCalls({ upserted: [call()], ended: [] })
    messenger.calls.join.mockImplementation((r) => {
      const me = { peerId: r.peerId, userId: ME, joinedAt: '2026-05-01T10:00:03.000Z', muted: false, camera: false, screen: false }
      return ok({ call: call({ answeredAt: me.joinedAt, ringing: [], participants: [...call().participants, me] }), iceServers: [] })
    })
    let restarts = 0
    // (No RTCPeerConnection in node: the test stops before a peer is connected, with Bob's tile from the server's view.)
    vi.stubGlobal('RTCPeerConnection', class {
      getTransceivers = () => []
      addTransceiver() {}
      getStats = () => Promise.resolve(new Map())
      close() {}
      restartIce() {
        restarts++
      }
    })
    vi.stubGlobal('MediaStream', FakeStream)
    expect(await s().answerCall('c1', { video: false })).toBeNull()
    expect(s().current).toMatchObject({ phase: 'active' })
    expect(Object.keys(s().current!.peers)).toEqual([PEER_BOB])
    expect(s().current!.peers[PEER_BOB]).toMatchObject({ userId: BOB, connection: 'connecting', muted: false })

    await s().toggleMute()
    expect(s().current!.local.muted).toBe(true)
    expect(tracks[0]!.enabled).toBe(false)
    expect(messenger.calls.media).toHaveBeenLastCalledWith(expect.objectContaining({ callId: 'c1', muted: true, camera: false, screen: false }))

    // The socket came back: the same peer takes its place again, and every connection restarts ICE.
    const { peerId: mine } = s().current!
    await s().rejoinCall()
    expect(messenger.calls.join).toHaveBeenLastCalledWith({ callId: 'c1', peerId: mine })
    expect(restarts).toBe(1)

    // Bob leaves: his tile goes.
    s().applyCalls({ upserted: [call({ participants: [], ringing: [] })], ended: [] })
    expect(s().current!.peers).toEqual({})

    const { peerId } = s().current!
    await s().leaveCall()
    expect(s().current).toBeNull()
    expect(messenger.calls.leave).toHaveBeenCalledWith({ callId: 'c1', peerId })
    expect(tracks.every((t) => t.stopped)).toBe(true)
  })

  it('a call that ended while the socket was away ends here on rejoining', async () => {
    const { s } = await store()
    serverRingsBob()
    await s().startCall('conv1', 'audio')
    messenger.calls.join.mockResolvedValue({ ok: false, error: { code: 'not_found', message: 'gone' } })
    await s().rejoinCall()
    expect(s().current).toMatchObject({ phase: 'ended', error: 'not_found' })
    expect(tracks.every((t) => t.stopped)).toBe(true)
  })

  it('switching to another account leaves the call first (the core’s switch ends nothing), and forgets the calls', async () => {
    const { s } = await store()
    serverRingsBob()
    await s().startCall('conv1', 'audio')
    const other = { id: 'a2', serverUrl: 'http://x', userId: 'u-other', username: 'other', displayName: 'Other' }
    const switchAccount = vi.fn(() => ok({ status: 'signed_in' as const, account: other, me: {} as never, accounts: [] }))
    Object.assign(messenger, { session: { switchAccount } })
    await s().switchAccount('a2')
    expect(messenger.calls.leave).toHaveBeenCalledTimes(1)
    expect(messenger.calls.leave.mock.invocationCallOrder[0]).toBeLessThan(switchAccount.mock.invocationCallOrder[0]!)
    expect(s().current).toBeNull()
    expect(s().calls).toEqual({})
    expect(tracks.every((t) => t.stopped)).toBe(true)
  })

  it('Accept on the desktop notification answers the call in the window, with video for a video call, and opens its conversation', async () => {
    const { s, useStore } = await store()
    useStore.setState({ conversations: { conv1: { id: 'conv1' } as never }, threads: { conv1: { atLatest: true } as never } })
    s().applyCalls({ upserted: [call({ media: 'video' })], ended: [] })
    messenger.calls.join.mockResolvedValue({ ok: false, error: { code: 'not_found', message: 'gone' } })
    s().openTarget({ answerCall: 'c1' })
    await vi.waitFor(() => expect(messenger.calls.join).toHaveBeenCalled())
    expect(getUserMedia).toHaveBeenCalledWith(expect.objectContaining({ video: expect.anything() }))
    expect(s().activeId).toBe('conv1')
  })

  it('declining asks the server and answers with its code', async () => {
    const { s } = await store()
    expect(await s().declineCall('c1')).toBeNull()
    expect(messenger.calls.decline).toHaveBeenCalledWith({ callId: 'c1' })
    messenger.calls.decline.mockResolvedValue({ ok: false, error: { code: 'not_found', message: 'gone' } } as never)
    expect(await s().declineCall('c1')).toBe('not_found')
  })

  it('the chosen devices are remembered', async () => {
    const storage = new Map<string, string>()
    vi.stubGlobal('localStorage', { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) })
    const first = await store()
    await first.s().chooseDevice('speaker', 'spk-2')
    await first.s().chooseDevice('microphone', 'mic-9')
    const again = await store()
    expect(again.s().chosenDevices).toEqual({ microphone: 'mic-9', camera: null, speaker: 'spk-2' })
  })
})
