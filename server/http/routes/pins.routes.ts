// Issue 20: pinned messages (PUT/DELETE/GET /conversations/{id}/pins) and saved messages (/saved).
import { ConversationParams } from '../../../src/shared/schemas/conversations'
import { MessageParams } from '../../../src/shared/schemas/messages'
import { PinsResponse } from '../../../src/shared/schemas/pins'
import { SavedItem, SavedParams, SavedResponse } from '../../../src/shared/schemas/saved'
import type { PinChange } from '../../services/pins.service'
import type { SavedChange } from '../../services/saved.service'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute, type RouteResult } from '../route'

export function pinRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { pins, saved } = services
  /** 200 with the whole list; on a change the system message and the list reach the members after the response. */
  const pinned = (change: PinChange): RouteResult => ({
    status: 200,
    body: { pins: change.pins },
    after: () => {
      if (!change.system) return
      realtime.messageCreated(change.system)
      realtime.pinsChanged(change.conversationId, change.pins)
    }
  })
  const savedChange = (userId: string, change: SavedChange, body: unknown): RouteResult => ({
    status: 200,
    body,
    after: () => {
      if (change.changed) realtime.savedChanged(userId, change.added ? { added: change.added } : { removed: change.removed! })
    }
  })

  return [
    defineRoute({
      method: 'get',
      path: '/conversations/:id/pins',
      summary: 'The pinned messages of a conversation, newest pin first (members)',
      tag: 'pins',
      auth: true,
      params: ConversationParams,
      responses: { 200: { description: 'The pins, each with its message as it is now', schema: PinsResponse } },
      errors: [403, 404],
      handler: async ({ caller, params }) => ({ status: 200, body: { pins: await pins.list(caller.userId, params.id) } })
    }),
    defineRoute({
      method: 'put',
      path: '/conversations/:id/pins/:seq',
      summary: 'Pin a message (group and room admins; both people of a direct chat); pinning twice changes nothing',
      tag: 'pins',
      auth: true,
      params: MessageParams,
      responses: { 200: { description: 'The pins after the change', schema: PinsResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => pinned(await pins.pin(caller.userId, params.id, params.seq))
    }),
    defineRoute({
      method: 'delete',
      path: '/conversations/:id/pins/:seq',
      summary: 'Unpin a message (who may pin); unpinning what is not pinned changes nothing',
      tag: 'pins',
      auth: true,
      params: MessageParams,
      responses: { 200: { description: 'The pins after the change', schema: PinsResponse } },
      errors: [403, 404],
      handler: async ({ caller, params }) => pinned(await pins.unpin(caller.userId, params.id, params.seq))
    }),
    defineRoute({
      method: 'get',
      path: '/saved',
      summary: 'Your saved messages across conversations, newest first',
      tag: 'saved',
      auth: true,
      responses: { 200: { description: 'The saved messages (message null where you can no longer read it)', schema: SavedResponse } },
      handler: async ({ caller }) => ({ status: 200, body: { saved: await saved.list(caller.userId) } })
    }),
    defineRoute({
      method: 'put',
      path: '/saved/:conversationId/:seq',
      summary: 'Save a message you can read; saving twice changes nothing',
      tag: 'saved',
      auth: true,
      params: SavedParams,
      responses: { 200: { description: 'The saved message', schema: SavedItem } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => {
        const change = await saved.save(caller.userId, params.conversationId, params.seq)
        return savedChange(caller.userId, change, change.added)
      }
    }),
    defineRoute({
      method: 'delete',
      path: '/saved/:conversationId/:seq',
      summary: 'Remove a message from your saved messages (also one you can no longer read)',
      tag: 'saved',
      auth: true,
      params: SavedParams,
      responses: { 204: { description: 'Removed, or was not saved' } },
      handler: async ({ caller, params }) => {
        const change = await saved.unsave(caller.userId, params.conversationId, params.seq)
        return { ...savedChange(caller.userId, change, undefined), status: 204 }
      }
    })
  ]
}
