import type { FileRecord } from '../records'
import type { FileRepo, UploadProgress, UploadState } from '../types'
import { iso, setPresent } from './columns'
import { query, type Pool } from './pool'
import type { SessionMark } from './session-mark'

interface FileRow {
  id: string
  conversation_id: string
  uploader_id: string
  name: string
  size: number
  type: string
  sha256: string | null
  width: number | null
  height: number | null
  thumbnail: string | null
  created_at: Date
  complete: boolean
  attached: boolean | null
}

const FILE = 'id, conversation_id, uploader_id, name, size, type, sha256, width, height, thumbnail, created_at, complete, attached'

function toFile(row: FileRow): FileRecord {
  const record: FileRecord = {
    id: row.id,
    conversationId: row.conversation_id,
    uploaderId: row.uploader_id,
    name: row.name,
    size: row.size,
    type: row.type,
    createdAt: iso(row.created_at),
    complete: row.complete
  }
  setPresent(record, 'sha256', row.sha256)
  setPresent(record, 'width', row.width)
  setPresent(record, 'height', row.height)
  setPresent(record, 'thumbnail', row.thumbnail)
  setPresent(record, 'attached', row.attached)
  return record
}

/** A lease's expiry, `$n` milliseconds from now on the database's clock (one clock for every node). */
const until = (n: number): string => `clock_timestamp() + $${n} * interval '1 millisecond'`
const FREE = 'messenger_lease_free(lease, lease_node, lease_until)'
const TRACKED = 'NOT complete AND upload_offset IS NOT NULL'

export class PgFileRepo implements FileRepo {
  constructor(
    private readonly pool: Pool,
    /** This node's life, which its leases name: they lapse when it dies. */
    private readonly session: SessionMark
  ) {}

  async get(id: string): Promise<FileRecord | undefined> {
    const { rows } = await query<FileRow>(this.pool, `SELECT ${FILE} FROM files WHERE id = $1`, [id])
    return rows[0] && toFile(rows[0])
  }

  async incomplete(): Promise<FileRecord[]> {
    const { rows } = await query<FileRow>(this.pool, `SELECT ${FILE} FROM files WHERE NOT complete ORDER BY ord`)
    return rows.map(toFile)
  }

  async untracked(): Promise<FileRecord[]> {
    const { rows } = await query<FileRow>(this.pool, `SELECT ${FILE} FROM files WHERE NOT complete AND upload_offset IS NULL ORDER BY ord`)
    return rows.map(toFile)
  }

  async usage(userId: string): Promise<number> {
    // sum(bigint) is numeric: cast back so it comes as a number.
    const { rows } = await query<{ bytes: number }>(this.pool, 'SELECT coalesce(sum(size), 0)::bigint AS bytes FROM files WHERE uploader_id = $1', [userId])
    return rows[0]!.bytes
  }

  async put(record: FileRecord): Promise<void> {
    await query(
      this.pool,
      `INSERT INTO files (${FILE}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (id) DO UPDATE SET conversation_id = excluded.conversation_id, uploader_id = excluded.uploader_id, name = excluded.name,
         size = excluded.size, type = excluded.type, sha256 = excluded.sha256, width = excluded.width, height = excluded.height,
         thumbnail = excluded.thumbnail, created_at = excluded.created_at, complete = excluded.complete, attached = excluded.attached,
         upload_offset = CASE WHEN excluded.complete THEN NULL ELSE files.upload_offset END,
         touched_at = CASE WHEN excluded.complete THEN NULL ELSE files.touched_at END,
         lease = CASE WHEN excluded.complete THEN NULL ELSE files.lease END,
         lease_node = CASE WHEN excluded.complete THEN NULL ELSE files.lease_node END,
         lease_until = CASE WHEN excluded.complete THEN NULL ELSE files.lease_until END`,
      [
        record.id,
        record.conversationId,
        record.uploaderId,
        record.name,
        record.size,
        record.type,
        record.sha256 ?? null,
        record.width ?? null,
        record.height ?? null,
        record.thumbnail ?? null,
        record.createdAt,
        record.complete,
        record.attached ?? null
      ]
    )
  }

  async attach(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    // Only records that say `attached: false`; older ones (no flag) stay as they are.
    await query(this.pool, 'UPDATE files SET attached = true WHERE id = ANY($1::text[]) AND attached = false', [[...ids]])
  }

  async delete(id: string): Promise<void> {
    await query(this.pool, 'DELETE FROM files WHERE id = $1', [id])
  }

  async track(id: string, progress: UploadProgress): Promise<void> {
    await query(this.pool, 'UPDATE files SET upload_offset = $2, touched_at = $3 WHERE id = $1 AND NOT complete AND upload_offset IS NULL', [
      id,
      progress.offset,
      progress.touchedAt
    ])
  }

  async upload(id: string): Promise<UploadState | undefined> {
    const { rows } = await query<{ offset: number; touched_at: number; free: boolean }>(
      this.pool,
      `SELECT upload_offset AS offset, touched_at, ${FREE} AS free FROM files WHERE id = $1 AND ${TRACKED}`,
      [id]
    )
    const row = rows[0]
    return row && { offset: row.offset, touchedAt: row.touched_at, writing: !row.free }
  }

  async claim(id: string, lease: string, ttlMs: number): Promise<UploadProgress | 'busy' | undefined> {
    const node = await this.session.key()
    const { rows } = await query<{ offset: number; touched_at: number }>(
      this.pool,
      `UPDATE files SET lease = $2, lease_node = $3, lease_until = ${until(4)}
       WHERE id = $1 AND ${TRACKED} AND ${FREE}
       RETURNING upload_offset AS offset, touched_at`,
      [id, lease, node, ttlMs]
    )
    const row = rows[0]
    if (row) return { offset: row.offset, touchedAt: row.touched_at }
    return (await this.upload(id)) ? 'busy' : undefined
  }

  async renew(id: string, lease: string, ttlMs: number, progress: UploadProgress): Promise<boolean> {
    const node = await this.session.key()
    const { rowCount } = await query(
      this.pool,
      `UPDATE files SET lease_node = $3, lease_until = ${until(4)}, upload_offset = $5, touched_at = $6
       WHERE id = $1 AND NOT complete AND lease = $2`,
      [id, lease, node, ttlMs, progress.offset, progress.touchedAt]
    )
    return rowCount === 1
  }

  async release(id: string, lease: string, progress?: UploadProgress): Promise<void> {
    await query(
      this.pool,
      `UPDATE files SET lease = NULL, lease_node = NULL, lease_until = NULL,
         upload_offset = coalesce($3, upload_offset), touched_at = coalesce($4, touched_at)
       WHERE id = $1 AND NOT complete AND lease = $2`,
      [id, lease, progress?.offset ?? null, progress?.touchedAt ?? null]
    )
  }

  async idle(before: number, uploaderId?: string): Promise<string[]> {
    const { rows } = await query<{ id: string }>(
      this.pool,
      `SELECT id FROM files WHERE ${TRACKED} AND touched_at < $1 AND ($2::text IS NULL OR uploader_id = $2) AND ${FREE} ORDER BY ord`,
      [before, uploaderId ?? null]
    )
    return rows.map((r) => r.id)
  }

  async deleteIdle(id: string, before: number): Promise<boolean> {
    const { rowCount } = await query(this.pool, `DELETE FROM files WHERE id = $1 AND ${TRACKED} AND touched_at < $2 AND ${FREE}`, [id, before])
    return rowCount === 1
  }
}
