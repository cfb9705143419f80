// Threads on PostgreSQL (tables in migrations/009_threads.ts): the same
// answers as the data directory's thread-repo.ts.
import type { ThreadFollowRecord, ThreadReplyRecord } from '../records'
import type { ThreadRepo } from '../types'
import { iso } from './columns'
import { query, transaction, type Pool } from './pool'

interface ReplyRow {
  seq: number | string
  sender_id: string
  created_at: Date
  mentioned: string[]
  mention_all: boolean
}

interface FollowRow {
  conversation_id: string
  root_seq: number | string
  user_id: string
  following: boolean
  read_seq: number | string
}

const FOLLOW = 'conversation_id, root_seq, user_id, following, read_seq'

function toFollow(row: FollowRow): ThreadFollowRecord {
  return { conversationId: row.conversation_id, rootSeq: Number(row.root_seq), userId: row.user_id, following: row.following, readSeq: Number(row.read_seq) }
}

export class PgThreadRepo implements ThreadRepo {
  constructor(private readonly pool: Pool) {}

  async addReply(conversationId: string, rootSeq: number, reply: ThreadReplyRecord, follow: string[], followIfNew: string[]): Promise<void> {
    await transaction(this.pool, async (client) => {
      await query(
        client,
        `INSERT INTO thread_replies (conversation_id, root_seq, seq, sender_id, created_at, mentioned, mention_all)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [conversationId, rootSeq, reply.seq, reply.senderId, reply.createdAt, reply.mentioned, reply.mentionAll]
      )
      if (followIfNew.length) {
        await query(
          client,
          `INSERT INTO thread_follows (conversation_id, root_seq, user_id, following)
           SELECT $1, $2, u, true FROM unnest($3::text[]) AS u ON CONFLICT DO NOTHING`,
          [conversationId, rootSeq, followIfNew]
        )
      }
      if (follow.length) {
        await query(
          client,
          `INSERT INTO thread_follows (conversation_id, root_seq, user_id, following)
           SELECT $1, $2, u, true FROM unnest($3::text[]) AS u ON CONFLICT (conversation_id, root_seq, user_id) DO UPDATE SET following = true`,
          [conversationId, rootSeq, follow]
        )
      }
      await this.read(client, conversationId, rootSeq, reply.senderId, reply.seq)
    })
  }

  async removeReply(conversationId: string, rootSeq: number, seq: number): Promise<void> {
    await query(this.pool, 'DELETE FROM thread_replies WHERE conversation_id = $1 AND root_seq = $2 AND seq = $3', [conversationId, rootSeq, seq])
  }

  async replies(conversationId: string, rootSeq: number): Promise<ThreadReplyRecord[]> {
    const { rows } = await query<ReplyRow>(
      this.pool,
      'SELECT seq, sender_id, created_at, mentioned, mention_all FROM thread_replies WHERE conversation_id = $1 AND root_seq = $2 ORDER BY seq',
      [conversationId, rootSeq]
    )
    return rows.map((r) => ({ seq: Number(r.seq), senderId: r.sender_id, createdAt: iso(r.created_at), mentioned: r.mentioned, mentionAll: r.mention_all }))
  }

  async follows(conversationId: string, rootSeq: number): Promise<ThreadFollowRecord[]> {
    const { rows } = await query<FollowRow>(this.pool, `SELECT ${FOLLOW} FROM thread_follows WHERE conversation_id = $1 AND root_seq = $2`, [
      conversationId,
      rootSeq
    ])
    return rows.map(toFollow)
  }

  async follow(conversationId: string, rootSeq: number, userId: string, following: boolean): Promise<ThreadFollowRecord> {
    const { rows } = await query<FollowRow>(
      this.pool,
      `INSERT INTO thread_follows (conversation_id, root_seq, user_id, following) VALUES ($1, $2, $3, $4)
       ON CONFLICT (conversation_id, root_seq, user_id) DO UPDATE SET following = excluded.following RETURNING ${FOLLOW}`,
      [conversationId, rootSeq, userId, following]
    )
    return toFollow(rows[0]!)
  }

  markRead(conversationId: string, rootSeq: number, userId: string, seq: number): Promise<ThreadFollowRecord> {
    return this.read(this.pool, conversationId, rootSeq, userId, seq)
  }

  async followedBy(userId: string): Promise<ThreadFollowRecord[]> {
    const { rows } = await query<FollowRow>(this.pool, `SELECT ${FOLLOW} FROM thread_follows WHERE user_id = $1 AND following`, [userId])
    return rows.map(toFollow)
  }

  /** Moves a read position forward (never back), making the record if missing; the record as it is now. */
  private async read(db: Parameters<typeof query>[0], conversationId: string, rootSeq: number, userId: string, seq: number): Promise<ThreadFollowRecord> {
    const { rows } = await query<FollowRow>(
      db,
      `INSERT INTO thread_follows AS f (conversation_id, root_seq, user_id, following, read_seq) VALUES ($1, $2, $3, false, $4)
       ON CONFLICT (conversation_id, root_seq, user_id) DO UPDATE SET read_seq = GREATEST(f.read_seq, excluded.read_seq) RETURNING ${FOLLOW}`,
      [conversationId, rootSeq, userId, seq]
    )
    return toFollow(rows[0]!)
  }
}
