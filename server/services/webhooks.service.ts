// Incoming webhooks (issue 21 item 6). A group or room admin makes one; its
// bot user joins the conversation (a system message says so) and anything
// holding the URL posts there through the normal send path. The token is
// kept as its SHA-256 only and shown once, as GitHub shows its tokens: a
// copied database or backup cannot post, and a lost URL is revoked and made
// again. Posts are limited per webhook (a burst and a rate, in Redis with
// several nodes).
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { CreateWebhookBody, CreatedWebhook, HookBody, Webhook } from '../../src/shared/schemas/webhooks'
import type { Message } from '../../src/shared/schemas/messages'
import { createBurstyLimiter, takeOrRefuse, type BurstyLimitOptions } from '../cluster/limits'
import type { RedisLink } from '../cluster/redis'
import { forbidden, notFound } from '../errors'
import type { WebhookRecord } from '../store/records'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'
import type { GroupChange, GroupService } from './groups.service'
import type { MessageResult, MessageService } from './messages.service'
import { newBotUser } from './bot-users'

export type WebhookLimit = Omit<BurstyLimitOptions, 'keyPrefix'>

/**
 * One post a second sustained, 20 more a minute for a burst (a CI run
 * finishing several jobs at once), as Slack allows about one a second.
 */
export const DEFAULT_WEBHOOK_LIMIT: WebhookLimit = {
  rate: { points: 5, durationMs: 5_000 },
  burst: { points: 20, durationMs: 60_000 }
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

const toWebhook = (r: WebhookRecord): Webhook => ({
  id: r.id,
  conversationId: r.conversationId,
  name: r.name,
  botUserId: r.botUserId,
  createdBy: r.createdBy,
  createdAt: r.createdAt
})

export class WebhookService {
  private readonly limiter

  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly groups: GroupService,
    private readonly messages: MessageService,
    limit: WebhookLimit,
    redis: RedisLink | null,
    private readonly now: () => number
  ) {
    this.limiter = createBurstyLimiter({ ...limit, keyPrefix: 'webhooks' }, redis)
  }

  /** Group and room admins only; `base` is this server's address as the caller reached it. */
  async create(actorId: string, conversationId: string, body: CreateWebhookBody, base: string): Promise<{ webhook: CreatedWebhook; change: GroupChange }> {
    await this.requireAdmin(conversationId, actorId)
    const bot = await newBotUser(this.store, 'hook', body.name, this.now())
    const token = randomBytes(24).toString('base64url')
    const record: WebhookRecord = {
      id: randomUUID(),
      conversationId,
      name: body.name,
      botUserId: bot.id,
      tokenHash: hashToken(token),
      createdBy: actorId,
      createdAt: new Date(this.now()).toISOString()
    }
    await this.store.webhooks.create(record)
    const change = await this.groups.addBot(actorId, conversationId, bot.id)
    return { webhook: { ...toWebhook(record), token, url: `${base}/api/v1/hooks/${token}` }, change }
  }

  async list(actorId: string, conversationId: string): Promise<Webhook[]> {
    await this.requireAdmin(conversationId, actorId)
    return (await this.store.webhooks.forConversation(conversationId)).map(toWebhook)
  }

  /** Revoked at once: the next post with its token is refused; its bot leaves the conversation. */
  async revoke(actorId: string, conversationId: string, webhookId: string): Promise<GroupChange | null> {
    await this.requireAdmin(conversationId, actorId)
    const hook = await this.store.webhooks.byId(webhookId)
    if (hook?.conversationId !== conversationId || !(await this.store.webhooks.delete(webhookId))) throw notFound('webhook')
    return this.groups.removeBot(actorId, conversationId, hook.botUserId)
  }

  /** A post to the webhook's URL: no account, the token is the key. */
  async post(token: string, body: HookBody): Promise<MessageResult & { created: boolean; message: Message }> {
    const hook = await this.store.webhooks.byTokenHash(hashToken(token))
    if (!hook) throw notFound('webhook (the token is wrong, or the webhook was revoked)')
    await takeOrRefuse(this.limiter, hook.id, 'this webhook posted too many messages')
    // icon_url is accepted but not shown: the window loads nothing from outside addresses, so the bot shows its initials.
    return this.messages.send(hook.botUserId, hook.conversationId, { clientId: randomUUID(), text: body.text }, { name: body.username ?? hook.name, iconUrl: null })
  }

  private async requireAdmin(conversationId: string, actorId: string): Promise<void> {
    const { conversation, membership } = await this.conversations.requireMembership(conversationId, actorId)
    if (conversation.kind === 'direct') throw forbidden('webhooks are for groups and rooms, not direct chats')
    if (membership.role !== 'admin') throw forbidden('only group admins can manage webhooks')
  }
}
