// Full-text search over message text: a derived index (SQLite FTS5, trigram
// tokens, so parts of words match) kept beside the message log. It holds no
// text of its own and can always be rebuilt from the segments, so it is
// written without fsync; what it misses after a crash is indexed again at start.
import { rmSync } from 'node:fs'
import type { Message } from '../../src/shared/schemas/messages'
import type { Logger } from '../logger'
import type { SearchHit, SearchRepo } from '../store/types'
import { loadSqlite, type DatabaseSync } from './sqlite'

/** The index's own format (SQLite's user_version); raise it with any change to SCHEMA. */
export const INDEX_FORMAT = 1

/** Where indexing of one conversation has got to. */
export interface Progress {
  seq: number
  version: number
}

const SCHEMA = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = OFF;
  CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(text, tokenize = 'trigram remove_diacritics 1', content = '', contentless_delete = 1);
  CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, UNIQUE (conversation_id, seq));
  CREATE TABLE IF NOT EXISTS progress (conversation_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, version INTEGER NOT NULL);
`

type Op =
  | { kind: 'put'; message: Message }
  | { kind: 'drop'; conversationId: string }
  | { kind: 'expire'; conversationId: string; seq: number }

/**
 * Changes gather this long before one transaction applies them: each FTS5
 * transaction writes a new index segment, so one per message costs several
 * times more than the message's own durable write. Searches flush first, so
 * they never miss a stored message.
 */
const FLUSH_DELAY_MS = 50
/** A batch this large is applied at once, so no flush holds the event loop for long (catch-up puts fast). */
const FLUSH_BATCH = 256

function statements(db: DatabaseSync) {
  return {
    find: db.prepare('SELECT id FROM docs WHERE conversation_id = ? AND seq = ?'),
    taken: db.prepare('SELECT 1 FROM docs WHERE id = ?'),
    delDoc: db.prepare('DELETE FROM docs WHERE id = ?'),
    delFts: db.prepare('DELETE FROM fts WHERE rowid = ?'),
    addDoc: db.prepare('INSERT INTO docs (id, conversation_id, seq) VALUES (?, ?, ?)'),
    addFts: db.prepare('INSERT INTO fts (rowid, text) VALUES (?, ?)'),
    idsOf: db.prepare('SELECT id FROM docs WHERE conversation_id = ?'),
    idsThrough: db.prepare('SELECT id FROM docs WHERE conversation_id = ? AND seq <= ?'),
    dropThrough: db.prepare('DELETE FROM docs WHERE conversation_id = ? AND seq <= ?'),
    // Nothing at or below the retention floor is left to index.
    skipThrough: db.prepare('UPDATE progress SET seq = max(seq, ?) WHERE conversation_id = ?'),
    dropDocs: db.prepare('DELETE FROM docs WHERE conversation_id = ?'),
    dropProgress: db.prepare('DELETE FROM progress WHERE conversation_id = ?'),
    // Progress only moves over an unbroken run, so a catch-up after a crash
    // knows exactly where to start (live messages may arrive before it ends).
    start: db.prepare('INSERT OR IGNORE INTO progress (conversation_id, seq, version) VALUES (?, 0, 0)'),
    nextSeq: db.prepare('UPDATE progress SET seq = ? WHERE conversation_id = ? AND seq = ? - 1'),
    nextVersion: db.prepare('UPDATE progress SET version = ? WHERE conversation_id = ? AND version = ? - 1'),
    progress: db.prepare('SELECT seq, version FROM progress WHERE conversation_id = ?'),
    noteVersion: db.prepare('UPDATE progress SET version = max(version, ?) WHERE conversation_id = ?'),
    search: db.prepare(
      `SELECT d.conversation_id AS conversationId, d.seq AS seq, d.id AS cursor
       FROM fts JOIN docs d ON d.id = fts.rowid JOIN json_each(?) j ON j.key = d.conversation_id
       WHERE fts MATCH ? AND d.seq > j.value AND fts.rowid < ?
       ORDER BY fts.rowid DESC LIMIT ?`
    )
  }
}

/** Each term as an FTS5 phrase, all required. */
export function toMatchQuery(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ')
}

export class SearchIndex implements SearchRepo {
  private queue: Op[] = []
  private timer: NodeJS.Timeout | null = null
  private readonly sql: ReturnType<typeof statements>

  private constructor(
    private readonly db: DatabaseSync,
    private readonly log: Logger
  ) {
    this.sql = statements(db)
  }

  /** Opens (creating) the index at `path`, or null where SQLite is unavailable. */
  static open(path: string, log: Logger): SearchIndex | null {
    const sqlite = loadSqlite()
    if (!sqlite) {
      log.warn('node:sqlite is not available in this runtime: message search is off')
      return null
    }
    let db = new sqlite.DatabaseSync(path)
    const found = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version
    // 0: a new file, or one written before the index had a version (the shape of format 1).
    if (found !== 0 && found !== INDEX_FORMAT) {
      // Derived from the message log: another format is dropped and indexed again by the catch-up.
      db.close()
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
      log.warn({ found, format: INDEX_FORMAT }, `the search index had format ${found}; it is rebuilt from the message history in format ${INDEX_FORMAT}`)
      db = new sqlite.DatabaseSync(path)
    }
    db.exec(SCHEMA)
    db.exec(`PRAGMA user_version = ${INDEX_FORMAT}`)
    return new SearchIndex(db, log)
  }

  /** A message was stored or changed: (re)index its current text, or drop it if deleted. */
  put(message: Message): void {
    this.queue.push({ kind: 'put', message })
    this.schedule()
  }

  /** Retention deleted the conversation's messages up to `seq`. */
  dropThrough(conversationId: string, seq: number): void {
    if (seq <= 0) return
    this.queue.push({ kind: 'expire', conversationId, seq })
    this.schedule()
  }

  dropConversation(conversationId: string): void {
    this.queue.push({ kind: 'drop', conversationId })
    this.schedule()
  }

  progress(conversationId: string): Progress {
    this.flush()
    const row = this.sql.progress.get(conversationId) as
      | { seq: number; version: number }
      | undefined
    return row ?? { seq: 0, version: 0 }
  }

  /** A catch-up has applied every change up to `version` (superseded ones leave gaps). */
  noteVersion(conversationId: string, version: number): void {
    this.flush()
    this.sql.noteVersion.run(version, conversationId)
  }

  /**
   * Newest matches first within `scope` (conversationId → seq floor: only
   * messages above it), older than `before`.
   */
  async search(scope: Record<string, number>, terms: string[], before: number, limit: number): Promise<SearchHit[]> {
    return this.searchNow(scope, toMatchQuery(terms), before, limit)
  }

  /** The same, synchronously, with an FTS5 match expression (benchmarks time the query alone). */
  searchNow(scope: Record<string, number>, match: string, before: number, limit: number): SearchHit[] {
    this.flush()
    return this.sql.search.all(JSON.stringify(scope), match, before, limit) as unknown as SearchHit[]
  }

  close(): void {
    this.flush()
    this.db.close()
  }

  private schedule(): void {
    if (this.queue.length >= FLUSH_BATCH) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS)
  }

  /** Applies queued changes in one transaction. */
  private flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.queue.length === 0) return
    const ops = this.queue
    this.queue = []
    const { find, taken, delDoc, delFts, addDoc, addFts, idsOf, idsThrough, dropThrough, skipThrough, dropDocs, dropProgress, start, nextSeq, nextVersion } =
      this.sql
    this.db.exec('BEGIN')
    try {
      for (const op of ops) {
        if (op.kind === 'drop') {
          const ids = idsOf.all(op.conversationId) as { id: number }[]
          for (const { id } of ids) delFts.run(id)
          dropDocs.run(op.conversationId)
          dropProgress.run(op.conversationId)
          continue
        }
        if (op.kind === 'expire') {
          const ids = idsThrough.all(op.conversationId, op.seq) as { id: number }[]
          for (const { id } of ids) delFts.run(id)
          dropThrough.run(op.conversationId, op.seq)
          start.run(op.conversationId)
          skipThrough.run(op.seq, op.conversationId)
          continue
        }
        const m = op.message
        const old = find.get(m.conversationId, m.seq) as { id: number } | undefined
        if (old) {
          delFts.run(old.id)
          delDoc.run(old.id)
        }
        if (m.kind === 'text' && !m.deletedAt && m.text !== '') {
          // Row ids follow message time, so "newest first" is FTS5's own fast order.
          let id = Date.parse(m.createdAt) * 1000
          while (taken.get(id)) id++
          addDoc.run(id, m.conversationId, m.seq)
          addFts.run(id, m.text)
        }
        start.run(m.conversationId)
        nextSeq.run(m.seq, m.conversationId, m.seq)
        if (m.version) nextVersion.run(m.version, m.conversationId, m.version)
      }
      this.db.exec('COMMIT')
    } catch (err) {
      this.db.exec('ROLLBACK')
      this.log.error({ err }, 'search index update failed; it is rebuilt from the log at next start')
    }
  }
}
