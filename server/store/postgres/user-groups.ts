import type { UserGroupRecord } from '../records'
import type { UserGroupPatch, UserGroupRepo } from '../types'
import { givenKeys, iso } from './columns'
import { query, uniqueViolation, type Pool } from './pool'

interface UserGroupRow {
  id: string
  handle: string
  name: string
  member_ids: string[]
  manager_ids: string[]
  created_by: string
  created_at: Date
}

const COLUMNS = 'id, handle, name, member_ids, manager_ids, created_by, created_at'

const PATCH_COLUMNS: Record<keyof UserGroupPatch, string> = {
  handle: 'handle',
  name: 'name',
  memberIds: 'member_ids',
  managerIds: 'manager_ids'
}

const toGroup = (row: UserGroupRow): UserGroupRecord => ({
  id: row.id,
  handle: row.handle,
  name: row.name,
  memberIds: row.member_ids,
  managerIds: row.manager_ids,
  createdBy: row.created_by,
  createdAt: iso(row.created_at)
})

export class PgUserGroupRepo implements UserGroupRepo {
  constructor(private readonly pool: Pool) {}

  async create(group: UserGroupRecord): Promise<boolean> {
    // The unique handle decides between two groups made with one handle at once, on any node.
    const { rowCount } = await query(
      this.pool,
      `INSERT INTO user_groups (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (handle) DO NOTHING`,
      [group.id, group.handle, group.name, group.memberIds, group.managerIds, group.createdBy, group.createdAt]
    )
    return rowCount === 1
  }

  async byId(id: string): Promise<UserGroupRecord | undefined> {
    const { rows } = await query<UserGroupRow>(this.pool, `SELECT ${COLUMNS} FROM user_groups WHERE id = $1`, [id])
    return rows[0] && toGroup(rows[0])
  }

  async byIds(ids: readonly string[]): Promise<UserGroupRecord[]> {
    if (ids.length === 0) return []
    const { rows } = await query<UserGroupRow>(this.pool, `SELECT ${COLUMNS} FROM user_groups WHERE id = ANY($1::text[])`, [ids])
    return rows.map(toGroup)
  }

  async byHandle(handle: string): Promise<UserGroupRecord | undefined> {
    const { rows } = await query<UserGroupRow>(this.pool, `SELECT ${COLUMNS} FROM user_groups WHERE handle = $1`, [handle])
    return rows[0] && toGroup(rows[0])
  }

  async all(): Promise<UserGroupRecord[]> {
    const { rows } = await query<UserGroupRow>(this.pool, `SELECT ${COLUMNS} FROM user_groups ORDER BY handle`)
    return rows.map(toGroup)
  }

  async update(id: string, patch: UserGroupPatch): Promise<UserGroupRecord | 'handle_taken' | undefined> {
    const keys = givenKeys(patch)
    if (keys.length === 0) return this.byId(id)
    const sets = keys.map((key, i) => `${PATCH_COLUMNS[key]} = $${i + 2}`).join(', ')
    // A handle another group has: the row is left as it was (nothing changed), as the data directory does.
    const { rows } = await query<UserGroupRow>(
      this.pool,
      `UPDATE user_groups SET ${sets} WHERE id = $1
         AND NOT EXISTS (SELECT 1 FROM user_groups other WHERE other.handle = $${keys.length + 2} AND other.id <> $1)
       RETURNING ${COLUMNS}`,
      [id, ...keys.map((key) => patch[key]), patch.handle ?? null]
    ).catch((err: unknown) => {
      // Two renames to one handle at the same moment: the unique index refuses the second.
      if (uniqueViolation(err) === 'user_groups_handle_key') return { rows: [] as UserGroupRow[] }
      throw err
    })
    if (rows[0]) return toGroup(rows[0])
    return (await this.byId(id)) ? 'handle_taken' : undefined
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await query(this.pool, 'DELETE FROM user_groups WHERE id = $1', [id])
    return rowCount === 1
  }

  async groupsOf(userId: string): Promise<UserGroupRecord[]> {
    const { rows } = await query<UserGroupRow>(this.pool, `SELECT ${COLUMNS} FROM user_groups WHERE member_ids @> ARRAY[$1::text] ORDER BY handle`, [userId])
    return rows.map(toGroup)
  }
}
