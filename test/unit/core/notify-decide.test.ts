import { expect, test } from 'vitest'
import type { Conversation } from '../../../src/shared/schemas/conversations'
import type { Message } from '../../../src/shared/schemas/messages'
import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../../src/shared/schemas/notification-prefs'
import { decideNotification, RECENT_MS, type NotifyContext } from '../../../src/main/core/notify/decide'
import { unreadTotal } from '../../../src/main/electron/notifications'

const NOW = Date.parse('2026-12-02T10:00:00Z')
const ME = 'u-me'
const ALICE = 'u-alice'

function message(seq: number, over: Partial<Message> = {}): Message {
  return { id: `m${seq}`, clientId: `c${seq}`, conversationId: 'c1', seq, kind: 'text', senderId: ALICE, text: `hello ${seq}`, createdAt: new Date(NOW - 1000).toISOString(), ...over }
}

function conversation(over: Partial<Conversation> = {}): Conversation {
  return { id: 'c1', kind: 'direct', title: null, description: '', avatar: null, createdAt: '', createdBy: ME, members: [], lastSeq: 0, version: 0, lastMessage: null, readSeq: 0, clearedSeq: 0, expiredSeq: 0, unreadCount: 0, mentionCount: 0, broadcastMentions: 'everyone', ...over }
}

function ctx(over: Partial<NotifyContext> = {}): NotifyContext {
  return { meId: ME, prefs: DEFAULT_NOTIFICATION_PREFS, hidePreviews: false, windowFocused: false, now: NOW, conversation: conversation(), notifiedSeq: 0, name: (id) => (id === ALICE ? 'Alice' : 'Bob'), ...over }
}

const prefs = (over: Partial<NotificationPrefs>): NotificationPrefs => ({ ...DEFAULT_NOTIFICATION_PREFS, ...over })
const FUTURE = new Date(NOW + 3600_000).toISOString()
const PAST = new Date(NOW - 1000).toISOString()
const group = conversation({ kind: 'group', title: 'Lab' })

const event = (...messages: Message[]) => ({ conversationId: 'c1', upserted: messages })

test('a new direct message: the sender as title, the text as body', () => {
  expect(decideNotification(event(message(1)), ctx())).toEqual({ notification: { conversationId: 'c1', title: 'Alice', body: 'hello 1', sound: true }, notifiedSeq: 1 })
})

test('in a group: the group as title, "sender: text" as body; several messages are counted in one notification', () => {
  expect(decideNotification(event(message(1)), ctx({ conversation: group })).notification).toMatchObject({ title: 'Lab', body: 'Alice: hello 1' })
  const many = decideNotification(event(message(2), message(3, { senderId: 'u-bob', text: 'last   one\nhere' })), ctx({ conversation: group }))
  expect(many.notification).toMatchObject({ title: 'Lab', body: '2 new messages · Bob: last one here' })
})

test('hidden previews say who, never what', () => {
  expect(decideNotification(event(message(1)), ctx({ hidePreviews: true })).notification?.body).toBe('New message')
  expect(decideNotification(event(message(1)), ctx({ hidePreviews: true, conversation: group })).notification?.body).toBe('New message from Alice')
  expect(decideNotification(event(message(1), message(2)), ctx({ hidePreviews: true })).notification?.body).toBe('2 new messages')
})

test('muted, do not disturb and a focused window are quiet, but the messages count as announced', () => {
  const muted = prefs({ conversations: { c1: { mutedUntil: FUTURE } } })
  for (const quiet of [{ prefs: muted }, { prefs: prefs({ dndUntil: FUTURE }) }, { windowFocused: true }]) {
    expect(decideNotification(event(message(5)), ctx(quiet))).toEqual({ notification: null, notifiedSeq: 5 })
  }
})

test('own messages, system messages, deleted, already read, already announced and old ones never notify', () => {
  const none = (m: Message, over: Partial<NotifyContext> = {}) => expect(decideNotification(event(m), ctx(over)).notification).toBeNull()
  none(message(1, { senderId: ME }))
  none(message(1, { kind: 'system', text: '' }))
  none(message(1, { deletedAt: new Date(NOW).toISOString() }))
  none(message(3), { conversation: conversation({ readSeq: 3 }) })
  none(message(3), { notifiedSeq: 3 })
  none(message(1, { createdAt: new Date(NOW - RECENT_MS - 1).toISOString() }))
  none(message(1), { conversation: undefined })
})

test('an edit or a reaction to an announced message does not notify again', () => {
  const first = decideNotification(event(message(1)), ctx())
  expect(decideNotification(event(message(1, { text: 'edited', editedAt: new Date(NOW).toISOString() })), ctx({ notifiedSeq: first.notifiedSeq })).notification).toBeNull()
})

test('long previews are cut', () => {
  const body = decideNotification(event(message(1, { text: 'x'.repeat(500) })), ctx()).notification!.body
  expect(body.length).toBe(140)
  expect(body.endsWith('…')).toBe(true)
})

test('the unread total leaves muted conversations out', () => {
  expect(unreadTotal([{ id: 'a', unreadCount: 2 }, { id: 'b', unreadCount: 5 }, { id: 'c', unreadCount: 1 }], new Set(['b']))).toBe(3)
})

test('a formatted message is announced in plain words, without its Markdown', () => {
  const text = '**Build** is _green_ again:\n\n```sh\nnpm test\n```\nsee [the log](https://ci.example/1)'
  expect(decideNotification(event(message(1, { text })), ctx()).notification?.body).toBe('Build is green again: npm test see the log')
})

// Issue 20 (mentions)
test('a message that mentions me says so, by name, @all or @here', () => {
  const named = decideNotification(event(message(1, { text: '@me look', mentions: [ME] })), ctx({ conversation: group })).notification
  expect(named).toMatchObject({ title: 'Lab', body: 'Alice mentioned you: @me look' })
  expect(decideNotification(event(message(1, { mentionAll: 'all' })), ctx()).notification?.body).toBe('Alice mentioned you: hello 1')
  expect(decideNotification(event(message(1, { mentionAll: 'here', mentioned: [ME] })), ctx()).notification?.body).toBe('Alice mentioned you: hello 1')
  // Hidden previews still say it was a mention, never what.
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx({ hidePreviews: true })).notification?.body).toBe('Alice mentioned you')
  // Someone else's mention is an ordinary message.
  expect(decideNotification(event(message(1, { mentions: ['u-bob'] })), ctx({ conversation: group })).notification?.body).toBe('Alice: hello 1')
})

test('a mute until a time holds everything, mentions too, and ends by itself', () => {
  const muted = { prefs: prefs({ conversations: { c1: { mutedUntil: FUTURE } } }) }
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx(muted)).notification).toBeNull()
  const over = { prefs: prefs({ conversations: { c1: { mutedUntil: PAST } } }) }
  expect(decideNotification(event(message(1)), ctx(over)).notification?.body).toBe('hello 1')
})

test('do-not-disturb holds mentions and direct messages; when it has passed they notify again', () => {
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx({ prefs: prefs({ dndUntil: FUTURE }) })).notification).toBeNull()
  expect(decideNotification(event(message(1)), ctx({ prefs: prefs({ dndUntil: PAST }) })).notification).not.toBeNull()
  // Outside work hours (none on this Wednesday) is do-not-disturb too.
  const workHours = { enabled: true, timeZone: 'UTC', days: [{ day: 1, start: '09:00', end: '17:00' }] }
  expect(decideNotification(event(message(1)), ctx({ prefs: prefs({ workHours }) })).notification).toBeNull()
  const today = { ...workHours, days: [{ day: 3, start: '09:00', end: '17:00' }] }
  expect(decideNotification(event(message(1)), ctx({ prefs: prefs({ workHours: today }) })).notification).not.toBeNull()
})

test('level "mentions": direct messages, mentions and keywords notify; plain group messages do not', () => {
  const mentionsOnly = { prefs: prefs({ level: 'mentions', keywords: ['deploy'] }) }
  expect(decideNotification(event(message(1)), ctx(mentionsOnly)).notification?.body).toBe('hello 1')
  expect(decideNotification(event(message(1)), ctx({ ...mentionsOnly, conversation: group })).notification).toBeNull()
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx({ ...mentionsOnly, conversation: group })).notification?.body).toBe('Alice mentioned you: hello 1')
  expect(decideNotification(event(message(1, { mentionAll: 'here', mentioned: [ME] })), ctx({ ...mentionsOnly, conversation: group })).notification).not.toBeNull()
  expect(decideNotification(event(message(1, { text: 'Deploy is done!' })), ctx({ ...mentionsOnly, conversation: group })).notification?.body).toBe('Alice: Deploy is done!')
  // Only what passes is told: the plain message beside the mention is not counted.
  const both = decideNotification(event(message(1), message(2, { mentions: [ME] })), ctx({ ...mentionsOnly, conversation: group }))
  expect(both.notification?.body).toBe('Alice mentioned you: hello 2')
  expect(both.notifiedSeq).toBe(2)
})

test('level "none" is silent, even for mentions', () => {
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx({ prefs: prefs({ level: 'none' }) })).notification).toBeNull()
})

test("a conversation's own level wins over the default, either way", () => {
  const louder = prefs({ level: 'none', conversations: { c1: { level: 'all' } } })
  expect(decideNotification(event(message(1)), ctx({ prefs: louder, conversation: group })).notification).not.toBeNull()
  const quieter = prefs({ level: 'all', conversations: { c1: { level: 'mentions' } } })
  expect(decideNotification(event(message(1)), ctx({ prefs: quieter, conversation: group })).notification).toBeNull()
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx({ prefs: quieter, conversation: group })).notification).not.toBeNull()
  const silenced = prefs({ conversations: { c1: { level: 'none' } } })
  expect(decideNotification(event(message(1)), ctx({ prefs: silenced })).notification).toBeNull()
  // Another conversation's override changes nothing here.
  expect(decideNotification(event(message(1)), ctx({ prefs: prefs({ conversations: { c2: { level: 'none' } } }) })).notification).not.toBeNull()
})

test('keywords match whole words, ignoring case, in the words a reader sees', () => {
  const on = (text: string, keywords: string[]) =>
    decideNotification(event(message(1, { text })), ctx({ prefs: prefs({ level: 'mentions', keywords }), conversation: group })).notification !== null
  expect(on('the SERVER is down', ['server'])).toBe(true)
  expect(on('servers are fine', ['server'])).toBe(false)
  expect(on('the **build failed** again', ['build failed'])).toBe(true)
  expect(on('Prüfung morgen', ['prüfung'])).toBe(true)
  expect(on('Vorprüfung morgen', ['prüfung'])).toBe(false)
  expect(on('costs $5 (c++)', ['c++'])).toBe(true)
  expect(on('nothing here', [])).toBe(false)
})

test('sound follows the preference', () => {
  expect(decideNotification(event(message(1)), ctx({ prefs: prefs({ sound: false }) })).notification?.sound).toBe(false)
})

test('a reply only in its thread notifies those who follow the thread or are named in it', () => {
  const reply = (over: Partial<Message> = {}) => message(2, { threadRoot: 1, ...over })
  expect(decideNotification(event(reply()), ctx({ conversation: group })).notification).toBeNull()
  expect(decideNotification(event(reply()), ctx({ conversation: group, followedThreads: new Set(['c1:1']) })).notification?.body).toBe('Alice: hello 2')
  expect(decideNotification(event(reply({ mentions: [ME] })), ctx({ conversation: group })).notification?.body).toBe('Alice mentioned you: hello 2')
  // Also sent to the conversation: a message of it like any other.
  expect(decideNotification(event(reply({ alsoInConversation: true })), ctx({ conversation: group })).notification).not.toBeNull()
})
