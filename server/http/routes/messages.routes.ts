import { ConversationParams } from '../../../src/shared/schemas/conversations'
import { ChangesPage, ChangesQuery, EditMessageBody, MessageParams, MessageResponse, ReactBody } from '../../../src/shared/schemas/messages'
import type { Message } from '../../../src/shared/schemas/messages'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute, type RouteResult } from '../route'

export function messageRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { messages } = services
  /** 200 with the message's new state; members hear of it after the response. */
  const updated = ({ message, changed }: { message: Message; changed: boolean }): RouteResult => ({
    status: 200,
    body: { message },
    after: () => changed && realtime.messageUpdated(message)
  })

  return [
    defineRoute({
      method: 'patch',
      path: '/conversations/:id/messages/:seq',
      summary: 'Edit your own message; it shows as edited',
      tag: 'messages',
      auth: true,
      params: MessageParams,
      body: EditMessageBody,
      responses: { 200: { description: 'The edited message', schema: MessageResponse } },
      errors: [403, 404, 409, 429],
      handler: async ({ caller, params, body }) => updated(await messages.edit(caller.userId, params.id, params.seq, body))
    }),
    defineRoute({
      method: 'delete',
      path: '/conversations/:id/messages/:seq',
      summary: 'Delete a message for everyone (your own; admins: any in their group or room), leaving a tombstone',
      tag: 'messages',
      auth: true,
      params: MessageParams,
      responses: { 200: { description: 'The tombstone', schema: MessageResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => {
        const { message, changed, thread } = await messages.remove(caller.userId, params.id, params.seq)
        return { ...updated({ message, changed }), after: () => (changed && realtime.messageUpdated(message), realtime.threadChanged(thread)) }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/messages/:seq/reactions',
      summary: 'Toggle your reaction with one emoji',
      tag: 'messages',
      auth: true,
      params: MessageParams,
      body: ReactBody,
      responses: { 200: { description: 'The message with its reactions', schema: MessageResponse } },
      errors: [403, 404, 409, 429],
      handler: async ({ caller, params, body }) => updated(await messages.react(caller.userId, params.id, params.seq, body.emoji))
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/changes',
      summary: 'Messages edited, deleted or reacted to since a version (catch-up after a reconnect)',
      tag: 'messages',
      auth: true,
      bots: true,
      params: ConversationParams,
      query: ChangesQuery,
      responses: { 200: { description: 'Changed messages, oldest change first', schema: ChangesPage } },
      errors: [403, 404],
      handler: async ({ caller, params, query }) => ({
        status: 200,
        body: await messages.changes(caller.userId, params.id, query.since, query.limit)
      })
    })
  ]
}
