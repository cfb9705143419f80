// Issue 21: webhooks, bots and bot tokens inside the meta store's lowdb
// document (an office has a handful), with indexes by token hash. Each
// change writes the document at once: a revoked token must stay revoked.
import type { BotRecord, BotTokenRecord, DbData, WebhookRecord } from './records'
import type { BotRepo, WebhookRepo } from './types'

const oldestFirst = <T extends { createdAt: string }>(a: T, b: T): number => a.createdAt.localeCompare(b.createdAt)

export class LowWebhookRepo implements WebhookRepo {
  private readonly byHash = new Map<string, string>()

  constructor(
    private readonly data: () => DbData,
    private readonly writeNow: () => Promise<void>
  ) {}

  /** Older documents get the missing collection. */
  load(): void {
    const data = this.data()
    data.webhooks ??= {}
    for (const hook of Object.values(data.webhooks)) this.byHash.set(hook.tokenHash, hook.id)
  }

  private get hooks(): Record<string, WebhookRecord> {
    return this.data().webhooks!
  }

  create: WebhookRepo['create'] = async (webhook) => {
    this.hooks[webhook.id] = webhook
    this.byHash.set(webhook.tokenHash, webhook.id)
    await this.writeNow()
  }

  byId: WebhookRepo['byId'] = async (id) => this.hooks[id]

  byTokenHash: WebhookRepo['byTokenHash'] = async (hash) => {
    const id = this.byHash.get(hash)
    return id === undefined ? undefined : this.hooks[id]
  }

  forConversation: WebhookRepo['forConversation'] = async (conversationId) =>
    Object.values(this.hooks)
      .filter((h) => h.conversationId === conversationId)
      .sort(oldestFirst)

  delete: WebhookRepo['delete'] = async (id) => {
    const hook = this.hooks[id]
    if (!hook) return false
    delete this.hooks[id]
    this.byHash.delete(hook.tokenHash)
    await this.writeNow()
    return true
  }
}

export class LowBotRepo implements BotRepo {
  private readonly byHash = new Map<string, string>()

  constructor(
    private readonly data: () => DbData,
    private readonly writeNow: () => Promise<void>
  ) {}

  load(): void {
    const data = this.data()
    data.bots ??= {}
    data.botTokens ??= {}
    for (const token of Object.values(data.botTokens)) this.byHash.set(token.hash, token.id)
  }

  private get bots(): Record<string, BotRecord> {
    return this.data().bots!
  }

  private get tokenRecords(): Record<string, BotTokenRecord> {
    return this.data().botTokens!
  }

  create: BotRepo['create'] = async (bot) => {
    this.bots[bot.userId] = bot
    await this.writeNow()
  }

  byId: BotRepo['byId'] = async (userId) => this.bots[userId]
  all: BotRepo['all'] = async () => Object.values(this.bots).sort(oldestFirst)

  delete: BotRepo['delete'] = async (userId) => {
    if (!this.bots[userId]) return false
    delete this.bots[userId]
    for (const token of Object.values(this.tokenRecords)) if (token.botId === userId) this.forget(token)
    await this.writeNow()
    return true
  }

  addToken: BotRepo['addToken'] = async (token) => {
    this.tokenRecords[token.id] = token
    this.byHash.set(token.hash, token.id)
    await this.writeNow()
  }

  tokenByHash: BotRepo['tokenByHash'] = async (hash) => {
    const id = this.byHash.get(hash)
    return id === undefined ? undefined : this.tokenRecords[id]
  }

  tokenById: BotRepo['tokenById'] = async (id) => this.tokenRecords[id]

  tokens: BotRepo['tokens'] = async (botId) =>
    Object.values(this.tokenRecords)
      .filter((t) => t.botId === botId)
      .sort(oldestFirst)

  deleteToken: BotRepo['deleteToken'] = async (botId, tokenId) => {
    const token = this.tokenRecords[tokenId]
    if (token?.botId !== botId) return false
    this.forget(token)
    await this.writeNow()
    return true
  }

  private forget(token: BotTokenRecord): void {
    delete this.tokenRecords[token.id]
    this.byHash.delete(token.hash)
  }
}
