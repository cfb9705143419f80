import type { UserRecord } from '../records'
import type { UserPatch, UserRepo } from '../types'
import { givenKeys, iso, setPresent } from './columns'
import { query, type Pool } from './pool'

interface UserRow {
  id: string
  username: string
  username_lower: string
  display_name: string
  status_text: string
  avatar: string | null
  password_hash: string
  created_at: Date
  last_seen_at: Date | null
  hide_last_seen: boolean | null
  contacts_only_direct: boolean | null
  server_admin: boolean | null
  disabled_at: Date | null
  email: string | null
  status_emoji: string | null
  status_expires_at: Date | null
  null_fields: string[]
  bot: boolean | null
}

/** Optional fields that may also hold null: NULL in their column plus their name in null_fields. */
const NULLABLE = ['avatar', 'disabledAt', 'email'] as const

const COLUMNS: Record<keyof UserPatch, string> = {
  displayName: 'display_name',
  statusText: 'status_text',
  avatar: 'avatar',
  hideLastSeen: 'hide_last_seen',
  contactsOnlyDirect: 'contacts_only_direct',
  serverAdmin: 'server_admin',
  disabledAt: 'disabled_at',
  email: 'email',
  statusEmoji: 'status_emoji',
  statusExpiresAt: 'status_expires_at',
  passwordHash: 'password_hash'
}

const RETURNING = `id, username, username_lower, display_name, status_text, avatar, password_hash, created_at, last_seen_at,
  hide_last_seen, contacts_only_direct, server_admin, disabled_at, email, status_emoji, status_expires_at, null_fields, bot`
const SELECT = `SELECT ${RETURNING} FROM users`

function toRecord(row: UserRow): UserRecord {
  const user: UserRecord = {
    id: row.id,
    username: row.username,
    usernameLower: row.username_lower,
    displayName: row.display_name,
    statusText: row.status_text,
    passwordHash: row.password_hash,
    createdAt: iso(row.created_at)
  }
  setPresent(user, 'avatar', row.avatar)
  if (row.last_seen_at) user.lastSeenAt = iso(row.last_seen_at)
  setPresent(user, 'hideLastSeen', row.hide_last_seen)
  setPresent(user, 'contactsOnlyDirect', row.contacts_only_direct)
  setPresent(user, 'serverAdmin', row.server_admin)
  if (row.disabled_at) user.disabledAt = iso(row.disabled_at)
  setPresent(user, 'email', row.email)
  setPresent(user, 'statusEmoji', row.status_emoji)
  if (row.status_expires_at) user.statusExpiresAt = iso(row.status_expires_at)
  setPresent(user, 'bot', row.bot)
  for (const key of NULLABLE) if (row.null_fields.includes(key) && user[key] === undefined) user[key] = null
  return user
}

export class PgUserRepo implements UserRepo {
  constructor(
    private readonly pool: Pool,
    /** Where last-seen times are written: commits that need not wait for the disk (see openPostgresStore). */
    private readonly soft: Pool = pool
  ) {}

  async create(user: UserRecord): Promise<boolean> {
    const nulls = NULLABLE.filter((key) => user[key] === null)
    // The unique username_lower decides between two sign-ups of one name at
    // the same moment, even from two processes: the second stores nothing.
    const { rowCount } = await query(
      this.pool,
      `INSERT INTO users (id, username, username_lower, display_name, display_name_lower, status_text, avatar, password_hash, created_at,
         last_seen_at, hide_last_seen, contacts_only_direct, server_admin, disabled_at, email, null_fields, bot)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (username_lower) DO NOTHING`,
      [
        user.id,
        user.username,
        user.usernameLower,
        user.displayName,
        user.displayName.toLowerCase(),
        user.statusText,
        user.avatar ?? null,
        user.passwordHash,
        user.createdAt,
        user.lastSeenAt ?? null,
        user.hideLastSeen ?? null,
        user.contactsOnlyDirect ?? null,
        user.serverAdmin ?? null,
        user.disabledAt ?? null,
        user.email ?? null,
        nulls,
        user.bot ?? null
      ]
    )
    return rowCount === 1
  }

  async byId(id: string): Promise<UserRecord | undefined> {
    const { rows } = await query<UserRow>(this.pool, `${SELECT} WHERE id = $1`, [id])
    return rows[0] && toRecord(rows[0])
  }

  async byIds(ids: readonly string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return []
    const { rows } = await query<UserRow>(this.pool, `${SELECT} WHERE id = ANY($1::text[])`, [[...new Set(ids)]])
    // In the order asked, a repeated id repeated, as the data-directory engine answers.
    const byId = new Map(rows.map((row) => [row.id, toRecord(row)]))
    return ids.flatMap((id) => byId.get(id) ?? [])
  }

  async byUsername(username: string): Promise<UserRecord | undefined> {
    const { rows } = await query<UserRow>(this.pool, `${SELECT} WHERE username_lower = $1`, [username.toLowerCase()])
    return rows[0] && toRecord(rows[0])
  }

  async search(q: string, limit: number): Promise<UserRecord[]> {
    if (limit <= 0) return []
    const needle = q.toLowerCase()
    // Prefix matches first, then by username as localeCompare orders it (the
    // messenger_names collation); substring tests are strpos, not LIKE, so
    // `%` and `_` in q match only themselves. A scan of users: fine for a LAN.
    const { rows } = await query<UserRow>(
      this.pool,
      `${SELECT}
       WHERE strpos(username_lower, $1) > 0 OR strpos(display_name_lower, $1) > 0
       ORDER BY (starts_with(username_lower, $1) OR starts_with(display_name_lower, $1)) DESC,
         username_lower COLLATE messenger_names, ord
       LIMIT $2`,
      [needle, limit]
    )
    return rows.map(toRecord)
  }

  async all(): Promise<UserRecord[]> {
    const { rows } = await query<UserRow>(this.pool, `${SELECT} ORDER BY created_at, ord`)
    return rows.map(toRecord)
  }

  async count(): Promise<number> {
    const { rows } = await query<{ n: number }>(this.pool, 'SELECT count(*) AS n FROM users')
    return rows[0]!.n
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord> {
    const keys = givenKeys(patch).filter((key) => key in COLUMNS)
    const values: unknown[] = [id]
    const sets = keys.map((key) => {
      values.push(patch[key] ?? null)
      return `${COLUMNS[key]} = $${values.length}`
    })
    if (patch.displayName !== undefined) {
      values.push(patch.displayName.toLowerCase())
      sets.push(`display_name_lower = $${values.length}`)
    }
    // null_fields loses the patched nullable fields, then gets back those patched to null.
    const patched = NULLABLE.filter((key) => keys.includes(key))
    if (patched.length > 0) {
      values.push(patched, patched.filter((key) => patch[key] === null))
      sets.push(`null_fields = array(SELECT f FROM unnest(null_fields) AS f WHERE f <> ALL($${values.length - 1}::text[])) || $${values.length}::text[]`)
    }
    if (sets.length === 0) {
      const user = await this.byId(id)
      if (!user) throw new Error(`no user ${id}`)
      return user
    }
    const { rows } = await query<UserRow>(
      this.pool,
      `UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING ${RETURNING}`,
      values
    )
    if (!rows[0]) throw new Error(`no user ${id}`)
    return toRecord(rows[0])
  }

  async setLastSeen(id: string, at: string): Promise<void> {
    await query(this.soft, 'UPDATE users SET last_seen_at = $2 WHERE id = $1', [id, at])
  }
}
