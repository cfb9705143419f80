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
  MessageResponse,
  SendMessageBody
} from '../../../src/shared/schemas/messages'
import { z } from 'zod'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

const ReadResponse = z.object({ readSeq: z.number().int().min(0) })

export function conversationRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { conversations, messages } = services
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
        201: { description: 'Created', schema: ConversationResponse }
      },
      errors: [404],
      handler: async ({ caller, body }) => {
        const { conversation, created } = await conversations.create(caller.userId, body)
        return {
          status: created ? 201 : 200,
          body: { conversation: await conversations.view(conversation, caller.userId) },
          after: () => created && void realtime.conversationCreated(conversation)
        }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/conversations',
      summary: "The caller's conversations with members, last message and unread count",
      tag: 'conversations',
      auth: true,
      responses: { 200: { description: 'Most recent activity first', schema: ConversationListResponse } },
      handler: async ({ caller }) => ({ status: 200, body: { conversations: await conversations.list(caller.userId) } })
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id',
      summary: 'One conversation',
      tag: 'conversations',
      auth: true,
      params: ConversationParams,
      responses: { 200: { description: 'The conversation', schema: ConversationResponse } },
      errors: [403, 404],
      handler: async ({ caller, params }) => {
        const record = conversations.requireMember(params.id, caller.userId)
        return { status: 200, body: { conversation: await conversations.view(record, caller.userId) } }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/messages',
      summary: 'A page of history by seq: latest, `before` a seq, or `after` a cursor',
      tag: 'messages',
      auth: true,
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
      params: ConversationParams,
      body: SendMessageBody,
      responses: {
        200: { description: 'Already sent with this clientId: the original message', schema: MessageResponse },
        201: { description: 'Stored durably', schema: MessageResponse }
      },
      errors: [403, 404],
      handler: async ({ caller, params, body }) => {
        const { message, created } = await messages.send(caller.userId, params.id, body)
        return {
          status: created ? 201 : 200,
          body: { message },
          after: () => created && realtime.messageCreated(message)
        }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/read',
      summary: "Move the caller's read position forward (never back)",
      tag: 'messages',
      auth: true,
      params: ConversationParams,
      body: MarkReadBody,
      responses: { 200: { description: 'The read position now', schema: ReadResponse } },
      errors: [403, 404],
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: { readSeq: await messages.markRead(caller.userId, params.id, body.seq) }
      })
    })
  ]
}
