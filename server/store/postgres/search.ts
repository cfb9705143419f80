// Message search on PostgreSQL: partial words through pg_trgm. Each message
// row keeps its current text folded (lower case, accents off Latin letters,
// the way SQLite's remove_diacritics does) in `search_text`, under a GIN
// trigram index limited to live text messages; a search folds its terms the
// same way and requires each as a LIKE '%term%'. Folding in Node rather than
// with ILIKE or unaccent (not a trusted extension) makes the match the same
// whatever the database's locale. Rows are written with the message itself
// (messages.ts), so a search never misses an acknowledged message and never
// finds a deleted one.
import type { Pool } from './pool'
import { query } from './pool'
import type { SearchHit, SearchRepo } from '../types'

/** Terms shorter than this have no trigram: they are left out. */
const MIN_TERM = 3

/**
 * The form of a text that search compares: lower case, without the
 * diacritics of Latin letters (é → e, Å → a), without NUL (which PostgreSQL
 * text cannot hold).
 */
export function foldForSearch(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFD')
      // A Latin letter followed by combining marks: keep the letter.
      .replace(/(\p{Script=Latin})\p{Mn}+/gu, '$1')
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex
      .replace(/\u0000/g, '')
  )
}

/** A LIKE pattern matching `term` anywhere, its %, _ and \ taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

export class PgSearch implements SearchRepo {
  constructor(private readonly pool: Pool) {}

  async search(scope: Record<string, number>, terms: string[], before: number, limit: number): Promise<SearchHit[]> {
    const patterns = [...new Set(terms.filter((t) => [...t].length >= MIN_TERM).map((t) => containsPattern(foldForSearch(t))))]
    const ids = Object.keys(scope)
    if (patterns.length === 0 || ids.length === 0 || !(limit >= 1) || !(before > 0)) return []
    const floors: Record<string, number> = {}
    for (const id of ids) floors[id] = Math.max(0, Math.floor(scope[id] ?? 0))
    const below = Math.min(Math.ceil(before), Number.MAX_SAFE_INTEGER)
    const likes = patterns.map((_, i) => `AND m.search_text LIKE $${i + 5}`).join(' ')
    // One scan of one table: the trigram index and the primary key's
    // conversation_id = ANY(...) are ANDed as bitmaps, and each candidate's
    // floor is looked up in a jsonb object (a join with the scope would have
    // the planner repeat the trigram scan for every conversation). Its cost
    // grows with the matches within the scope, not with the whole table.
    // No index on search_id: with one, the planner walks it newest first for
    // a common term and, when the scope holds none, reads the whole table.
    // `kind = 'text' AND NOT deleted` is the trigram index's own predicate.
    const { rows } = await query<{ conversation_id: string; seq: number | string; search_id: number | string }>(
      this.pool,
      `SELECT m.conversation_id, m.seq, m.search_id
       FROM messages m
       WHERE m.conversation_id = ANY($1::text[]) AND m.kind = 'text' AND NOT m.deleted
         AND m.seq > COALESCE(($2::jsonb ->> m.conversation_id)::bigint, 0)
         AND m.search_id < $3 ${likes}
       ORDER BY m.search_id DESC
       LIMIT $4`,
      [ids, JSON.stringify(floors), below, Math.floor(limit), ...patterns]
    )
    return rows.map((r) => ({ conversationId: r.conversation_id, seq: Number(r.seq), cursor: Number(r.search_id) }))
  }
}
