import type { Message, MessagePage, MessagePageQuery, SendMessageBody } from '../../src/shared/schemas/messages'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'

export class MessageService {
  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService
  ) {}

  /** Appends durably; a repeated clientId returns the original with created=false. */
  async send(userId: string, conversationId: string, body: SendMessageBody): Promise<{ message: Message; created: boolean }> {
    this.conversations.requireMember(conversationId, userId)
    const result = await this.store.messages.append(conversationId, {
      clientId: body.clientId,
      senderId: userId,
      text: body.text
    })
    // Whoever writes a message has read everything up to it.
    this.store.conversations.markRead(conversationId, userId, result.message.seq)
    return result
  }

  page(userId: string, conversationId: string, query: MessagePageQuery): Promise<MessagePage> {
    this.conversations.requireMember(conversationId, userId)
    const floor = this.store.conversations.membership(conversationId, userId)?.clearedSeq ?? 0
    return this.store.messages.page(conversationId, query, floor)
  }

  /** Hides everything up to now in this conversation, for the caller only. */
  async clearHistory(userId: string, conversationId: string): Promise<number> {
    this.conversations.requireMember(conversationId, userId)
    const last = (await this.store.messages.last(conversationId))?.seq ?? 0
    await this.store.conversations.clearHistory(conversationId, userId, last)
    return this.store.conversations.membership(conversationId, userId)?.clearedSeq ?? last
  }
}
