// Message history on PostgreSQL (tables in migrations/002_messages.ts).
//
// Every conversation has a counter row: appends take the next seq from it,
// changes the next version, retention moves its floor. Each of them locks
// that row first and holds it to commit, so per conversation they run one
// at a time, seqs and versions have no gaps, and commit order is seq (and
// version) order: a reader who has seen seq n, or version v, will never later
// find a smaller one appearing. Reads take no locks: one statement each, so
// what they see is one consistent snapshot. A message row holds the whole
// Message (in its latest state) as JSON, next to the columns queries use, so
// reads answer exactly the objects the data-directory engine answers.
import { performance } from 'node:perf_hooks'
import type { Message, MessagePageQuery } from '../../../src/shared/schemas/messages'
import { LIMITS } from '../../../src/shared/limits'
import type { AppendResult, ChangesPage, ExpireResult, MessageChange, MessageDraft, MessageRepo, MutationResult } from '../types'
import type { Pool, PoolClient } from './pool'
import { prepared, query, transaction } from './pool'
import { foldForSearch } from './search'
import { messageFromDraft } from '../message-draft'
import { MARKS_KEPT } from '../read-marks'
import { UNCOUNTED } from './migrations/009_threads'

/** As the data-directory engine: conversation ids are server-made UUIDs. */
const ID_PATTERN = /^[0-9a-f-]{36}$/

const badId = (conversationId: string): Error | null => (ID_PATTERN.test(conversationId) ? null : new Error(`bad conversation id ${conversationId}`))

function checkId(conversationId: string): void {
  const bad = badId(conversationId)
  if (bad) throw bad
}

/** bigint columns may come back as strings (a pool without int8 parsers). */
const int = (value: number | string | null | undefined): number => Number(value ?? 0)

interface PageRow {
  last_seq: number | string
  expired_seq: number | string
  floor: number | string
  lo: number | string
  hi: number | string
  messages: Message[] | null
}

/**
 * One statement, so the counter and the messages are read in one snapshot.
 * $1 conversation, $2 after, $3 before, $4 limit, $5 the reader's floor.
 * lo..hi is the range of the page, computed exactly as conversation-log.ts does.
 */
const PAGE_SQL = `
WITH c AS (
  SELECT last_seq, expired_seq, GREATEST($5::bigint, expired_seq) AS floor
  FROM message_counters WHERE conversation_id = $1
), b AS (
  SELECT last_seq, expired_seq, floor,
    CASE WHEN $2::bigint IS NULL
      THEN GREATEST(floor + 1, LEAST(last_seq, COALESCE($3::bigint, last_seq + 1) - 1) - $4::bigint + 1)
      ELSE GREATEST($2::bigint, floor) + 1 END AS lo,
    CASE WHEN $2::bigint IS NULL
      THEN LEAST(last_seq, COALESCE($3::bigint, last_seq + 1) - 1)
      ELSE LEAST(last_seq, GREATEST($2::bigint, floor) + $4::bigint) END AS hi
  FROM c
)
SELECT last_seq, expired_seq, floor, lo, hi,
  (SELECT json_agg(m.message ORDER BY m.seq) FROM messages m
   WHERE m.conversation_id = $1 AND m.seq >= b.lo AND m.seq <= b.hi) AS messages
FROM b`

/** $1 conversation, $2 since, $3 how many rows, $4 the reader's floor. */
const CHANGES_SQL = `
SELECT c.version,
  (SELECT json_agg(x.message ORDER BY x.version) FROM (
     SELECT m.message, m.version FROM messages m
     WHERE m.conversation_id = $1 AND m.version > $2::bigint AND m.seq > GREATEST($4::bigint, c.expired_seq)
     ORDER BY m.version LIMIT $3
   ) x) AS messages
FROM message_counters c WHERE c.conversation_id = $1`

type Unsequenced = Omit<Message, 'seq'>

interface PendingAppend {
  message: Unsequenced
  resolve: (result: AppendResult) => void
  reject: (err: unknown) => void
}

/** Messages one statement appends at most (a burst beyond goes in the next). */
const APPEND_BATCH_MAX = 256

export class PgMessageRepo implements MessageRepo {
  /** Appends waiting per conversation; the first of each lane is in flight. */
  private readonly lanes = new Map<string, PendingAppend[]>()

  constructor(
    private readonly pool: Pool,
    private readonly now: () => number,
    private readonly onDurableWrite?: (seconds: number) => void
  ) {}

  /**
   * One round trip: messenger_append_message() locks the counter row, takes
   * the next seq and inserts, as one autocommit statement, so the send is
   * acknowledged only after its commit (synchronous_commit as configured: on
   * by default).
   */
  /**
   * Appends wait in a lane per conversation: while one batch is being
   * committed the next gathers, and goes as one statement (one commit, one
   * WAL flush) once the first is done. Seqs follow the order of the calls,
   * and each call resolves only after its batch committed.
   */
  append(conversationId: string, draft: MessageDraft): Promise<AppendResult> {
    const bad = badId(conversationId)
    if (bad) return Promise.reject(bad)
    const { seq: _seq, ...unsequenced } = messageFromDraft(conversationId, 0, draft, this.now())
    return new Promise<AppendResult>((resolve, reject) => {
      let lane = this.lanes.get(conversationId)
      if (!lane) this.lanes.set(conversationId, (lane = []))
      lane.push({ message: unsequenced, resolve, reject })
      if (lane.length === 1) void this.drain(conversationId, lane)
    })
  }

  private async drain(conversationId: string, lane: PendingAppend[]): Promise<void> {
    while (lane.length > 0) {
      const batch = lane.slice(0, APPEND_BATCH_MAX)
      try {
        const results = await this.appendBatch(conversationId, batch.map((p) => p.message))
        batch.forEach((p, i) => p.resolve(results[i]!))
      } catch (err) {
        for (const p of batch) p.reject(err)
      }
      // Removed only now: a call arriving meanwhile saw a busy lane and waits for the next turn.
      lane.splice(0, batch.length)
    }
    if (this.lanes.get(conversationId) === lane) this.lanes.delete(conversationId)
  }

  private async appendBatch(conversationId: string, messages: Unsequenced[]): Promise<AppendResult[]> {
    const started = performance.now()
    const { rows } = await prepared<{ i: number; created: boolean; seq: number | string | null; message: Message | null }>(
      this.pool,
      'messenger_append_messages',
      'SELECT i, created, seq, message FROM messenger_append_messages($1, $2, $3, $4, $5, $6, $7, $8, $9) ORDER BY i',
      [
        conversationId,
        messages.map((m) => m.senderId),
        messages.map((m) => m.clientId),
        messages.map((m) => m.createdAt),
        messages.map((m) => m.kind),
        messages.map((m) => foldForSearch(m.text)),
        messages.map((m) => (m.attachments ? JSON.stringify(m.attachments.map((a) => a.id)) : null)),
        messages.map((m) => JSON.stringify(m)),
        MARKS_KEPT * 2
      ]
    )
    this.onDurableWrite?.((performance.now() - started) / 1000)
    if (rows.length !== messages.length) throw new Error(`messenger_append_messages answered ${rows.length} rows for ${messages.length} messages`)
    return rows.map((row) => {
      const i = row.i - 1
      if (row.created) return { message: { ...messages[i]!, seq: int(row.seq) }, created: true }
      if (!row.message) throw new Error('messenger_append_messages answered no message for a repeated send')
      return { message: row.message, created: false }
    })
  }

  async page(conversationId: string, q: MessagePageQuery, readerFloor = 0): Promise<{ messages: Message[]; hasMore: boolean; expiredSeq: number }> {
    checkId(conversationId)
    const limit = q.limit ?? LIMITS.pageSizeDefault
    const { rows } = await query<PageRow>(this.pool, PAGE_SQL, [conversationId, q.after ?? null, q.before ?? null, limit, readerFloor])
    const row = rows[0]
    if (!row) return { messages: [], hasMore: false, expiredSeq: 0 }
    const expiredSeq = int(row.expired_seq)
    const [lo, hi, last, floor] = [int(row.lo), int(row.hi), int(row.last_seq), int(row.floor)]
    if (lo > hi) return { messages: [], hasMore: false, expiredSeq }
    const hasMore = q.after !== undefined ? hi < last : lo > floor + 1
    return { messages: row.messages ?? [], hasMore, expiredSeq }
  }

  async last(conversationId: string): Promise<Message | null> {
    checkId(conversationId)
    const { rows } = await query<{ message: Message }>(
      this.pool,
      `SELECT m.message FROM message_counters c
       JOIN messages m ON m.conversation_id = c.conversation_id AND m.seq = c.last_seq
       WHERE c.conversation_id = $1 AND c.last_seq > c.expired_seq`,
      [conversationId]
    )
    return rows[0]?.message ?? null
  }

  /**
   * Locks the counter row (the lock order of every writer: counter, then
   * message rows), then the message, runs `change` on its current state and
   * stores the result with the next version, all in one transaction.
   * `change` may throw: nothing is changed and the error is passed on.
   */
  async mutate(conversationId: string, seq: number, change: MessageChange): Promise<MutationResult | null> {
    checkId(conversationId)
    return transaction(this.pool, async (client) => {
      const counter = await lockCounter(client, conversationId)
      if (!counter || seq <= counter.expiredSeq || seq > counter.lastSeq) return null
      const { rows } = await query<{ message: Message }>(
        client,
        'SELECT message FROM messages WHERE conversation_id = $1 AND seq = $2 FOR UPDATE',
        [conversationId, seq]
      )
      const current = rows[0]?.message
      if (!current) return null
      const next = change(current)
      if (!next) return { message: current, changed: false }
      const version = counter.version + 1
      const versioned: Message = { ...next, seq: current.seq, id: current.id, version }
      // A link preview's picture (issue 21) joins the files retention deletes with the message; ids only ever join (a deleted message's files go too).
      const picture = versioned.preview?.image?.fileId
      const newPicture = picture !== undefined && picture !== current.preview?.image?.fileId ? picture : null
      await query(
        client,
        `WITH c AS (UPDATE message_counters SET version = $3 WHERE conversation_id = $1)
         UPDATE messages SET message = $4::json, version = $3, deleted = $5, search_text = $6, kind = $7,
           attachment_ids = CASE WHEN $8::text IS NULL THEN attachment_ids ELSE array_append(COALESCE(attachment_ids, '{}'), $8::text) END
         WHERE conversation_id = $1 AND seq = $2`,
        [conversationId, seq, version, JSON.stringify(versioned), Boolean(versioned.deletedAt), foldForSearch(versioned.text), versioned.kind, newPicture]
      )
      return { message: versioned, changed: true }
    })
  }

  async changes(conversationId: string, since: number, limit: number, floor = 0): Promise<ChangesPage> {
    checkId(conversationId)
    const take = Math.max(0, Math.floor(limit))
    const { rows } = await query<{ version: number | string; messages: Message[] | null }>(this.pool, CHANGES_SQL, [conversationId, since, take + 1, floor])
    const row = rows[0]
    if (!row) return { messages: [], version: Math.max(since, 0), hasMore: false }
    const changed = row.messages ?? []
    const messages = changed.slice(0, take)
    const hasMore = changed.length > take
    const version = hasMore ? (messages.at(-1)?.version ?? since) : Math.max(since, int(row.version))
    return { messages, version, hasMore }
  }

  async version(conversationId: string): Promise<number> {
    checkId(conversationId)
    const { rows } = await query<{ version: number | string }>(this.pool, 'SELECT version FROM message_counters WHERE conversation_id = $1', [conversationId])
    return int(rows[0]?.version)
  }

  async expiredSeq(conversationId: string): Promise<number> {
    checkId(conversationId)
    const { rows } = await query<{ expired_seq: number | string }>(this.pool, 'SELECT expired_seq FROM message_counters WHERE conversation_id = $1', [
      conversationId
    ])
    return int(rows[0]?.expired_seq)
  }

  async systemCount(conversationId: string, after: number, through: number): Promise<number> {
    checkId(conversationId)
    if (through <= after) return 0
    // Through the partial index messages_uncounted (migration 009): the rows counted are those alone (uncounted.ts).
    const { rows } = await query<{ n: number | string }>(
      this.pool,
      `SELECT count(*) AS n FROM messages WHERE conversation_id = $1 AND ${UNCOUNTED} AND seq > $2 AND seq <= $3`,
      [conversationId, after, through]
    )
    return int(rows[0]?.n)
  }

  /**
   * Moves the retention floor over the messages created before `before`
   * (seq order taken as time order: the floor stops at the first message
   * kept) and deletes them, in one transaction. A first look without locks
   * answers the common case, nothing to expire, without writing.
   */
  async expire(conversationId: string, before: string): Promise<ExpireResult> {
    checkId(conversationId)
    // createdAt is read from the stored Message, in JavaScript: json operators
    // in SQL would parse the whole text and refuse an escaped NUL in it.
    const peek = await query<{ expired_seq: number | string; first: Message | null; old: boolean | null }>(
      this.pool,
      `SELECT c.expired_seq, f.message AS first, f.created_at < $2::timestamptz AS old
       FROM message_counters c
       LEFT JOIN LATERAL (
         SELECT m.message, m.created_at FROM messages m
         WHERE m.conversation_id = c.conversation_id AND m.seq > c.expired_seq ORDER BY m.seq LIMIT 1
       ) f ON true
       WHERE c.conversation_id = $1`,
      [conversationId, before]
    )
    const look = peek.rows[0]
    if (!look) return { expiredSeq: 0, moved: false, attachments: [], keptFrom: null }
    if (!look.first || look.old === false) {
      return { expiredSeq: int(look.expired_seq), moved: false, attachments: [], keptFrom: look.first?.createdAt ?? null }
    }
    return transaction(this.pool, async (client) => {
      const counter = await lockCounter(client, conversationId)
      if (!counter) return { expiredSeq: 0, moved: false, attachments: [], keptFrom: null }
      // A statement after the lock: it sees every append committed before it.
      const { rows } = await query<{ seq: number | string; message: Message }>(
        client,
        `SELECT seq, message FROM messages
         WHERE conversation_id = $1 AND seq > $2 AND created_at >= $3::timestamptz
         ORDER BY seq LIMIT 1`,
        [conversationId, counter.expiredSeq, before]
      )
      const kept = rows[0]
      const floor = kept ? int(kept.seq) - 1 : counter.lastSeq
      const keptFrom = kept?.message.createdAt ?? null
      if (floor <= counter.expiredSeq) return { expiredSeq: counter.expiredSeq, moved: false, attachments: [], keptFrom }
      const deleted = await query<{ attachments: string[] | null }>(
        client,
        `WITH c AS (UPDATE message_counters SET expired_seq = $3 WHERE conversation_id = $1),
         d AS (DELETE FROM messages WHERE conversation_id = $1 AND seq > $2 AND seq <= $3 RETURNING seq, attachment_ids)
         SELECT array_agg(a.id ORDER BY d.seq, a.n) AS attachments
         FROM d CROSS JOIN LATERAL unnest(d.attachment_ids) WITH ORDINALITY AS a(id, n)`,
        [conversationId, counter.expiredSeq, floor]
      )
      return { expiredSeq: floor, moved: true, attachments: deleted.rows[0]?.attachments ?? [], keptFrom }
    })
  }

  async drop(conversationId: string): Promise<void> {
    checkId(conversationId)
    await transaction(this.pool, async (client) => {
      // The counter first, as every writer does (a change waiting on it then finds nothing).
      await lockCounter(client, conversationId)
      await query(client, 'DELETE FROM messages WHERE conversation_id = $1', [conversationId])
      await query(client, 'DELETE FROM message_counters WHERE conversation_id = $1', [conversationId])
    })
  }

  /** The pool belongs to the store, which ends it. */
  close(): Promise<void> {
    return Promise.resolve()
  }
}

interface Counter {
  lastSeq: number
  version: number
  expiredSeq: number
}

/** Locks a conversation's counter row until the transaction ends; undefined if it has none (no message ever). */
async function lockCounter(client: PoolClient, conversationId: string): Promise<Counter | undefined> {
  const { rows } = await query<{ last_seq: number | string; version: number | string; expired_seq: number | string }>(
    client,
    'SELECT last_seq, version, expired_seq FROM message_counters WHERE conversation_id = $1 FOR UPDATE',
    [conversationId]
  )
  const row = rows[0]
  return row && { lastSeq: int(row.last_seq), version: int(row.version), expiredSeq: int(row.expired_seq) }
}
