// Issue 21: webhooks, bots and bot tokens on PostgreSQL (016_webhooks_bots).
import type { BotRecord, BotTokenRecord, WebhookRecord } from '../records'
import type { BotRepo, WebhookRepo } from '../types'
import { iso } from './columns'
import { query, type Pool } from './pool'

interface WebhookRow {
  id: string
  conversation_id: string
  name: string
  bot_user_id: string
  token_hash: string
  created_by: string
  created_at: Date
}

const HOOK_COLUMNS = 'id, conversation_id, name, bot_user_id, token_hash, created_by, created_at'

const toWebhook = (row: WebhookRow): WebhookRecord => ({
  id: row.id,
  conversationId: row.conversation_id,
  name: row.name,
  botUserId: row.bot_user_id,
  tokenHash: row.token_hash,
  createdBy: row.created_by,
  createdAt: iso(row.created_at)
})

export class PgWebhookRepo implements WebhookRepo {
  constructor(private readonly pool: Pool) {}

  async create(hook: WebhookRecord): Promise<void> {
    await query(this.pool, `INSERT INTO webhooks (${HOOK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      hook.id,
      hook.conversationId,
      hook.name,
      hook.botUserId,
      hook.tokenHash,
      hook.createdBy,
      hook.createdAt
    ])
  }

  private async one(where: string, value: string): Promise<WebhookRecord | undefined> {
    const { rows } = await query<WebhookRow>(this.pool, `SELECT ${HOOK_COLUMNS} FROM webhooks WHERE ${where} = $1`, [value])
    return rows[0] && toWebhook(rows[0])
  }

  byId(id: string): Promise<WebhookRecord | undefined> {
    return this.one('id', id)
  }

  byTokenHash(hash: string): Promise<WebhookRecord | undefined> {
    return this.one('token_hash', hash)
  }

  async forConversation(conversationId: string): Promise<WebhookRecord[]> {
    const { rows } = await query<WebhookRow>(this.pool, `SELECT ${HOOK_COLUMNS} FROM webhooks WHERE conversation_id = $1 ORDER BY created_at, id`, [
      conversationId
    ])
    return rows.map(toWebhook)
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM webhooks WHERE id = $1', [id])
    return rowCount === 1
  }
}

interface BotRow {
  user_id: string
  created_by: string
  created_at: Date
}

interface BotTokenRow {
  id: string
  bot_id: string
  hash: string
  created_by: string
  created_at: Date
}

const toBot = (row: BotRow): BotRecord => ({ userId: row.user_id, createdBy: row.created_by, createdAt: iso(row.created_at) })
const toToken = (row: BotTokenRow): BotTokenRecord => ({
  id: row.id,
  botId: row.bot_id,
  hash: row.hash,
  createdBy: row.created_by,
  createdAt: iso(row.created_at)
})
const TOKEN_COLUMNS = 'id, bot_id, hash, created_by, created_at'

export class PgBotRepo implements BotRepo {
  constructor(private readonly pool: Pool) {}

  async create(bot: BotRecord): Promise<void> {
    await query(this.pool, 'INSERT INTO bots (user_id, created_by, created_at) VALUES ($1, $2, $3)', [bot.userId, bot.createdBy, bot.createdAt])
  }

  async byId(userId: string): Promise<BotRecord | undefined> {
    const { rows } = await query<BotRow>(this.pool, 'SELECT user_id, created_by, created_at FROM bots WHERE user_id = $1', [userId])
    return rows[0] && toBot(rows[0])
  }

  async all(): Promise<BotRecord[]> {
    const { rows } = await query<BotRow>(this.pool, 'SELECT user_id, created_by, created_at FROM bots ORDER BY created_at, user_id')
    return rows.map(toBot)
  }

  async delete(userId: string): Promise<boolean> {
    // Its tokens go with it (ON DELETE CASCADE).
    const { rowCount } = await query(this.pool, 'DELETE FROM bots WHERE user_id = $1', [userId])
    return rowCount === 1
  }

  async addToken(token: BotTokenRecord): Promise<void> {
    await query(this.pool, `INSERT INTO bot_tokens (${TOKEN_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
      token.id,
      token.botId,
      token.hash,
      token.createdBy,
      token.createdAt
    ])
  }

  private async token(where: string, value: string): Promise<BotTokenRecord | undefined> {
    const { rows } = await query<BotTokenRow>(this.pool, `SELECT ${TOKEN_COLUMNS} FROM bot_tokens WHERE ${where} = $1`, [value])
    return rows[0] && toToken(rows[0])
  }

  tokenByHash(hash: string): Promise<BotTokenRecord | undefined> {
    return this.token('hash', hash)
  }

  tokenById(id: string): Promise<BotTokenRecord | undefined> {
    return this.token('id', id)
  }

  async tokens(botId: string): Promise<BotTokenRecord[]> {
    const { rows } = await query<BotTokenRow>(this.pool, `SELECT ${TOKEN_COLUMNS} FROM bot_tokens WHERE bot_id = $1 ORDER BY created_at, id`, [botId])
    return rows.map(toToken)
  }

  async deleteToken(botId: string, tokenId: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM bot_tokens WHERE id = $1 AND bot_id = $2', [tokenId, botId])
    return rowCount === 1
  }
}
