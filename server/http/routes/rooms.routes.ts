import { ConversationResponse } from '../../../src/shared/schemas/conversations'
import { ConversationParams } from '../../../src/shared/schemas/conversations'
import { EnterRoomBody, RoomListResponse, RoomSearchQuery } from '../../../src/shared/schemas/rooms'
import { LIMITS } from '../../../src/shared/limits'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

export function roomRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { rooms, conversations } = services
  return [
    defineRoute({
      method: 'get',
      path: '/rooms',
      summary: 'Browse public rooms by name or description, busiest first',
      tag: 'rooms',
      auth: true,
      query: RoomSearchQuery,
      responses: { 200: { description: 'Matching rooms', schema: RoomListResponse } },
      handler: async ({ caller, query }) => ({
        status: 200,
        body: { rooms: await rooms.list(caller.userId, query.q, query.limit ?? LIMITS.searchResultsMax) }
      })
    }),
    defineRoute({
      method: 'post',
      path: '/rooms',
      summary: 'Enter a room by name: joins it, or creates it (you become its admin) if none has that name',
      tag: 'rooms',
      auth: true,
      body: EnterRoomBody,
      responses: {
        200: { description: 'Joined the existing room, or already in it', schema: ConversationResponse },
        201: { description: 'Created the room', schema: ConversationResponse }
      },
      handler: async ({ caller, body }) => {
        const { change, outcome } = await rooms.enter(caller.userId, body)
        // Answered once the caller's sockets are in the room: what is said next reaches them live.
        await (outcome === 'created' ? realtime.conversationCreated(change.conversation) : realtime.groupChanged(change))
        return {
          status: outcome === 'created' ? 201 : 200,
          body: { conversation: await conversations.view(change.conversation, caller.userId) }
        }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/rooms/:id/join',
      summary: 'Join a public room found by browsing',
      tag: 'rooms',
      auth: true,
      params: ConversationParams,
      responses: {
        200: { description: 'Already in it', schema: ConversationResponse },
        201: { description: 'Joined', schema: ConversationResponse }
      },
      errors: [404],
      handler: async ({ caller, params }) => {
        const { change, joined } = await rooms.join(caller.userId, params.id)
        await realtime.groupChanged(change)
        return { status: joined ? 201 : 200, body: { conversation: await conversations.view(change.conversation, caller.userId) } }
      }
    })
  ]
}
