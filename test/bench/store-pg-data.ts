// Writes message history straight into the PostgreSQL engine's tables
// (server/store/postgres/migrations/002_messages.ts) by one INSERT … SELECT
// FROM generate_series per call, which is far faster than 1M appends through
// message_append(). The rows are exactly what an append writes: the counter
// row at the last seq, `message` as the JSON text PgMessageRepo.append builds
// ('{"seq":N,' then the Message's other keys in its order), search_text the
// folded text, no version, no attachments. Indexes and keys are dropped
// during the load and rebuilt from their own definitions afterwards (what
// pg_dump does), then the tables are vacuumed and analyzed.
import pg from 'pg'
import { openPostgresStore } from '../../server/store/postgres'
import { foldForSearch } from '../../server/store/postgres/search'
import { FILLER } from './store-data'

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, application_name: 'messenger-bench-prepare' })
  client.on('error', () => undefined)
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Brings a fresh database's schema up to date, as the server does at start. */
export async function migrateDatabase(url: string): Promise<void> {
  const store = await openPostgresStore(url)
  await store.close()
}

/** The message rows' indexes and keys, as SQL that recreates them. */
async function indexDefinitions(client: pg.Client): Promise<{ drop: string[]; create: string[] }> {
  const constraints = await client.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = 'messages'::regclass AND contype IN ('p', 'u') ORDER BY conname`
  )
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
     WHERE i.indrelid = 'messages'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`
  )
  return {
    drop: [
      ...indexes.rows.map((i) => `DROP INDEX ${i.name}`),
      ...constraints.rows.map((c) => `ALTER TABLE messages DROP CONSTRAINT ${c.name}`)
    ],
    create: [
      ...constraints.rows.map((c) => `ALTER TABLE messages ADD CONSTRAINT ${c.name} ${c.def}`),
      ...indexes.rows.map((i) => i.def)
    ]
  }
}

/**
 * Gives each of `conversationIds` the history seq 1..count (replacing any it
 * has: a group's creation writes a system message), sent in turn by
 * `senderIds`, one second apart and ending now. The text matches
 * store-data.ts' writeHistory.
 */
export async function writePgHistory(url: string, conversationIds: string[], count: number, senderIds: string[]): Promise<void> {
  const sample = `seed message 1${FILLER}`
  if (foldForSearch(sample) !== sample) throw new Error('the seed text must be its own search form')
  if (JSON.stringify(sample) !== `"${sample}"`) throw new Error('the seed text must need no JSON escapes')
  const startIso = new Date(Date.now() - count * 1000).toISOString()
  await withClient(url, async (client) => {
    const { drop, create } = await indexDefinitions(client)
    await client.query("SET maintenance_work_mem = '512MB'")
    await client.query('BEGIN')
    try {
      await client.query('DELETE FROM messages WHERE conversation_id = ANY($1)', [conversationIds])
      await client.query('DELETE FROM message_counters WHERE conversation_id = ANY($1)', [conversationIds])
      for (const statement of drop) await client.query(statement)
      await client.query(
        `INSERT INTO message_counters (conversation_id, last_seq, version, expired_seq)
         SELECT c, $2, 0, 0 FROM unnest($1::text[]) AS c`,
        [conversationIds, count]
      )
      // The subquery keeps one random id per row (volatile functions keep it from being flattened).
      await client.query(
        `INSERT INTO messages (conversation_id, seq, sender_id, client_id, created_at, kind, search_text, attachment_ids, message)
         SELECT r.conversation_id, r.seq, r.sender_id, r.client_id, r.created_at, 'text', r.text, NULL,
           ('{"seq":' || r.seq || ',"id":"' || r.id || '","clientId":"' || r.client_id || '","conversationId":"' || r.conversation_id ||
            '","kind":"text","senderId":"' || r.sender_id || '","text":"' || r.text || '","createdAt":"' ||
            to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"}')::json
         FROM (
           SELECT c.conversation_id, g.seq,
             gen_random_uuid()::text AS id, gen_random_uuid()::text AS client_id,
             ($3::text[])[(1 + g.seq % cardinality($3::text[]))::int] AS sender_id,
             $4::timestamptz + g.seq * interval '1 second' AS created_at,
             'seed message ' || g.seq || $5 AS text
           FROM unnest($1::text[]) WITH ORDINALITY AS c(conversation_id, n)
           CROSS JOIN generate_series(1, $2::bigint) AS g(seq)
           ORDER BY c.n, g.seq
         ) r`,
        [conversationIds, count, senderIds, startIso, FILLER]
      )
      for (const statement of create) await client.query(statement)
      await client.query('COMMIT')
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw err
    }
    const after = await indexDefinitions(client)
    if (JSON.stringify(after.create) !== JSON.stringify(create)) throw new Error('the rebuilt indexes differ from the schema')
    await client.query('VACUUM ANALYZE messages, message_counters')
  })
}

/** Messages and the size of the database, for the log. */
export async function describeDatabase(url: string): Promise<string> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ messages: number; bytes: string }>(
      'SELECT (SELECT count(*) FROM messages)::int AS messages, pg_database_size(current_database())::text AS bytes'
    )
    const row = rows[0]!
    return `${row.messages} messages, ${(Number(row.bytes) / 2 ** 20).toFixed(0)} MiB`
  })
}
