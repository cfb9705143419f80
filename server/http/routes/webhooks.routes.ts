// Issue 21 item 6: a conversation's incoming webhooks (group and room admins)
// and the URL they are posted to (no account: the token in the path is the key).
import { ConversationParams } from '../../../src/shared/schemas/conversations'
import { MessageResponse } from '../../../src/shared/schemas/messages'
import { CreatedWebhookResponse, CreateWebhookBody, HookBody, HookParams, WebhookListResponse, WebhookParams } from '../../../src/shared/schemas/webhooks'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

export function webhookRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { webhooks } = services
  return [
    defineRoute({
      method: 'post',
      path: '/conversations/:id/webhooks',
      summary: 'Make an incoming webhook for a group or room (its admins); the URL with its token is shown only in this answer',
      tag: 'webhooks',
      auth: true,
      params: ConversationParams,
      body: CreateWebhookBody,
      responses: { 201: { description: 'The webhook with its token and URL (shown once: only its hash is kept)', schema: CreatedWebhookResponse } },
      errors: [403, 404],
      handler: async ({ caller, params, body, req }) => {
        const { webhook, change } = await webhooks.create(caller.userId, params.id, body, `${req.protocol}://${req.get('host') ?? 'localhost'}`)
        // Its bot joined: the members hear of it before the answer, as any member added.
        await realtime.groupChanged(change)
        return { status: 201, body: { webhook } }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/webhooks',
      summary: "A group's or room's webhooks, without their tokens (its admins)",
      tag: 'webhooks',
      auth: true,
      params: ConversationParams,
      responses: { 200: { description: 'Oldest first', schema: WebhookListResponse } },
      errors: [403, 404],
      handler: async ({ caller, params }) => ({ status: 200, body: { webhooks: await webhooks.list(caller.userId, params.id) } })
    }),
    defineRoute({
      method: 'delete',
      path: '/conversations/:id/webhooks/:webhookId',
      summary: 'Revoke a webhook at once: its URL is refused from now on and its bot leaves (its admins)',
      tag: 'webhooks',
      auth: true,
      params: WebhookParams,
      responses: { 204: { description: 'Revoked' } },
      errors: [403, 404],
      handler: async ({ caller, params }) => {
        const change = await webhooks.revoke(caller.userId, params.id, params.webhookId)
        if (change) await realtime.groupChanged(change)
        return { status: 204 }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/hooks/:token',
      summary: "Post into the webhook's conversation as its bot: JSON { text, username?, icon_url? } as Slack's incoming webhooks take (no sign-in)",
      tag: 'webhooks',
      auth: false,
      params: HookParams,
      body: HookBody,
      formPayload: true,
      responses: { 201: { description: 'Stored and sent to the members', schema: MessageResponse } },
      // 404: a wrong or revoked token. 429: the webhook's own budget (a burst and a rate), with retryAfterMs.
      errors: [404, 429],
      handler: async ({ params, body }) => {
        const { message, thread } = await webhooks.post(params.token, body)
        return {
          status: 201,
          body: { message },
          after: () => {
            realtime.messageCreated(message)
            realtime.threadChanged(thread)
          }
        }
      }
    })
  ]
}
