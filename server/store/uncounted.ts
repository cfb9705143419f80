import type { Message } from '../../src/shared/schemas/messages'

/**
 * Messages a conversation's unread count leaves out: system messages, and
 * thread replies not also sent to the conversation (counted in their thread).
 * Both engines index exactly these (system-index.ts, migration 009); neither
 * property changes after a message is stored, deletion included.
 */
export function uncounted(m: Pick<Message, 'kind' | 'threadRoot' | 'alsoInConversation'>): boolean {
  return m.kind === 'system' || (m.threadRoot !== undefined && m.alsoInConversation !== true)
}
