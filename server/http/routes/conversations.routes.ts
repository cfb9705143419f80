import { SendResponse } from '../../../src/shared/schemas/scheduled'
import {
  ConversationListResponse,
  ConversationParams,
  ConversationResponse,
  CreateConversationBody
} from '../../../src/shared/schemas/conversations'
import {
  MarkReadBody,
  MessagePage,
  MessagePageQuery,
  SendMessageBody
} from '../../../src/shared/schemas/messages'
import { z } from 'zod'
import { InvitationResponse } from '../../../src/shared/schemas/contacts'
import { MessageReceipts, MessageSeqParams } from '../../../src/shared/schemas/receipts'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

const ReadResponse = z.object({ readSeq: z.number().int().min(0), deliveredSeq: z.number().int().min(0) })
const ClearResponse = z.object({ clearedSeq: z.number().int().min(0) })

export function conversationRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { conversations, messages, scheduled } = services
  return [
    defineRoute({
      method: 'post',
      path: '/conversations',
      summary: 'Start a direct chat (idempotent per pair) or create a group',
      tag: 'conversations',
      auth: true,
      body: CreateConversationBody,
      responses: {
        200: { description: 'The existing direct chat with this person', schema: ConversationResponse },
        201: { description: 'Created', schema: ConversationResponse },
        202: {
          description: 'They accept direct chats only from contacts: an invitation was sent (or was already pending) instead; retry once it is accepted',
          schema: InvitationResponse
        }
      },
      errors: [404, 429],
      handler: async ({ caller, body }) => {
        // A direct chat with someone who allows only contacts may become an invitation.
        const gate = body.kind === 'direct' ? await services.contacts.directChat(caller.userId, body.userId) : null
        if (gate?.invitation) {
          return { status: 202, body: { invitation: gate.invitation }, after: () => realtime.contactsChanged(gate.change) }
        }
        const { conversation, created } = await conversations.create(caller.userId, body)
        // Answered once every member's sockets are in its room: the first message, sent at once, reaches them live.
        if (created) await realtime.conversationCreated(conversation)
        return {
          status: created ? 201 : 200,
          body: { conversation: await conversations.view(conversation, caller.userId) },
          after: () => gate && realtime.contactsChanged(gate.change)
        }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/conversations',
      summary: "The caller's conversations with members, last message and unread count",
      tag: 'conversations',
      auth: true,
      bots: true,
      responses: { 200: { description: 'Most recent activity first', schema: ConversationListResponse } },
      handler: async ({ caller }) => ({ status: 200, body: await conversations.listing(caller.userId) })
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id',
      summary: 'One conversation',
      tag: 'conversations',
      auth: true,
      bots: true,
      params: ConversationParams,
      responses: { 200: { description: 'The conversation', schema: ConversationResponse } },
      errors: [403, 404],
      handler: async ({ caller, params }) => {
        const record = await conversations.requireMember(params.id, caller.userId)
        return { status: 200, body: { conversation: await conversations.view(record, caller.userId) } }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/messages',
      summary: 'A page of history by seq: latest, `before` a seq, or `after` a cursor',
      tag: 'messages',
      auth: true,
      bots: true,
      params: ConversationParams,
      query: MessagePageQuery,
      responses: { 200: { description: 'Messages in ascending seq', schema: MessagePage } },
      errors: [403, 404],
      handler: async ({ caller, params, query }) => ({
        status: 200,
        body: await messages.page(caller.userId, params.id, query)
      })
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/messages',
      summary: 'Send a message; answered once it is durable. The same clientId again returns the original',
      tag: 'messages',
      auth: true,
      bots: true,
      params: ConversationParams,
      body: SendMessageBody,
      responses: {
        200: { description: 'Already sent (or scheduled) with this clientId: the original message (or scheduled message)', schema: SendResponse },
        201: { description: 'Stored durably; with sendAt, { scheduled } (issue 21: the server sends it then)', schema: SendResponse }
      },
      // 429: the sender's message budget (services/send-limits.ts), with Retry-After. 409: a forward of a deleted message or of a file gone.
      errors: [403, 404, 409, 429],
      handler: async ({ caller, params, body }) => {
        if (body.sendAt !== undefined) {
          const { scheduled: kept, created } = await scheduled.create(caller.userId, params.id, { ...body, sendAt: body.sendAt })
          return { status: created ? 201 : 200, body: { scheduled: kept } }
        }
        const { message, created, thread } = await messages.send(caller.userId, params.id, body)
        return {
          status: created ? 201 : 200,
          body: { message },
          // Also a retry's (200): see message:send in realtime/messages.handlers.ts.
          after: () => {
            realtime.messageCreated(message)
            realtime.threadChanged(thread)
          }
        }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/read',
      summary: "Move the caller's read position forward (never back); the members are told (receipt:update)",
      tag: 'messages',
      auth: true,
      bots: true,
      params: ConversationParams,
      body: MarkReadBody,
      responses: { 200: { description: 'The read position now', schema: ReadResponse } },
      errors: [403, 404],
      handler: async ({ caller, params, body }) => {
        const { readSeq, deliveredSeq, update, kind } = await services.receipts.read(caller.userId, params.id, body.seq)
        return { status: 200, body: { readSeq, deliveredSeq }, after: () => update && realtime.receiptMoved(update, kind) }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/messages/:seq/receipts',
      summary: 'Who has read and received a message, and when (read_by / delivered_to)',
      tag: 'messages',
      auth: true,
      params: MessageSeqParams,
      responses: { 200: { description: 'userId → time, the sender left out', schema: MessageReceipts } },
      errors: [403, 404],
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await services.receipts.forMessage(caller.userId, params.id, params.seq)
      })
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/clear',
      summary: 'Clear history: hide every message up to now in this conversation, for the caller only (on all their devices)',
      tag: 'messages',
      auth: true,
      params: ConversationParams,
      responses: { 200: { description: 'History is hidden up to clearedSeq', schema: ClearResponse } },
      errors: [403, 404],
      handler: async ({ caller, params }) => {
        const clearedSeq = await messages.clearHistory(caller.userId, params.id)
        // Clearing reads everything cleared: the cursors (and the other members' ticks) follow.
        const { update, kind } = await services.receipts.read(caller.userId, params.id, clearedSeq)
        return {
          status: 200,
          body: { clearedSeq },
          after: () => {
            realtime.historyCleared(caller.userId, params.id, clearedSeq)
            if (update) realtime.receiptMoved(update, kind)
          }
        }
      }
    })
  ]
}
