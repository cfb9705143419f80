// Threads' rules both sides of the wire apply alike.
import type { Message } from './schemas/messages'

/** The message shows in the conversation's list (not a thread-only reply); only these count as unread there. */
export function inConversation(m: Pick<Message, 'threadRoot' | 'alsoInConversation'>): boolean {
  return m.threadRoot === undefined || m.alsoInConversation === true
}

/** One key per thread, as the store's followedThreads are kept. */
export const threadKey = (conversationId: string, rootSeq: number): string => `${conversationId}:${rootSeq}`
