import type { ScheduledRecord } from '../records'
import type { ScheduledRepo } from '../types'
import { query, type Pool } from './pool'

interface Row {
  body: ScheduledRecord
}

export class PgScheduledRepo implements ScheduledRepo {
  constructor(private readonly pool: Pool) {}

  async forUser(userId: string): Promise<ScheduledRecord[]> {
    const { rows } = await query<Row>(this.pool, 'SELECT body FROM scheduled_messages WHERE user_id = $1 ORDER BY send_at, id', [userId])
    return rows.map((r) => r.body)
  }

  async get(id: string): Promise<ScheduledRecord | undefined> {
    const { rows } = await query<Row>(this.pool, 'SELECT body FROM scheduled_messages WHERE id = $1', [id])
    return rows[0]?.body
  }

  async count(userId: string): Promise<number> {
    const { rows } = await query<{ n: string }>(this.pool, 'SELECT count(*) AS n FROM scheduled_messages WHERE user_id = $1', [userId])
    return Number(rows[0]?.n ?? 0)
  }

  async put(record: ScheduledRecord): Promise<void> {
    // An edit leaves a running claim as it is (the service refuses edits while one runs).
    await query(
      this.pool,
      `INSERT INTO scheduled_messages (id, user_id, send_at, failed, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET send_at = excluded.send_at, failed = excluded.failed, body = excluded.body`,
      [record.id, record.userId, record.sendAt, record.failed !== undefined, JSON.stringify(record)]
    )
  }

  async remove(id: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM scheduled_messages WHERE id = $1', [id])
    return rowCount === 1
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<ScheduledRecord[]> {
    // SKIP LOCKED: nodes claiming at once take different rows instead of waiting on each other's.
    const { rows } = await query<Row>(
      this.pool,
      `UPDATE scheduled_messages SET claimed_until = $2
       WHERE id IN (
         SELECT id FROM scheduled_messages
         WHERE NOT failed AND send_at <= to_timestamp($1::double precision / 1000) AND claimed_until <= $1
         ORDER BY send_at LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING body`,
      [now, now + leaseMs, limit]
    )
    return rows.map((r) => r.body).sort((a, b) => Date.parse(a.sendAt) - Date.parse(b.sendAt))
  }

  async claim(id: string, now: number, leaseMs: number): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'UPDATE scheduled_messages SET claimed_until = $3 WHERE id = $1 AND claimed_until <= $2', [id, now, now + leaseMs])
    return rowCount === 1
  }

  async claimed(id: string, now: number): Promise<boolean> {
    const { rows } = await query<{ claimed_until: string }>(this.pool, 'SELECT claimed_until FROM scheduled_messages WHERE id = $1', [id])
    return Number(rows[0]?.claimed_until ?? 0) > now
  }

  async release(id: string): Promise<void> {
    await query(this.pool, 'UPDATE scheduled_messages SET claimed_until = 0 WHERE id = $1', [id])
  }
}
