import { MessageResponse } from '../../../src/shared/schemas/messages'
import { ScheduledListResponse, ScheduledParams, ScheduledResponse, SendScheduledNowBody, UpdateScheduledBody } from '../../../src/shared/schemas/scheduled'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

/** Scheduled messages (issue 21 item 4); made by POST /conversations/{id}/messages with sendAt. */
export function scheduledRoutes({ services }: RouteDeps): AnyRoute[] {
  const { scheduled } = services
  return [
    defineRoute({
      method: 'get',
      path: '/scheduled',
      summary: "The caller's scheduled messages, soonest first (failed ones too, with `failed`)",
      tag: 'scheduled',
      auth: true,
      responses: { 200: { description: 'The list', schema: ScheduledListResponse } },
      handler: async ({ caller }) => ({ status: 200, body: { scheduled: await scheduled.list(caller.userId) } })
    }),
    defineRoute({
      method: 'patch',
      path: '/scheduled/:id',
      summary: "Change a scheduled message's text or time (a failed one waits again); the caller's devices get scheduled:updated",
      tag: 'scheduled',
      auth: true,
      params: ScheduledParams,
      body: UpdateScheduledBody,
      responses: { 200: { description: 'As changed', schema: ScheduledResponse } },
      // 409: it is being sent right now.
      errors: [404, 409],
      handler: async ({ caller, params, body }) => ({ status: 200, body: { scheduled: await scheduled.update(caller.userId, params.id, body) } })
    }),
    defineRoute({
      method: 'delete',
      path: '/scheduled/:id',
      summary: 'Delete a scheduled message before it is sent',
      tag: 'scheduled',
      auth: true,
      params: ScheduledParams,
      responses: { 204: { description: 'Deleted' } },
      errors: [404, 409],
      handler: async ({ caller, params }) => {
        await scheduled.cancel(caller.userId, params.id)
        return { status: 204 }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/scheduled/:id/send',
      summary: 'Send a scheduled message now (also a failed one, to try again); the members get message:new',
      tag: 'scheduled',
      auth: true,
      params: ScheduledParams,
      body: SendScheduledNowBody,
      responses: { 200: { description: 'Sent', schema: MessageResponse } },
      // 403/404: the sender is no longer a member, or the conversation is gone (the record is kept as failed).
      errors: [403, 404, 409, 429],
      handler: async ({ caller, params }) => ({ status: 200, body: { message: await scheduled.sendNow(caller.userId, params.id) } })
    })
  ]
}
