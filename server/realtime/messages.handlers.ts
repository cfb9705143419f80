import type { Logger } from 'pino'
import { z } from 'zod'
import { ListMessagesPayload, SendMessagePayload } from '../../src/shared/protocol'
import type { Services } from '../services'
import type { Broadcaster } from './broadcaster'
import { onEvent } from './handle'
import type { IoSocket } from './types'

export function registerMessageHandlers(socket: IoSocket, services: Services, realtime: Broadcaster, log: Logger): void {
  const { userId } = socket.data

  onEvent(socket, log, 'message:send', SendMessagePayload, async ({ conversationId, clientId, text }) => {
    const { message, created } = await services.messages.send(userId, conversationId, { clientId, text })
    return { data: { message }, after: () => created && realtime.messageCreated(message, socket.id) }
  })

  onEvent(socket, log, 'message:list', ListMessagesPayload, async ({ conversationId, ...query }) => ({
    data: await services.messages.page(userId, conversationId, query)
  }))

  onEvent(socket, log, 'conversation:list', z.object({}).optional(), async () => ({
    data: { conversations: await services.conversations.list(userId) }
  }))
}
