// Which messages mention the signed-in user, as the server counts them
// (server/services/mentions.ts): by id, @all, or `mentioned` (@here and user
// groups, expanded when sent). The core keeps Conversation.mentionCount current
// with these, offline too, as it keeps unreadCount.
import type { Message } from '../../shared/schemas/messages'

export function mentionsMe(m: Message, me: string): boolean {
  if (m.kind !== 'text' || m.senderId === me || m.deletedAt) return false
  // A reply only in its thread is counted in the thread, not in the conversation.
  if (m.threadRoot !== undefined && m.alsoInConversation !== true) return false
  return m.mentionAll === 'all' || (m.mentions?.includes(me) ?? false) || (m.mentioned?.includes(me) ?? false)
}

/** How many of these messages after `readSeq` mention `me`. */
export function mentionsAbove(messages: readonly Message[], me: string, readSeq: number): number {
  let count = 0
  for (const m of messages) if (m.seq > readSeq && mentionsMe(m, me)) count++
  return count
}
