// Issue 20 (message menu): "mark unread from here". Forwarding goes through the send route.
import { ConversationParams, ConversationResponse } from '../../../src/shared/schemas/conversations'
import { MarkUnreadBody } from '../../../src/shared/schemas/message-menu'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

export function messageMenuRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/conversations/:id/unread',
      summary:
        "Mark unread from a message: the caller's read position goes back to just before it (the only move back); the caller's devices get the conversation (conversation:updated)",
      tag: 'messages',
      auth: true,
      params: ConversationParams,
      body: MarkUnreadBody,
      responses: { 200: { description: "The conversation as the caller sees it now (readSeq, unreadCount)", schema: ConversationResponse } },
      errors: [403, 404],
      handler: async ({ caller, params, body }) => {
        const { conversation, moved } = await services.receipts.unread(caller.userId, params.id, body.seq)
        return { status: 200, body: { conversation }, after: () => moved && realtime.readPositionChanged(caller.userId, conversation) }
      }
    })
  ]
}
