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
    return this.store.messages.page(conversationId, query)
  }

  async markRead(userId: string, conversationId: string, seq: number): Promise<number> {
    this.conversations.requireMember(conversationId, userId)
    const last = (await this.store.messages.last(conversationId))?.seq ?? 0
    this.store.conversations.markRead(conversationId, userId, Math.min(seq, last))
    return this.store.conversations.membership(conversationId, userId)?.readSeq ?? 0
  }
}
