import { EventEmitter } from 'node:events'
import { expect, test } from 'vitest'
import type { MessengerEvent } from '../../../src/shared/ipc'
import { DesktopPrefs } from '../../../src/main/electron/desktop-prefs'
import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../../src/shared/schemas/notification-prefs'
import { DesktopState } from '../../../src/main/core/notify/desktop-state'
import { Notifier } from '../../../src/main/electron/notifier'

const NOW = Date.parse('2026-12-02T10:00:00Z')

class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = []
  static supported = true
  static isSupported(): boolean {
    return FakeNotification.supported
  }
  constructor(readonly options: { title?: string; body?: string; silent?: boolean }) {
    super()
  }
  show(): void {
    FakeNotification.shown.push(this)
  }
}

const user = (id: string, displayName: string) => ({ id, username: id, displayName, statusText: '', avatar: null })

function signedIn(): MessengerEvent[] {
  const me = { ...user('u-me', 'Me'), createdAt: '', hideLastSeen: false, contactsOnlyDirect: false }
  const account = { id: 'a', serverUrl: 'http://x', userId: 'u-me', username: 'me', displayName: 'Me' }
  const c = { id: 'c1', kind: 'direct', title: null, description: '', avatar: null, createdAt: '', createdBy: 'u-me', members: [{ user: user('u-alice', 'Alice'), role: 'member', joinedAt: '' }], lastSeq: 0, version: 0, lastMessage: null, readSeq: 0, clearedSeq: 0, unreadCount: 2 }
  return [
    { type: 'session', payload: { status: 'signed_in', account, me, accounts: [account] } },
    { type: 'conversations', payload: { upserted: [c as never], removed: [] } },
    { type: 'muted', payload: [] }
  ] as MessengerEvent[]
}

const newMessage = (seq: number, over: Record<string, unknown> = {}): MessengerEvent => ({
  type: 'messages',
  payload: { conversationId: 'c1', upserted: [{ id: `m${seq}`, clientId: `x${seq}`, conversationId: 'c1', seq, kind: 'text', senderId: 'u-alice', text: `hi ${seq}`, createdAt: new Date(NOW).toISOString(), ...over }] }
})
const LATER = new Date(NOW + 3600_000).toISOString()

test('core events in, one notification per new message out; a click opens its conversation', () => {
  FakeNotification.shown = []
  const state = new DesktopState()
  const clicked: unknown[] = []
  let prefs: NotificationPrefs = DEFAULT_NOTIFICATION_PREFS
  const notifier = new Notifier({
    Notification: FakeNotification,
    state,
    prefs: () => DesktopPrefs.parse({}),
    notificationPrefs: () => prefs,
    windowFocused: () => false,
    onClick: (target) => clicked.push(target),
    now: () => NOW
  })
  const feed = (batch: MessengerEvent[]) => {
    expect(state.apply(batch)).toBeDefined()
    notifier.handle(batch)
  }
  feed(signedIn())
  feed([newMessage(1)])
  expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'Alice', body: 'hi 1', silent: false }])
  FakeNotification.shown[0]!.emit('click')
  expect(clicked).toEqual([{ conversationId: 'c1' }])

  feed([newMessage(1)]) // the same message again (an edit): nothing
  prefs = { ...DEFAULT_NOTIFICATION_PREFS, dndUntil: LATER }
  feed([newMessage(2, { mentions: ['u-me'] })])
  prefs = { ...DEFAULT_NOTIFICATION_PREFS, conversations: { c1: { mutedUntil: LATER } } }
  feed([newMessage(3, { mentions: ['u-me'] })])
  prefs = { ...DEFAULT_NOTIFICATION_PREFS, level: 'none' }
  feed([newMessage(4)])
  expect(FakeNotification.shown).toHaveLength(1)
  // Sound off: the notification shows, silently.
  prefs = { ...DEFAULT_NOTIFICATION_PREFS, sound: false }
  feed([newMessage(5)])
  expect(FakeNotification.shown.map((n) => n.options)).toEqual([expect.anything(), { title: 'Alice', body: 'hi 5', silent: true }])
})

test('a reply only in its thread notifies once the thread is followed', () => {
  FakeNotification.shown = []
  const state = new DesktopState()
  const notifier = new Notifier({
    Notification: FakeNotification,
    state,
    prefs: () => DesktopPrefs.parse({}),
    notificationPrefs: () => DEFAULT_NOTIFICATION_PREFS,
    windowFocused: () => false,
    onClick: () => undefined,
    now: () => NOW
  })
  const feed = (batch: MessengerEvent[]) => {
    state.apply(batch)
    notifier.handle(batch)
  }
  feed(signedIn())
  feed([newMessage(2, { threadRoot: 1 })])
  expect(FakeNotification.shown).toHaveLength(0)
  const root = { id: 'm1', clientId: 'x1', conversationId: 'c1', seq: 1, kind: 'text', senderId: 'u-me', text: 'root', createdAt: '' }
  feed([{ type: 'followedThreads', payload: { upserted: [{ conversationId: 'c1', rootSeq: 1, root, readSeq: 0, unreadCount: 1, mentionCount: 0, lastReplyAt: null }], removed: [] } } as MessengerEvent])
  feed([newMessage(3, { threadRoot: 1 })])
  expect(FakeNotification.shown.map((n) => n.options.body)).toEqual(['hi 3'])
})

test('an invitation to me is announced once; a click opens the contacts', () => {
  FakeNotification.shown = []
  const state = new DesktopState()
  const clicked: unknown[] = []
  let prefs: NotificationPrefs = { ...DEFAULT_NOTIFICATION_PREFS, dndUntil: '2099-01-01T00:00:00.000Z' }
  const notifier = new Notifier({
    Notification: FakeNotification,
    state,
    prefs: () => DesktopPrefs.parse({}),
    notificationPrefs: () => prefs,
    windowFocused: () => false,
    onClick: (target) => clicked.push(target)
  })
  state.apply(signedIn())
  const person = (id: string, name: string) => ({ ...user(id, name), createdAt: '' })
  const invitation = { id: 'i1', from: person('u-alice', 'Alice'), to: person('u-me', 'Me'), message: null, status: 'pending' as const, createdAt: '', respondedAt: null }
  const batch: MessengerEvent[] = [{ type: 'invitation', payload: { invitation } }]
  notifier.handle([{ type: 'invitation', payload: { invitation: { ...invitation, id: 'i0' } } }]) // held by do-not-disturb
  prefs = DEFAULT_NOTIFICATION_PREFS
  notifier.handle(batch)
  notifier.handle(batch)
  notifier.handle([{ type: 'invitation', payload: { invitation: { ...invitation, status: 'declined' } } }])
  expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'Contact invitation', body: 'Alice invited you to their contacts.' }])
  FakeNotification.shown[0]!.emit('click')
  expect(clicked).toEqual([{ contacts: true }])
})

test('the desktop state keeps the unread counts, the muted list and the account', () => {
  const state = new DesktopState()
  expect(state.apply(signedIn())).toEqual({ unreadChanged: true, signedIn: true })
  expect(state.apply(signedIn())).toEqual({ unreadChanged: true, signedIn: false })
  expect(state.name('u-alice')).toBe('Alice')
  expect(state.name('u-nobody')).toBe('Someone')
  expect([...state.conversations.keys()]).toEqual(['c1'])
  state.apply([{ type: 'session', payload: { status: 'signed_out', reason: 'logout', accounts: [] } }])
  expect(state.meId).toBeNull()
  expect(state.conversations.size).toBe(0)
})
