// Bot accounts (issue 21 item 6), managed by server admins. A bot is a user
// with bot = true that never signs in; its tokens are opaque secrets kept as
// their SHA-256 and shown once. What a token may reach is its bot's
// memberships (the conversations the admin chose) and the routes and socket
// events marked for bots (router.ts, realtime/io.ts): read and send.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { Bot, BotToken, CreateBotBody, CreatedBotTokenResponse, UpdateBotBody } from '../../src/shared/schemas/bots'
import { AppError, notFound } from '../errors'
import type { BotRecord, BotTokenRecord } from '../store/records'
import type { Store } from '../store/types'
import { newBotUser } from './bot-users'
import type { GroupChange, GroupService } from './groups.service'
import { BOT_TOKEN_PREFIX, botSessionId, type AccessClaims, type BotTokenCheck } from './tokens'
import { toPublicUser } from './users.service'

const sha256 = (secret: string): string => createHash('sha256').update(secret).digest('hex')
const toToken = (t: BotTokenRecord): BotToken => ({ id: t.id, createdAt: t.createdAt, createdBy: t.createdBy })

/** A bot change and the group changes it made (announced by the route), and sessions to cut. */
export interface BotChange {
  bot: Bot
  changes: GroupChange[]
}

export class BotService implements BotTokenCheck {
  constructor(
    private readonly store: Store,
    private readonly groups: GroupService,
    private readonly now: () => number
  ) {}

  async list(): Promise<Bot[]> {
    return Promise.all((await this.store.bots.all()).map((b) => this.view(b)))
  }

  async create(adminId: string, body: CreateBotBody): Promise<BotChange> {
    const user = await newBotUser(this.store, 'bot', body.displayName, this.now(), body.username)
    const record: BotRecord = { userId: user.id, createdBy: adminId, createdAt: user.createdAt }
    await this.store.bots.create(record)
    const changes = await this.scope(adminId, user.id, body.conversationIds ?? [])
    return { bot: await this.view(record), changes }
  }

  async update(adminId: string, botId: string, body: UpdateBotBody): Promise<BotChange> {
    const record = await this.require(botId)
    if (body.displayName !== undefined) await this.store.users.update(botId, { displayName: body.displayName })
    const changes = body.conversationIds === undefined ? [] : await this.scope(adminId, botId, body.conversationIds)
    return { bot: await this.view(record), changes }
  }

  /** The bot leaves its conversations, its tokens stop at once, its account stays disabled (history still names it). */
  async delete(adminId: string, botId: string): Promise<{ changes: GroupChange[]; sessions: string[] }> {
    await this.require(botId)
    const sessions = (await this.store.bots.tokens(botId)).map((t) => botSessionId(t.id))
    const changes = await this.scope(adminId, botId, [])
    await this.store.bots.delete(botId)
    await this.store.users.update(botId, { disabledAt: new Date(this.now()).toISOString() })
    return { changes, sessions }
  }

  async createToken(adminId: string, botId: string): Promise<CreatedBotTokenResponse> {
    await this.require(botId)
    const secret = `${BOT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`
    const token: BotTokenRecord = { id: randomUUID(), botId, hash: sha256(secret), createdBy: adminId, createdAt: new Date(this.now()).toISOString() }
    await this.store.bots.addToken(token)
    return { token: toToken(token), secret }
  }

  /** Answers the session id whose sockets are cut. */
  async revokeToken(botId: string, tokenId: string): Promise<string> {
    await this.require(botId)
    if (!(await this.store.bots.deleteToken(botId, tokenId))) throw notFound('bot token')
    return botSessionId(tokenId)
  }

  async authenticate(secret: string): Promise<AccessClaims> {
    const token = await this.store.bots.tokenByHash(sha256(secret))
    if (!token) throw new AppError('invalid_token', 'this bot token is not valid (wrong, or revoked by a server admin)')
    return { userId: token.botId, sessionId: botSessionId(token.id), bot: true }
  }

  async isLive(tokenId: string): Promise<boolean> {
    return (await this.store.bots.tokenById(tokenId)) !== undefined
  }

  private async require(botId: string): Promise<BotRecord> {
    const record = await this.store.bots.byId(botId)
    if (!record) throw notFound('bot')
    return record
  }

  /** Makes the bot a member of exactly `conversationIds` (groups and rooms), recording each addition and removal. */
  private async scope(adminId: string, botId: string, conversationIds: string[]): Promise<GroupChange[]> {
    const wanted = new Set(conversationIds)
    const current = (await this.store.conversations.forUser(botId)).map((c) => c.id)
    const changes: GroupChange[] = []
    for (const id of wanted) if (!current.includes(id)) changes.push(await this.groups.addBot(adminId, id, botId))
    for (const id of current) {
      if (wanted.has(id)) continue
      const change = await this.groups.removeBot(adminId, id, botId)
      if (change) changes.push(change)
    }
    return changes
  }

  private async view(record: BotRecord): Promise<Bot> {
    const user = await this.store.users.byId(record.userId)
    if (!user) throw notFound('bot')
    return {
      user: toPublicUser(user),
      conversationIds: (await this.store.conversations.forUser(record.userId)).map((c) => c.id),
      tokens: (await this.store.bots.tokens(record.userId)).map(toToken),
      createdBy: record.createdBy,
      createdAt: record.createdAt
    }
  }
}
