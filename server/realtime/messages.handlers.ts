import { performance } from 'node:perf_hooks'
import { z } from 'zod'
import {
  ChangesPayload,
  EditMessagePayload,
  ListMessagesPayload,
  MessageRefPayload,
  ReactPayload,
  SendMessagePayload
} from '../../src/shared/protocol'
import type { Message } from '../../src/shared/schemas/messages'
import type { SendResponse } from '../../src/shared/schemas/scheduled'
import { ReceiptPayload } from '../../src/shared/schemas/receipts'
import { MarkUnreadPayload } from '../../src/shared/schemas/message-menu'
import type { ServerMetrics } from '../metrics/metrics'
import type { Services } from '../services'
import type { Broadcaster } from './broadcaster'
import type { EventRegistry } from './handle'
import type { IoSocket } from './types'

export function registerMessageHandlers(
  socket: IoSocket,
  events: EventRegistry,
  services: Services,
  realtime: Broadcaster,
  metrics: ServerMetrics | null = null
): void {
  const { userId } = socket.data

  events.on('message:send', SendMessagePayload, async ({ conversationId, ...body }): Promise<{ data: SendResponse; after?: () => void }> => {
    const received = metrics ? performance.now() : 0
    if (body.sendAt !== undefined) return { data: { scheduled: (await services.scheduled.create(userId, conversationId, { ...body, sendAt: body.sendAt })).scheduled } }
    const { message, thread } = await services.messages.send(userId, conversationId, body)
    // A retry that finds its message (created=false) announces it again: whoever stored it may have
    // died, or lost its database, before announcing it. Members keep one message per seq.
    return {
      data: { message },
      // `after` runs right after the ack is handed to Socket.IO.
      after: () => {
        metrics?.ackSeconds.observe((performance.now() - received) / 1000)
        realtime.messageCreated(message, socket.id)
        realtime.threadChanged(thread)
      }
    }
  })

  events.on('message:list', ListMessagesPayload, async ({ conversationId, ...query }) => ({
    data: await services.messages.page(userId, conversationId, query)
  }))

  const updated = ({ message, changed }: { message: Message; changed: boolean }) => ({
    data: { message },
    after: () => changed && realtime.messageUpdated(message)
  })
  events.on('message:edit', EditMessagePayload, async ({ conversationId, seq, ...body }) =>
    updated(await services.messages.edit(userId, conversationId, seq, body))
  )
  events.on('message:delete', MessageRefPayload, async ({ conversationId, seq }) => {
    const { message, changed, thread } = await services.messages.remove(userId, conversationId, seq)
    return { data: { message }, after: () => (changed && realtime.messageUpdated(message), realtime.threadChanged(thread)) }
  })
  events.on('message:react', ReactPayload, async ({ conversationId, seq, emoji }) =>
    updated(await services.messages.react(userId, conversationId, seq, emoji))
  )
  events.on('message:changes', ChangesPayload, async ({ conversationId, since, limit }) => ({
    data: await services.messages.changes(userId, conversationId, since, limit)
  }))

  for (const which of ['read', 'delivered'] as const) {
    events.on(`receipt:${which}`, ReceiptPayload, async ({ conversationId, seq }) => {
      const { readSeq, deliveredSeq, update, kind } = await services.receipts[which](userId, conversationId, seq)
      return { data: { readSeq, deliveredSeq }, after: () => update && realtime.receiptMoved(update, kind) }
    })
  }

  // Issue 20: mark unread from here; the caller's other devices get their new view of the conversation.
  events.on('receipt:unread', MarkUnreadPayload, async ({ conversationId, seq }) => {
    const { conversation, moved } = await services.receipts.unread(userId, conversationId, seq)
    return { data: { conversation }, after: () => moved && realtime.readPositionChanged(userId, conversation) }
  })

  events.on('conversation:list', z.object({}).optional(), async () => ({
    data: await services.conversations.listing(userId)
  }))
}
