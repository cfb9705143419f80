import { describe, expect, it } from 'vitest'
import type { Message } from '../../../src/shared/schemas/messages'
import { mentionsAbove, mentionsMe } from '../../../src/main/core/mentions'

const ME = 'me'
const msg = (seq: number, over: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  clientId: `c${seq}`,
  conversationId: 'c1',
  seq,
  kind: 'text',
  senderId: 'other',
  text: 'hi',
  createdAt: '2030-01-01T00:00:00.000Z',
  ...over
})

describe('mentionsMe', () => {
  it('is true for my id, @all and the server-expanded mentioned (@here, user groups)', () => {
    expect(mentionsMe(msg(1, { mentions: [ME] }), ME)).toBe(true)
    expect(mentionsMe(msg(1, { mentionAll: 'all' }), ME)).toBe(true)
    expect(mentionsMe(msg(1, { mentionAll: 'here', mentioned: [ME] }), ME)).toBe(true)
    expect(mentionsMe(msg(1, { mentionAll: 'here', mentioned: ['x'] }), ME)).toBe(false)
    expect(mentionsMe(msg(1), ME)).toBe(false)
  })

  it('leaves out my own messages, deleted ones, system ones and replies only in a thread', () => {
    expect(mentionsMe(msg(1, { senderId: ME, mentionAll: 'all' }), ME)).toBe(false)
    expect(mentionsMe(msg(1, { mentions: [ME], deletedAt: '2030-01-01T00:00:01.000Z' }), ME)).toBe(false)
    expect(mentionsMe(msg(1, { kind: 'system', mentionAll: 'all' }), ME)).toBe(false)
    expect(mentionsMe(msg(1, { mentions: [ME], threadRoot: 1 }), ME)).toBe(false)
    expect(mentionsMe(msg(1, { mentions: [ME], threadRoot: 1, alsoInConversation: true }), ME)).toBe(true)
  })

  it('mentionsAbove counts only after the read cursor', () => {
    expect(mentionsAbove([msg(1, { mentions: [ME] }), msg(2, { mentionAll: 'all' }), msg(3)], ME, 1)).toBe(1)
  })
})
