import { notFound } from '../../errors'
import type { DraftRecord } from '../records'
import type { DraftRepo } from '../types'
import { iso } from './columns'
import { query, type Pool } from './pool'

interface DraftRow {
  user_id: string
  conversation_id: string
  thread_root: string
  text: string
  reply_to: string | null
  updated_at: Date
}

const COLUMNS = 'user_id, conversation_id, thread_root, text, reply_to, updated_at'

const toDraft = (row: DraftRow): DraftRecord => ({
  userId: row.user_id,
  conversationId: row.conversation_id,
  threadRoot: Number(row.thread_root) || null,
  text: row.text,
  replyTo: row.reply_to === null ? null : Number(row.reply_to),
  updatedAt: iso(row.updated_at)
})

/** thread_root 0 is the conversation's composer (a key column cannot be NULL). */
const root = (threadRoot: number | null): number => threadRoot ?? 0

export class PgDraftRepo implements DraftRepo {
  constructor(private readonly pool: Pool) {}

  async forUser(userId: string): Promise<DraftRecord[]> {
    const { rows } = await query<DraftRow>(this.pool, `SELECT ${COLUMNS} FROM drafts WHERE user_id = $1`, [userId])
    return rows.map(toDraft)
  }

  async get(userId: string, conversationId: string, threadRoot: number | null): Promise<DraftRecord | undefined> {
    const { rows } = await query<DraftRow>(
      this.pool,
      `SELECT ${COLUMNS} FROM drafts WHERE user_id = $1 AND conversation_id = $2 AND thread_root = $3`,
      [userId, conversationId, root(threadRoot)]
    )
    return rows[0] && toDraft(rows[0])
  }

  async put(draft: DraftRecord): Promise<{ draft: DraftRecord; written: boolean }> {
    // Newest wins in the statement itself: a row as new or newer is left as it is.
    try {
      const { rows } = await query<DraftRow>(
        this.pool,
        `INSERT INTO drafts AS d (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (user_id, conversation_id, thread_root) DO UPDATE
           SET text = excluded.text, reply_to = excluded.reply_to, updated_at = excluded.updated_at
           WHERE d.updated_at < excluded.updated_at
         RETURNING ${COLUMNS}`,
        [draft.userId, draft.conversationId, root(draft.threadRoot), draft.text, draft.replyTo, draft.updatedAt]
      )
      if (rows[0]) return { draft: toDraft(rows[0]), written: true }
    } catch (err) {
      // The membership went meanwhile (the draft's foreign key).
      if ((err as { code?: unknown }).code === '23503') throw notFound('conversation')
      throw err
    }
    const stored = await this.get(draft.userId, draft.conversationId, draft.threadRoot)
    return { draft: stored ?? draft, written: false }
  }

  async clear(userId: string, conversationId: string, threadRoot: number | null): Promise<DraftRecord | undefined> {
    const { rows } = await query<DraftRow>(
      this.pool,
      `UPDATE drafts SET text = '', reply_to = NULL
       WHERE user_id = $1 AND conversation_id = $2 AND thread_root = $3 AND (text <> '' OR reply_to IS NOT NULL)
       RETURNING ${COLUMNS}`,
      [userId, conversationId, root(threadRoot)]
    )
    return rows[0] && toDraft(rows[0])
  }

  async count(userId: string): Promise<number> {
    const { rows } = await query<{ n: string }>(
      this.pool,
      `SELECT count(*) AS n FROM drafts WHERE user_id = $1 AND (text <> '' OR reply_to IS NOT NULL)`,
      [userId]
    )
    return Number(rows[0]?.n ?? 0)
  }
}
