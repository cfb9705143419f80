// Issue 20: who sees which item of a message's menu.
import { describe, expect, it } from 'vitest'
import { menuItems, type OtherFeatures } from '../../../src/renderer/src/store/message-menu-items'
import type { Conversation } from '../../../src/shared/schemas/conversations'
import type { Message } from '../../../src/shared/schemas/messages'

const ME = '00000000-0000-4000-8000-000000000001'
const BOB = '00000000-0000-4000-8000-000000000002'
const C = '00000000-0000-4000-8000-0000000000c1'

const member = (id: string, role: 'admin' | 'member') => ({ user: { id }, role }) as Conversation['members'][number]
const conversation = (kind: Conversation['kind'], myRole: 'admin' | 'member' = 'member'): Conversation =>
  ({ id: C, kind, members: [member(ME, myRole), member(BOB, 'member')] }) as unknown as Conversation
const message = (senderId: string, extra: Partial<Message> = {}): Message =>
  ({ id: 'm', clientId: 'c', conversationId: C, seq: 5, kind: 'text', senderId, text: 'hi', createdAt: '2026-12-07T10:00:00.000Z', ...extra })

const all: OtherFeatures = {
  openThread: () => undefined,
  pin: () => Promise.resolve(),
  unpin: () => Promise.resolve(),
  save: () => Promise.resolve(),
  unsave: () => Promise.resolve(),
  pins: { [C]: [{ seq: 5 }] },
  saved: []
}

describe('the message menu items', () => {
  it("someone else's message in a group, as a member: no edit, delete or pin", () => {
    expect(menuItems({ message: message(BOB), conversation: conversation('group'), meId: ME, features: {} })).toEqual([
      'reply',
      'react',
      'copyText',
      'copyLink',
      'forward',
      'markUnread',
      'info'
    ])
  })

  it('my own message: edit and delete; a group admin deletes and pins anyone’s', () => {
    expect(menuItems({ message: message(ME), conversation: conversation('group'), meId: ME, features: {} })).toContain('edit')
    const asAdmin = menuItems({ message: message(BOB), conversation: conversation('group', 'admin'), meId: ME, features: all })
    expect(asAdmin).toEqual(['reply', 'replyInThread', 'react', 'copyText', 'copyLink', 'forward', 'unpin', 'save', 'delete', 'markUnread', 'info'])
  })

  it('both people of a direct chat may pin; nobody deletes the other’s message there', () => {
    const items = menuItems({ message: message(BOB), conversation: conversation('direct'), meId: ME, features: { ...all, pins: {} } })
    expect(items).toContain('pin')
    expect(items).not.toContain('delete')
  })

  it('threads, pins and saved messages only once their features are in the store; none for deleted or system messages', () => {
    const items = menuItems({ message: message(BOB, { threadRoot: 2 }), conversation: conversation('group', 'admin'), meId: ME, features: all })
    expect(items).not.toContain('replyInThread')
    expect(menuItems({ message: message(BOB, { text: ' ' }), conversation: conversation('group'), meId: ME, features: {} })).not.toContain('copyText')
    expect(menuItems({ message: message(BOB, { deletedAt: '2026-12-07T10:01:00.000Z' }), conversation: conversation('group'), meId: ME, features: all })).toEqual([])
    expect(menuItems({ message: message(BOB, { kind: 'system' }), conversation: conversation('group'), meId: ME, features: all })).toEqual([])
  })
})
