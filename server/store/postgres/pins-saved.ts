// Issue 20: pins and saved messages on PostgreSQL (migration 010).
import type { PinRecord, SavedRecord } from '../records'
import type { PinRepo, SavedRepo } from '../types'
import { iso } from './columns'
import { query, type Pool } from './pool'

interface PinRow {
  conversation_id: string
  seq: string
  pinned_by: string
  pinned_at: Date
}

interface SavedRow {
  user_id: string
  conversation_id: string
  seq: string
  saved_at: Date
}

const toPin = (row: PinRow): PinRecord => ({
  conversationId: row.conversation_id,
  seq: Number(row.seq),
  pinnedBy: row.pinned_by,
  pinnedAt: iso(row.pinned_at)
})

const toSaved = (row: SavedRow): SavedRecord => ({
  userId: row.user_id,
  conversationId: row.conversation_id,
  seq: Number(row.seq),
  savedAt: iso(row.saved_at)
})

export class PgPinRepo implements PinRepo {
  constructor(private readonly pool: Pool) {}

  async list(conversationId: string): Promise<PinRecord[]> {
    const { rows } = await query<PinRow>(
      this.pool,
      'SELECT conversation_id, seq, pinned_by, pinned_at FROM pins WHERE conversation_id = $1 ORDER BY pinned_at DESC, seq DESC',
      [conversationId]
    )
    return rows.map(toPin)
  }

  async add(pin: PinRecord): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      'INSERT INTO pins (conversation_id, seq, pinned_by, pinned_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [pin.conversationId, pin.seq, pin.pinnedBy, pin.pinnedAt]
    )
    return rowCount === 1
  }

  async remove(conversationId: string, seqs: readonly number[]): Promise<number[]> {
    if (seqs.length === 0) return []
    const { rows } = await query<{ seq: string }>(this.pool, 'DELETE FROM pins WHERE conversation_id = $1 AND seq = ANY($2::bigint[]) RETURNING seq', [
      conversationId,
      seqs
    ])
    return rows.map((r) => Number(r.seq))
  }
}

export class PgSavedRepo implements SavedRepo {
  constructor(private readonly pool: Pool) {}

  async list(userId: string): Promise<SavedRecord[]> {
    const { rows } = await query<SavedRow>(
      this.pool,
      'SELECT user_id, conversation_id, seq, saved_at FROM saved_messages WHERE user_id = $1 ORDER BY ord DESC',
      [userId]
    )
    return rows.map(toSaved)
  }

  async add(record: SavedRecord): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      'INSERT INTO saved_messages (user_id, conversation_id, seq, saved_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [record.userId, record.conversationId, record.seq, record.savedAt]
    )
    return rowCount === 1
  }

  async remove(userId: string, conversationId: string, seq: number): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM saved_messages WHERE user_id = $1 AND conversation_id = $2 AND seq = $3', [
      userId,
      conversationId,
      seq
    ])
    return rowCount === 1
  }
}
