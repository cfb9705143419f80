// Plain data objects for unit tests of the client core: messages and
// conversations with fixed ids and times.
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import type { UserRecord } from '../../server/store/records'

export const CONV_A = '00000000-0000-4000-8000-00000000000a'
export const CONV_B = '00000000-0000-4000-8000-00000000000b'
export const USER = '00000000-0000-4000-8000-0000000000aa'

export function msg(seq: number, text = `m${seq}`, conversationId = CONV_A): Message {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    clientId: `c${seq}`,
    conversationId,
    seq,
    kind: 'text',
    senderId: USER,
    text,
    createdAt: '2030-01-01T00:00:00.000Z'
  }
}

/** Messages from..to, ascending. */
export function seqs(from: number, to: number, conversationId = CONV_A): Message[] {
  return Array.from({ length: to - from + 1 }, (_, i) => msg(from + i, undefined, conversationId))
}

export function conv(id: string, extra: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: 'group',
    title: 'g',
    description: '',
    avatar: null,
    createdAt: '2030-01-01T00:00:00.000Z',
    createdBy: USER,
    members: [],
    lastSeq: 0,
    version: 0,
    lastMessage: null,
    readSeq: 0,
    clearedSeq: 0,
    expiredSeq: 0,
    unreadCount: 0,
    mentionCount: 0,
    broadcastMentions: 'everyone',
    ...extra
  }
}

/** A server user record numbered `i`, for store tests. */
export function userRecord(i: number): UserRecord {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    username: `User${i}`,
    usernameLower: `user${i}`,
    displayName: `User ${i}`,
    statusText: '',
    passwordHash: 'scrypt$x',
    createdAt: new Date(0).toISOString()
  }
}
