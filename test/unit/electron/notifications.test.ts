import { expect, test } from 'vitest'
import type { Conversation } from '../../../src/shared/schemas/conversations'
import type { Message } from '../../../src/shared/schemas/messages'
import { decideNotification, RECENT_MS, unreadTotal, type NotifyContext } from '../../../src/main/electron/notifications'

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
  return { meId: ME, muted: new Set(), doNotDisturb: false, hidePreviews: false, windowFocused: false, now: NOW, conversation: conversation(), notifiedSeq: 0, name: (id) => (id === ALICE ? 'Alice' : 'Bob'), ...over }
}

const event = (...messages: Message[]) => ({ conversationId: 'c1', upserted: messages })

test('a new direct message: the sender as title, the text as body', () => {
  expect(decideNotification(event(message(1)), ctx())).toEqual({ notification: { conversationId: 'c1', title: 'Alice', body: 'hello 1' }, notifiedSeq: 1 })
})

test('in a group: the group as title, "sender: text" as body; several messages are counted in one notification', () => {
  const group = conversation({ kind: 'group', title: 'Lab' })
  expect(decideNotification(event(message(1)), ctx({ conversation: group })).notification).toMatchObject({ title: 'Lab', body: 'Alice: hello 1' })
  const many = decideNotification(event(message(2), message(3, { senderId: 'u-bob', text: 'last   one\nhere' })), ctx({ conversation: group }))
  expect(many.notification).toMatchObject({ title: 'Lab', body: '2 new messages · Bob: last one here' })
})

test('hidden previews say who, never what', () => {
  expect(decideNotification(event(message(1)), ctx({ hidePreviews: true })).notification?.body).toBe('New message')
  const group = conversation({ kind: 'group', title: 'Lab' })
  expect(decideNotification(event(message(1)), ctx({ hidePreviews: true, conversation: group })).notification?.body).toBe('New message from Alice')
  expect(decideNotification(event(message(1), message(2)), ctx({ hidePreviews: true })).notification?.body).toBe('2 new messages')
})

test('muted, do not disturb and a focused window are quiet, but the messages count as announced', () => {
  for (const quiet of [{ muted: new Set(['c1']) }, { doNotDisturb: true }, { windowFocused: true }]) {
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
  const group = conversation({ kind: 'group', title: 'Lab' })
  const named = decideNotification(event(message(1, { text: '@me look', mentions: [ME] })), ctx({ conversation: group })).notification
  expect(named).toMatchObject({ title: 'Lab', body: 'Alice mentioned you: @me look' })
  expect(decideNotification(event(message(1, { mentionAll: 'all' })), ctx()).notification?.body).toBe('Alice mentioned you: hello 1')
  expect(decideNotification(event(message(1, { mentionAll: 'here', mentioned: [ME] })), ctx()).notification?.body).toBe('Alice mentioned you: hello 1')
  // Hidden previews still say it was a mention, never what.
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx({ hidePreviews: true })).notification?.body).toBe('Alice mentioned you')
  // Someone else's mention is an ordinary message.
  expect(decideNotification(event(message(1, { mentions: ['u-bob'] })), ctx({ conversation: group })).notification?.body).toBe('Alice: hello 1')
})

test('a mention gets through a muted conversation (only the mention is told); do not disturb and a focused window still hold it', () => {
  const muted = { muted: new Set(['c1']) }
  const decision = decideNotification(event(message(1, { mentions: [ME] }), message(2)), ctx(muted))
  expect(decision).toEqual({ notification: { conversationId: 'c1', title: 'Alice', body: 'Alice mentioned you: hello 1' }, notifiedSeq: 2 })
  expect(decideNotification(event(message(3)), ctx(muted)).notification).toBeNull()
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx({ ...muted, doNotDisturb: true })).notification).toBeNull()
  expect(decideNotification(event(message(1, { mentions: [ME] })), ctx({ windowFocused: true })).notification).toBeNull()
})
