import type { RefreshFamilyRecord, RefreshTokenRecord } from '../records'
import type { FamilyChange, TokenRepo } from '../types'
import { query, transaction, type Pool, type Queryable } from './pool'

interface FamilyRow {
  id: string
  user_id: string
  created_at: number
  revoked_at: number | null
  tokens: RefreshTokenRecord[]
}

const FAMILY = 'f.id, f.user_id, f.created_at, f.revoked_at, f.tokens'

const toFamily = (row: FamilyRow): RefreshFamilyRecord => ({
  id: row.id,
  userId: row.user_id,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
  tokens: row.tokens
})

/** The latest expiry of a family's tokens (null: it has none): the family is dead after it. */
function expiresAt(family: RefreshFamilyRecord): number | null {
  return family.tokens.length === 0 ? null : Math.max(...family.tokens.map((t) => t.expiresAt))
}

/**
 * Writes a family and makes each of its token hashes find it, in one
 * statement (it runs inside the family's row lock: the fewer round trips,
 * the shorter the queue of refreshes behind it). Hashes no longer in
 * `tokens` are dropped only when named in `forgotten`, as the
 * data-directory engine's index does; one both kept and forgotten stays.
 * `indexed`: hashes known to be indexed already (a rotation adds just one).
 * Answers whether the family is new.
 */
async function write(
  db: Queryable,
  family: RefreshFamilyRecord,
  forgotten: readonly string[] = [],
  indexed: ReadonlySet<string> = new Set()
): Promise<boolean> {
  const kept = new Set(family.tokens.map((t) => t.hash))
  const { rows } = await query<{ inserted: boolean }>(
    db,
    `WITH family AS (
       INSERT INTO refresh_families AS f (id, user_id, created_at, revoked_at, tokens, expires_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)
       ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, created_at = excluded.created_at, revoked_at = excluded.revoked_at,
         tokens = excluded.tokens, expires_at = excluded.expires_at
       RETURNING (xmax = 0) AS inserted
     ), forgotten AS (
       DELETE FROM refresh_tokens WHERE hash = ANY($7::text[]) AND family_id = $1
     ), added AS (
       INSERT INTO refresh_tokens (hash, family_id) SELECT hash, $1 FROM unnest($8::text[]) AS hash
       ON CONFLICT (hash) DO UPDATE SET family_id = excluded.family_id WHERE refresh_tokens.family_id <> excluded.family_id
     )
     SELECT inserted FROM family`,
    [
      family.id,
      family.userId,
      family.createdAt,
      family.revokedAt,
      JSON.stringify(family.tokens),
      expiresAt(family),
      forgotten.filter((hash) => !kept.has(hash)),
      [...kept].filter((hash) => !indexed.has(hash))
    ]
  )
  return rows[0]?.inserted === true
}

export class PgTokenRepo implements TokenRepo {
  constructor(private readonly pool: Pool) {}

  async save(family: RefreshFamilyRecord): Promise<void> {
    await transaction(this.pool, async (client) => {
      const fresh = await write(client, family)
      // A new session is when a user's dead families are swept: those whose
      // every token expired before it began (the new one included, as the
      // data-directory engine does). A revoked family stays until then, so
      // its tokens are still answered "signed out", not "unknown".
      if (fresh) {
        await query(client, 'DELETE FROM refresh_families WHERE user_id = $1 AND (expires_at IS NULL OR expires_at <= $2)', [
          family.userId,
          family.createdAt
        ])
      }
    })
  }

  async familyById(id: string): Promise<RefreshFamilyRecord | undefined> {
    const { rows } = await query<FamilyRow>(this.pool, `SELECT ${FAMILY} FROM refresh_families f WHERE f.id = $1`, [id])
    return rows[0] && toFamily(rows[0])
  }

  async familyByTokenHash(hash: string): Promise<RefreshFamilyRecord | undefined> {
    const { rows } = await query<FamilyRow>(
      this.pool,
      `SELECT ${FAMILY} FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.hash = $1`,
      [hash]
    )
    return rows[0] && toFamily(rows[0])
  }

  /**
   * Reads the family FOR UPDATE, so concurrent changes of one family (a
   * thousand refreshes of one token at once) run one after another, each
   * seeing the last one's tokens: rotation and reuse detection stay exact.
   */
  async change<T>(familyId: string, change: (family: RefreshFamilyRecord | undefined) => FamilyChange<T>): Promise<T> {
    return transaction(this.pool, async (client) => {
      const { rows } = await query<FamilyRow>(client, `SELECT ${FAMILY} FROM refresh_families f WHERE f.id = $1 FOR UPDATE`, [familyId])
      const family = rows[0] && toFamily(rows[0])
      // What the family held before `change` edits it in place: its hashes are indexed already.
      const indexed = new Set(family?.tokens.map((t) => t.hash))
      const { save, forgotten, result } = change(family)
      if (save && family) await write(client, family, forgotten, indexed)
      return result
    })
  }

  async revokeUser(userId: string, at: number): Promise<string[]> {
    const { rows } = await query<{ id: string }>(
      this.pool,
      `WITH revoked AS (UPDATE refresh_families SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id, ord)
       SELECT id FROM revoked ORDER BY ord`,
      [userId, at]
    )
    return rows.map((r) => r.id)
  }
}
