import { BotListResponse, BotResponse, CreatedBotTokenResponse } from '../../../shared/schemas/bots'
import { CreatedWebhookResponse, WebhookListResponse } from '../../../shared/schemas/webhooks'
import type { ClientCore } from '../client'
import { fromServer } from '../server-data'
import type { HandlersFor } from './index'

export type BotMethod = 'admin.bots' | 'admin.createBot' | 'admin.updateBot' | 'admin.deleteBot' | 'admin.createBotToken' | 'admin.revokeBotToken'

/**
 * Issue 21 item 6: a conversation's webhooks (its admins) and bot accounts
 * (server admins). Management, so online only and nothing cached; the bots'
 * memberships reach the cache as any member added or removed.
 */
export function hookHandlers(core: ClientCore): HandlersFor<'webhooks'> & Pick<HandlersFor<'admin'>, BotMethod> {
  const request = (...args: Parameters<ReturnType<ClientCore['ctx']>['session']['request']>) => core.ctx().session.request<unknown>(...args)
  const hooks = (conversationId: string) => `/conversations/${conversationId}/webhooks`
  return {
    'webhooks.list': async ({ conversationId }) => fromServer(WebhookListResponse, await request('GET', hooks(conversationId)), 'webhook list').webhooks,
    'webhooks.create': async ({ conversationId, name }) =>
      fromServer(CreatedWebhookResponse, await request('POST', hooks(conversationId), { body: { name } }), 'webhook').webhook,
    'webhooks.revoke': async ({ conversationId, webhookId }) => {
      await request('DELETE', `${hooks(conversationId)}/${webhookId}`)
      return null
    },
    'admin.bots': async () => fromServer(BotListResponse, await request('GET', '/admin/bots'), 'bot list').bots,
    'admin.createBot': async (body) => fromServer(BotResponse, await request('POST', '/admin/bots', { body }), 'bot').bot,
    'admin.updateBot': async ({ botId, patch }) => fromServer(BotResponse, await request('PATCH', `/admin/bots/${botId}`, { body: patch }), 'bot').bot,
    'admin.deleteBot': async ({ botId }) => {
      await request('DELETE', `/admin/bots/${botId}`)
      return null
    },
    'admin.createBotToken': async ({ botId }) => fromServer(CreatedBotTokenResponse, await request('POST', `/admin/bots/${botId}/tokens`), 'bot token'),
    'admin.revokeBotToken': async ({ botId, tokenId }) => {
      await request('DELETE', `/admin/bots/${botId}/tokens/${tokenId}`)
      return null
    }
  }
}
