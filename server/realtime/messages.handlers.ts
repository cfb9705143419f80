import { z } from 'zod'
import { ListMessagesPayload, SendMessagePayload } from '../../src/shared/protocol'
import { ReceiptPayload } from '../../src/shared/schemas/receipts'
import type { Services } from '../services'
import type { Broadcaster } from './broadcaster'
import type { EventRegistry } from './handle'
import type { IoSocket } from './types'

export function registerMessageHandlers(socket: IoSocket, events: EventRegistry, services: Services, realtime: Broadcaster): void {
  const { userId } = socket.data

  events.on('message:send', SendMessagePayload, async ({ conversationId, clientId, text }) => {
    const { message, created } = await services.messages.send(userId, conversationId, { clientId, text })
    return { data: { message }, after: () => created && realtime.messageCreated(message, socket.id) }
  })

  events.on('message:list', ListMessagesPayload, async ({ conversationId, ...query }) => ({
    data: await services.messages.page(userId, conversationId, query)
  }))

  for (const which of ['read', 'delivered'] as const) {
    events.on(`receipt:${which}`, ReceiptPayload, async ({ conversationId, seq }) => {
      const { readSeq, deliveredSeq, update } = await services.receipts[which](userId, conversationId, seq)
      return { data: { readSeq, deliveredSeq }, after: () => update && realtime.receiptMoved(update) }
    })
  }

  events.on('conversation:list', z.object({}).optional(), async () => ({
    data: { conversations: await services.conversations.list(userId) }
  }))
}
