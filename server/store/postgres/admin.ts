import { DEFAULT_SETTINGS } from '../admin-repo'
import type { JoinCodeRecord, ResetCodeRecord, ServerSettingsRecord } from '../records'
import type { AdminRepo } from '../types'
import { givenKeys, iso, isoOrNull } from './columns'
import { query, type Pool } from './pool'

interface SettingsRow {
  name: string
  registration: ServerSettingsRecord['registration']
  max_file_bytes: number
  retention_days: number | null
  link_previews: ServerSettingsRecord['linkPreviews']
}

interface InviteRow {
  code: string
  created_by: string
  created_at: Date
  expires_at: Date | null
  max_uses: number | null
  uses: number
}

interface ResetRow {
  user_id: string
  hash: string
  expires_at: number
  created_at: number
}

const SETTINGS_COLUMNS: Record<keyof ServerSettingsRecord, string> = {
  name: 'name',
  registration: 'registration',
  maxFileBytes: 'max_file_bytes',
  retentionDays: 'retention_days',
  linkPreviews: 'link_previews'
}

const toSettings = (row: SettingsRow): ServerSettingsRecord => ({
  name: row.name,
  registration: row.registration,
  maxFileBytes: row.max_file_bytes,
  retentionDays: row.retention_days,
  linkPreviews: row.link_previews
})

const INVITE = 'code, created_by, created_at, expires_at, max_uses, uses'

const toInvite = (row: InviteRow): JoinCodeRecord => ({
  code: row.code,
  createdBy: row.created_by,
  createdAt: iso(row.created_at),
  expiresAt: isoOrNull(row.expires_at),
  maxUses: row.max_uses,
  uses: row.uses
})

const toReset = (row: ResetRow): ResetCodeRecord => ({ userId: row.user_id, hash: row.hash, expiresAt: row.expires_at, createdAt: row.created_at })

export class PgAdminRepo implements AdminRepo {
  constructor(private readonly pool: Pool) {}

  async settings(): Promise<ServerSettingsRecord> {
    const { rows } = await query<SettingsRow>(this.pool, 'SELECT name, registration, max_file_bytes, retention_days, link_previews FROM server_settings')
    // No row until an admin first changes something: the defaults of this code.
    return rows[0] ? toSettings(rows[0]) : { ...DEFAULT_SETTINGS }
  }

  async updateSettings(patch: Partial<ServerSettingsRecord>): Promise<ServerSettingsRecord> {
    // One statement: the first change writes the defaults with the patch over
    // them (as the data-directory engine saves its whole settings object);
    // later ones change just the patched columns.
    const full = { ...DEFAULT_SETTINGS, ...patch }
    const keys = givenKeys(patch).filter((key) => key in SETTINGS_COLUMNS)
    const sets = keys.length > 0 ? keys.map((key) => `${SETTINGS_COLUMNS[key]} = excluded.${SETTINGS_COLUMNS[key]}`) : ['name = s.name']
    const { rows } = await query<SettingsRow>(
      this.pool,
      `INSERT INTO server_settings AS s (id, name, registration, max_file_bytes, retention_days, link_previews) VALUES (true, $1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET ${sets.join(', ')}
       RETURNING name, registration, max_file_bytes, retention_days, link_previews`,
      [full.name, full.registration, full.maxFileBytes, full.retentionDays ?? null, full.linkPreviews]
    )
    return toSettings(rows[0]!)
  }

  async invites(): Promise<JoinCodeRecord[]> {
    const { rows } = await query<InviteRow>(this.pool, `SELECT ${INVITE} FROM signup_invites ORDER BY created_at, ord`)
    return rows.map(toInvite)
  }

  async invite(code: string): Promise<JoinCodeRecord | undefined> {
    const { rows } = await query<InviteRow>(this.pool, `SELECT ${INVITE} FROM signup_invites WHERE code = $1`, [code])
    return rows[0] && toInvite(rows[0])
  }

  async saveInvite(invite: JoinCodeRecord): Promise<void> {
    await query(
      this.pool,
      `INSERT INTO signup_invites (${INVITE}) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (code) DO UPDATE SET created_by = excluded.created_by, created_at = excluded.created_at,
         expires_at = excluded.expires_at, max_uses = excluded.max_uses, uses = excluded.uses`,
      [invite.code, invite.createdBy, invite.createdAt, invite.expiresAt, invite.maxUses, invite.uses]
    )
  }

  async deleteInvite(code: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM signup_invites WHERE code = $1', [code])
    return rowCount === 1
  }

  async resetCode(userId: string): Promise<ResetCodeRecord | undefined> {
    const { rows } = await query<ResetRow>(this.pool, 'SELECT user_id, hash, expires_at, created_at FROM reset_codes WHERE user_id = $1', [userId])
    return rows[0] && toReset(rows[0])
  }

  async saveResetCode(reset: ResetCodeRecord): Promise<void> {
    await query(
      this.pool,
      `INSERT INTO reset_codes (user_id, hash, expires_at, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, expires_at = excluded.expires_at, created_at = excluded.created_at`,
      [reset.userId, reset.hash, reset.expiresAt, reset.createdAt]
    )
  }

  async deleteResetCode(userId: string): Promise<void> {
    await query(this.pool, 'DELETE FROM reset_codes WHERE user_id = $1', [userId])
  }
}
