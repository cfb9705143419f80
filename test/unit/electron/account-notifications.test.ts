// Notifications with several accounts: they name the account, and a
// background account's messages notify too (a click shows that account).
import { EventEmitter } from 'node:events'
import { expect, test } from 'vitest'
import type { AccountSummary, MessengerEvent, OpenTarget } from '../../../src/shared/ipc'
import { DesktopPrefs } from '../../../src/main/electron/desktop-prefs'
import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../../src/shared/schemas/notification-prefs'
import { DesktopState } from '../../../src/main/core/notify/desktop-state'
import { Notifier } from '../../../src/main/electron/notifier'

const NOW = Date.parse('2026-12-02T10:00:00Z')

class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = []
  static isSupported(): boolean {
    return true
  }
  constructor(readonly options: { title?: string; body?: string }) {
    super()
  }
  show(): void {
    FakeNotification.shown.push(this)
  }
}

const user = (id: string, displayName: string) => ({ id, username: id, displayName, statusText: '', avatar: null })
const front: AccountSummary = { id: 'a-front', serverUrl: 'http://10.0.0.1:7450', userId: 'u-me', username: 'me', displayName: 'Me', serverName: 'Front office' }
const branch: AccountSummary = { id: 'a-branch', serverUrl: 'http://10.0.0.2:7450', userId: 'u-me2', username: 'me', displayName: 'Me', serverName: 'Branch office' }
const second: AccountSummary = { id: 'a-second', serverUrl: 'http://10.0.0.1:7450', userId: 'u-me3', username: 'ops', displayName: 'Ops' }

const conversation = (id: string, other: string) =>
  ({ id, kind: 'direct', title: null, description: '', avatar: null, createdAt: '', createdBy: 'u-me', members: [{ user: user(other, other === 'u-bob' ? 'Bob' : 'Carol'), role: 'member', joinedAt: '' }], lastSeq: 0, version: 0, lastMessage: null, readSeq: 0, clearedSeq: 0, unreadCount: 1 }) as never

const message = (conversationId: string, senderId: string, seq: number, text: string) =>
  ({ id: `m${seq}`, clientId: `x${seq}`, conversationId, seq, kind: 'text', senderId, text, createdAt: new Date(NOW).toISOString() }) as never

function setup(accounts: AccountSummary[], focused = true) {
  FakeNotification.shown = []
  const state = new DesktopState()
  const clicked: OpenTarget[] = []
  const prefsOf: Record<string, NotificationPrefs> = {}
  const notifier = new Notifier({
    Notification: FakeNotification,
    state,
    prefs: () => DesktopPrefs.parse({}),
    notificationPrefs: (accountId) => prefsOf[accountId ?? 'a-front'] ?? DEFAULT_NOTIFICATION_PREFS,
    windowFocused: () => focused, onClick: (t) => clicked.push(t),
    now: () => NOW
  })
  const feed = (batch: MessengerEvent[]): void => {
    state.apply(batch)
    notifier.handle(batch)
  }
  const me = { ...user('u-me', 'Me'), createdAt: '', hideLastSeen: false, contactsOnlyDirect: false }
  feed([
    { type: 'session', payload: { status: 'signed_in', account: front, me, accounts } },
    { type: 'conversations', payload: { upserted: [conversation('c-bob', 'u-bob')], removed: [] } }
  ] as MessengerEvent[])
  return { state, feed, clicked, prefsOf }
}

test('a background account’s message notifies even with the window focused, names its server, and a click shows that account', () => {
  const { feed, clicked, prefsOf } = setup([front, branch])
  feed([{ type: 'accountMessages', payload: { accountId: 'a-branch', conversation: conversation('c-carol', 'u-carol'), muted: false, upserted: [message('c-carol', 'u-carol', 1, 'hi from the branch')] } }])
  expect(FakeNotification.shown.map((n) => n.options)).toEqual([{ title: 'Carol · Branch office', body: 'hi from the branch', silent: false }])
  FakeNotification.shown[0]!.emit('click')
  expect(clicked).toEqual([{ conversationId: 'c-carol', accountId: 'a-branch' }])
  // Once only; that account's own mute (kept by its server) holds its conversation.
  feed([{ type: 'accountMessages', payload: { accountId: 'a-branch', conversation: conversation('c-carol', 'u-carol'), muted: false, upserted: [message('c-carol', 'u-carol', 1, 'hi from the branch')] } }])
  prefsOf['a-branch'] = { ...DEFAULT_NOTIFICATION_PREFS, conversations: { 'c-carol': { mutedUntil: '2099-01-01T00:00:00.000Z' } } }
  feed([{ type: 'accountMessages', payload: { accountId: 'a-branch', conversation: conversation('c-carol', 'u-carol'), muted: true, upserted: [message('c-carol', 'u-carol', 2, 'muted')] } }])
  // The shown account's do-not-disturb is not the background account's.
  prefsOf['a-front'] = { ...DEFAULT_NOTIFICATION_PREFS, dndUntil: '2099-01-01T00:00:00.000Z' }
  feed([{ type: 'accountMessages', payload: { accountId: 'a-branch', conversation: conversation('c-dan', 'u-dan'), muted: false, upserted: [message('c-dan', 'u-dan', 3, 'still told')] } }])
  expect(FakeNotification.shown.map((n) => n.options.body)).toEqual(['hi from the branch', 'still told'])
  prefsOf['a-branch'] = { ...DEFAULT_NOTIFICATION_PREFS, dndUntil: '2099-01-01T00:00:00.000Z' }
  feed([{ type: 'accountMessages', payload: { accountId: 'a-branch', conversation: conversation('c-dan', 'u-dan'), muted: false, upserted: [message('c-dan', 'u-dan', 4, 'held')] } }])
  expect(FakeNotification.shown).toHaveLength(2)
})

test('the shown account’s notifications name it only when there are several; two accounts on one server add the username', () => {
  const bobSays = { type: 'messages', payload: { conversationId: 'c-bob', upserted: [message('c-bob', 'u-bob', 1, 'lunch?')] } } as MessengerEvent
  const one = setup([front], false)
  one.feed([bobSays])
  expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Bob'])
  const two = setup([front, branch], false)
  two.feed([bobSays])
  expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Bob · Front office'])
  const same = setup([front, second])
  expect(same.state.accountLabel()).toBe('me on Front office')
  expect(same.state.accountLabel('a-second')).toBe('ops on 10.0.0.1:7450')
})

test('the dock badge counts the background accounts’ unread messages beside the shown one’s', () => {
  const { state, feed } = setup([front, branch])
  feed([{ type: 'unread', payload: { 'a-front': 1, 'a-branch': 4 } }])
  expect(state.unreadElsewhere()).toBe(4)
})
