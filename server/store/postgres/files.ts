import type { FileRecord } from '../records'
import type { FileRepo } from '../types'
import { iso, setPresent } from './columns'
import { query, type Pool } from './pool'

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

export class PgFileRepo implements FileRepo {
  constructor(private readonly pool: Pool) {}

  async get(id: string): Promise<FileRecord | undefined> {
    const { rows } = await query<FileRow>(this.pool, `SELECT ${FILE} FROM files WHERE id = $1`, [id])
    return rows[0] && toFile(rows[0])
  }

  async incomplete(): Promise<FileRecord[]> {
    const { rows } = await query<FileRow>(this.pool, `SELECT ${FILE} FROM files WHERE NOT complete ORDER BY ord`)
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
         thumbnail = excluded.thumbnail, created_at = excluded.created_at, complete = excluded.complete, attached = excluded.attached`,
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
}
