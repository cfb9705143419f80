import type { Message } from '../../src/shared/schemas/messages'
import type { MessageRepo } from '../store/types'

/** One message by seq in its latest state, or null if there is none (or it lies at or below `floor`). */
export async function messageAt(messages: MessageRepo, conversationId: string, seq: number, floor = 0): Promise<Message | null> {
  const page = await messages.page(conversationId, { after: seq - 1, limit: 1 }, floor)
  const message = page.messages[0]
  return message?.seq === seq ? message : null
}
