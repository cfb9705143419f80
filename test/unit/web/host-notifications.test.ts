// The browser host's notifications: the core's decision, told only to the
// pages whose user is not looking at them.
import { expect, test } from 'vitest'
import type { MessengerEvent, MessengerEvents } from '../../../src/shared/ipc'
import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../../src/shared/schemas/notification-prefs'
import type { ClientCore } from '../../../src/main/core/client'
import { silentLogger } from '../../../src/main/core/logger'
import { HostNotifications } from '../../../src/main/web/notifications'

const NOW = Date.parse('2026-12-02T10:00:00Z')
const user = (id: string, displayName: string) => ({ id, username: id, displayName, statusText: '', avatar: null })
const account = { id: 'a', serverUrl: 'http://x', userId: 'u-me', username: 'me', displayName: 'Me' }
const conversation = (id: string, kind: 'direct' | 'group') =>
  ({ id, kind, title: kind === 'group' ? 'Lab' : null, description: '', avatar: null, createdAt: '', createdBy: 'u-me', members: [{ user: user('u-alice', 'Alice'), role: 'member', joinedAt: '' }], lastSeq: 0, version: 0, lastMessage: null, readSeq: 0, clearedSeq: 0, unreadCount: 0 }) as never
const said = (conversationId: string, seq: number, over: Record<string, unknown> = {}): MessengerEvent => ({
  type: 'messages',
  payload: { conversationId, upserted: [{ id: `m${seq}`, clientId: `x${seq}`, conversationId, seq, kind: 'text', senderId: 'u-alice', text: `hi ${seq}`, createdAt: new Date(NOW).toISOString(), ...over }] as never }
})

function setup() {
  let listener: (batch: MessengerEvent[]) => void = () => undefined
  const prefs: Record<string, NotificationPrefs> = {}
  const core = {
    subscribe: (l: typeof listener) => {
      listener = l
      return () => undefined
    },
    dispatch: () => Promise.resolve({ ok: false, error: { code: 'offline', message: 'not in this test' } }),
    notificationPrefs: (accountId?: string) => prefs[accountId ?? 'a'] ?? DEFAULT_NOTIFICATION_PREFS
  } as unknown as ClientCore
  const host = new HostNotifications(core, silentLogger, () => NOW)
  host.start()
  const page = (attentive: boolean) => {
    const told: MessengerEvents['desktopNotification'][] = []
    const state = { attentive }
    host.add({ attentive: () => state.attentive, notify: (n) => told.push(n) })
    return { told, state }
  }
  const me = { ...user('u-me', 'Me'), createdAt: '', hideLastSeen: false, contactsOnlyDirect: false }
  const feed = (batch: MessengerEvent[]) => listener(batch)
  feed([
    { type: 'session', payload: { status: 'signed_in', account, me, accounts: [account, { ...account, id: 'b', serverUrl: 'http://y', serverName: 'Branch' }] } },
    { type: 'conversations', payload: { upserted: [conversation('c1', 'direct'), conversation('g1', 'group')], removed: [] } }
  ] as MessengerEvent[])
  return { feed, page, prefs }
}

test('a page not looked at is told, with the sound and its conversation; a page looked at is not', () => {
  const { feed, page } = setup()
  const away = page(false)
  const looking = page(true)
  feed([said('c1', 1)])
  expect(away.told).toEqual([{ title: 'Alice · x', body: 'hi 1', sound: true, target: { conversationId: 'c1' } }])
  expect(looking.told).toEqual([])
  // Once the user looks at it, nothing more.
  away.state.attentive = true
  feed([said('c1', 2)])
  expect(away.told).toHaveLength(1)
})

test('the preferences decide: mentions only, do-not-disturb, sound off', () => {
  const { feed, page, prefs } = setup()
  const away = page(false)
  prefs['a'] = { ...DEFAULT_NOTIFICATION_PREFS, level: 'mentions', sound: false }
  feed([said('g1', 1)])
  feed([said('g1', 2, { mentions: ['u-me'] })])
  expect(away.told.map((n) => [n.body, n.sound])).toEqual([['Alice mentioned you: hi 2', false]])
  prefs['a'] = { ...DEFAULT_NOTIFICATION_PREFS, dndUntil: new Date(NOW + 60_000).toISOString() }
  feed([said('c1', 3)])
  expect(away.told).toHaveLength(1)
})

test("another signed-in account's messages are told even to a page looked at (it shows the other account)", () => {
  const { feed, page } = setup()
  const looking = page(true)
  const event = { accountId: 'b', conversation: conversation('c9', 'direct'), muted: false, upserted: (said('c9', 1).payload as MessengerEvents['messages']).upserted }
  feed([{ type: 'accountMessages', payload: event }])
  expect(looking.told).toEqual([{ title: 'Alice · Branch', body: 'hi 1', sound: true, target: { conversationId: 'c9', accountId: 'b' } }])
})
