// Ringing calls as desktop notifications: Accept and Decline where the OS has
// actions, a click answers elsewhere, and the notification closes once the
// call stops ringing for this user.
import { EventEmitter } from 'node:events'
import { expect, test } from 'vitest'
import type { CallRing } from '../../../src/main/core/calls'
import { CallRinger } from '../../../src/main/electron/call-ringer'
import { DEFAULT_NOTIFICATION_PREFS } from '../../../src/shared/schemas/notification-prefs'
import { DesktopState } from '../../../src/main/core/notify/desktop-state'
import type { AccountSummary, MessengerEvent } from '../../../src/shared/ipc'
import type { Call } from '../../../src/shared/schemas/calls'

class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = []
  closed = false
  static isSupported(): boolean {
    return true
  }
  constructor(readonly options: { title?: string; body?: string; actions?: unknown[] }) {
    super()
  }
  show(): void {
    FakeNotification.shown.push(this)
  }
  close(): void {
    this.closed = true
    this.emit('close')
  }
}

const user = (id: string, displayName: string) => ({ id, username: id, displayName, statusText: '', avatar: null })
const front: AccountSummary = { id: 'a-front', serverUrl: 'http://10.0.0.1:7450', userId: 'u-me', username: 'me', displayName: 'Me', serverName: 'Front office' }
const branch: AccountSummary = { id: 'a-branch', serverUrl: 'http://10.0.0.2:7450', userId: 'u-me2', username: 'me', displayName: 'Me', serverName: 'Branch office' }
const direct = { id: 'c-bob', kind: 'direct', title: null, members: [{ user: user('u-bob', 'Bob'), role: 'member', joinedAt: '' }] } as never
const team = { id: 'c-team', kind: 'group', title: 'Team', members: [{ user: user('u-bob', 'Bob'), role: 'member', joinedAt: '' }] } as never

const call = (id: string, conversationId: string, media: 'audio' | 'video' = 'audio'): Call => ({
  id,
  conversationId,
  startedBy: 'u-bob',
  startedAt: '2026-12-07T10:00:00.000Z',
  media,
  answeredAt: null,
  participants: [],
  ringing: ['u-me']
})
const ring = (c: Call, ringing = true, accountId = 'a-front', conversation: unknown = direct, muted = false): CallRing =>
  ({ accountId, call: c, conversation, muted, ringing }) as CallRing

function setup(options: { platform?: NodeJS.Platform; focused?: boolean; accounts?: AccountSummary[]; dnd?: boolean } = {}) {
  FakeNotification.shown = []
  const state = new DesktopState()
  const me = { ...user('u-me', 'Me'), createdAt: '', hideLastSeen: false, contactsOnlyDirect: false }
  state.apply([{ type: 'session', payload: { status: 'signed_in', account: front, me, accounts: options.accounts ?? [front] } }] as MessengerEvent[])
  const accepted: string[] = []
  const declined: string[] = []
  const ringer = new CallRinger({
    Notification: FakeNotification,
    platform: options.platform ?? 'darwin',
    state,
    // The ringing account's server-kept do-not-disturb (until an hour after the ring).
    notificationPrefs: () => ({ ...DEFAULT_NOTIFICATION_PREFS, dndUntil: options.dnd ? '2026-12-07T11:00:00.000Z' : null }),
    now: () => Date.parse('2026-12-07T10:00:05.000Z'),
    windowFocused: () => options.focused ?? false,
    accept: (accountId, callId) => accepted.push(`${accountId}/${callId}`),
    decline: (accountId, callId) => declined.push(`${accountId}/${callId}`)
  })
  return { ringer, accepted, declined }
}

test('a ringing direct call shows Accept and Decline; Decline declines it and the notification is done', () => {
  const { ringer, accepted, declined } = setup()
  ringer.handle(ring(call('k1', 'c-bob', 'video')))
  ringer.handle(ring(call('k1', 'c-bob', 'video'))) // the same ring again (an update): one notification
  expect(FakeNotification.shown.map((n) => n.options)).toEqual([
    expect.objectContaining({ title: 'Bob', body: 'Incoming video call', actions: [{ type: 'button', text: 'Accept' }, { type: 'button', text: 'Decline' }] })
  ])
  FakeNotification.shown[0]!.emit('action', { actionIndex: 1 }, 1)
  expect(declined).toEqual(['a-front/k1'])
  expect(accepted).toEqual([])
})

test('Accept, or a click, answers: the host shows the window and the window joins', () => {
  const { ringer, accepted } = setup({ platform: 'win32' })
  ringer.handle(ring(call('k1', 'c-bob')))
  FakeNotification.shown[0]!.emit('action', { actionIndex: 0 })
  ringer.handle(ring(call('k2', 'c-team'), true, 'a-front', team))
  expect(FakeNotification.shown[1]!.options).toMatchObject({ title: 'Team', body: 'Bob started a call' })
  FakeNotification.shown[1]!.emit('click')
  expect(accepted).toEqual(['a-front/k1', 'a-front/k2'])
})

test('on Linux (no notification actions) there are no buttons, and a click answers', () => {
  const { ringer, accepted } = setup({ platform: 'linux' })
  ringer.handle(ring(call('k1', 'c-bob')))
  expect(FakeNotification.shown[0]!.options.actions).toBeUndefined()
  FakeNotification.shown[0]!.emit('click')
  expect(accepted).toEqual(['a-front/k1'])
})

test('the notification closes when the call stops ringing here (answered elsewhere, declined, ended), and then does nothing', () => {
  const { ringer, accepted } = setup()
  ringer.handle(ring(call('k1', 'c-bob')))
  const n = FakeNotification.shown[0]!
  ringer.handle(ring({ ...call('k1', 'c-bob'), ringing: [] }, false))
  expect(n.closed).toBe(true)
  n.emit('click')
  expect(accepted).toEqual([])
  // It may ring again later (a new call): a new notification.
  ringer.handle(ring(call('k3', 'c-bob')))
  expect(FakeNotification.shown).toHaveLength(2)
})

test('another signed-in account’s call rings too, naming the account, even with the window focused', () => {
  const { ringer, accepted } = setup({ focused: true, accounts: [front, branch] })
  ringer.handle(ring(call('k1', 'c-bob'), true, 'a-branch'))
  expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Bob · Branch office'])
  FakeNotification.shown[0]!.emit('action', { actionIndex: 0 })
  expect(accepted).toEqual(['a-branch/k1'])
})

test('quiet: do not disturb, a muted conversation, or the shown account’s call while the window is focused (its ring card shows)', () => {
  setup({ dnd: true }).ringer.handle(ring(call('k1', 'c-bob')))
  expect(FakeNotification.shown).toHaveLength(0)
  setup().ringer.handle(ring(call('k1', 'c-bob'), true, 'a-front', direct, true))
  expect(FakeNotification.shown).toHaveLength(0)
  setup({ focused: true }).ringer.handle(ring(call('k1', 'c-bob')))
  expect(FakeNotification.shown).toHaveLength(0)
})
