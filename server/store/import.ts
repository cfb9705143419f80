// `messenger-server import`: moves an office server's data directory into an
// empty PostgreSQL database, so it can go on with the PostgreSQL engine.
//
// The data directory is opened as the server opens it (openFileStore, which
// takes its lock: a running server makes the import refuse), and read through
// the Store where the Store answers (users, conversations, invite codes,
// settings, every message in its latest state, versions, retention floors).
// What the Store has no "read everything" call for is read from the
// directory's own structures: memberships (in their global order), token
// families, invitations, contacts and reset codes from db.json and its journal
// (JournaledJsonFile), file records from files/<id>.json, and a changed
// message's original attachments from its segment.
//
// Everything is written in one transaction with direct SQL against the
// engine's tables (migrations/001_meta.ts, 002_messages.ts), so every value is
// kept exactly (seqs, change versions, times, reactions, cursor marks) and a
// failure leaves the database as empty as it was. Messages go through a
// staging table first, so their search cursors can follow time across all
// conversations, as the data directory's search index numbers them.
import type { NotificationPrefs } from '../../src/shared/schemas/notification-prefs'
import { isTimed } from './notification-prefs-repo'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Message } from '../../src/shared/schemas/messages'
import { AppError } from '../errors'
import { dataDirTokenKey, TOKEN_KEY_SECRET } from '../secret'
import { CERTIFICATE_SECRET, certificateSecret, dataDirCertificate } from '../tls/certificate'
import { openFileStore } from './index'
import { JournaledJsonFile } from './journaled-json-file'
import { readSegment, segmentOf } from './messages/segments'
import { migrate } from './postgres/migrate'
import { createPool, describeError, describeTarget, redactMessage, type Pool, type PoolClient } from './postgres/pool'
import { foldForSearch } from './postgres/search'
import { flatMarks } from './read-marks'
import type {
  ContactRecord,
  ConversationRecord,
  DbData,
  FileRecord,
  InvitationRecord,
  JoinCodeRecord,
  MembershipRecord,
  PinRecord,
  RefreshFamilyRecord,
  ResetCodeRecord,
  SavedRecord,
  ScheduledRecord,
  ServerSettingsRecord,
  UserGroupRecord,
  WebhookRecord,
  BotRecord,
  BotTokenRecord,
  ThreadRecord,
  UserRecord
} from './records'
import type { ThreadFollowRecord } from './records'
import type { Store } from './types'

/** A failure the command reports in one sentence (exit 1): a refusal, or a database that cannot be reached. */
export class ImportError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ImportError'
  }
}

export interface ImportOptions {
  /** Progress and summary lines (without a newline); never holds the database password. */
  progress?: (line: string) => void
  /** Messages read and written per batch (default 512, a segment). */
  batch?: number
}

export interface ImportSummary {
  /** Where the data went: host:port/database. */
  database: string
  /** Migrations this run applied before importing. */
  migrations: string[]
  users: number
  conversations: number
  memberships: number
  messages: number
  /** Messages edited, deleted or reacted to (they carry a change version). */
  changedMessages: number
  /** Conversations whose retention floor is above 0. */
  expiredConversations: number
  refreshFamilies: number
  invitations: number
  contacts: number
  invites: number
  resetCodes: number
  /** User groups (@design). */
  userGroups: number
  files: number
  /** Whether the settings were ever changed (and so were written). */
  settings: boolean
  /** The data directory's signing key and TLS certificate that were copied (either may be missing). */
  secrets: ('signing key' | 'certificate')[]
  /** What was left out or adjusted, one sentence each. */
  warnings: string[]
  elapsedMs: number
}

/** Rows per INSERT statement. */
const ROWS_PER_STATEMENT = 1000
const RECORD_FILE = /^([0-9a-f-]{36})\.json$/
const ID_PATTERN = /^[0-9a-f-]{36}$/
/** Tables the engine's migrations make: the database must hold no row in any of them. */
const TABLES = [
  'users',
  'conversations',
  'memberships',
  'refresh_families',
  'refresh_tokens',
  'invitations',
  'contacts',
  'server_settings',
  'signup_invites',
  'reset_codes',
  'user_groups',
  // Issue 21 (migration 016).
  'webhooks',
  'bots',
  'bot_tokens',
  'files',
  'message_counters',
  'messages',
  // Issue 20 (migration 010).
  'pins',
  'saved_messages',
  'thread_replies',
  'thread_follows',
  // Issue 21 (migration 014).
  'scheduled_messages',
  // Issue 21 (migration 013).
  'notification_prefs'
] as const

/**
 * A pool on `url` whose first connection succeeded; a failure names where it
 * tried (host, port, database), never the password.
 */
export async function connectPostgres(url: string, max = 2): Promise<Pool> {
  let target: string
  try {
    target = describeTarget(url)
  } catch (err) {
    throw new ImportError(`not a usable PostgreSQL URL: ${redactMessage(describeError(err), url)}`, { cause: err })
  }
  const pool = createPool(url, { max })
  try {
    const client = await pool.connect()
    client.release()
  } catch (err) {
    await pool.end().catch(() => undefined)
    throw new ImportError(`cannot reach PostgreSQL at ${target}: ${redactMessage(describeError(err), url)}`, { cause: err })
  }
  return pool
}

/** Moves the data directory `dataDir` into the empty database at `databaseUrl`. */
export async function importDataDir(dataDir: string, databaseUrl: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now()
  const say = options.progress ?? (() => undefined)
  const batch = Math.max(1, Math.min(options.batch ?? 512, 10_000))
  const dir = resolve(dataDir)
  const target = describeTarget(databaseUrl)
  if (!existsSync(join(dir, 'db.json'))) throw new ImportError(`${dir} holds no server data (no db.json): give the server's data directory`)

  let store: Store
  try {
    // No search index: nothing is searched, and its file is left as it is.
    store = await openFileStore(dir, { search: false })
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict') {
      throw new ImportError(`${err.message}.\nThe import needs the server stopped: a running server keeps writing its data directory.`, { cause: err })
    }
    throw new ImportError(`cannot open ${dir}: ${(err as Error).message}`, { cause: err })
  }
  try {
    const pool = await connectPostgres(databaseUrl)
    try {
      let migrations: string[]
      try {
        ;({ applied: migrations } = await migrate(pool))
      } catch (err) {
        throw new ImportError(`cannot prepare the schema at ${target}: ${redactMessage(describeError(err), databaseUrl)}`, { cause: err })
      }
      say(migrations.length > 0 ? `Schema: applied ${migrations.join(', ')}` : 'Schema: already up to date')
      const source = await readRecords(dir, store)
      say(
        `Read ${dir}: ${count(source.users.length, 'account')}, ${count(source.conversations.length, 'conversation')}, ` +
          `${count(source.memberships.length, 'membership')}, ${count(source.families.length, 'signed-in session')}, ` +
          `${count(source.files.length, 'file record')}`
      )
      const summary: ImportSummary = {
        database: target,
        migrations,
        users: source.users.length,
        conversations: source.conversations.length,
        memberships: source.memberships.length,
        messages: 0,
        changedMessages: 0,
        expiredConversations: 0,
        refreshFamilies: source.families.length,
        invitations: source.invitations.length,
        contacts: source.contacts.length,
        invites: source.invites.length,
        resetCodes: source.resetCodes.length,
        userGroups: source.userGroups.length,
        files: source.files.length,
        settings: source.settings !== null,
        secrets: [],
        warnings: source.warnings,
        elapsedMs: 0
      }
      await inTransaction(pool, databaseUrl, async (client) => {
        await refuseUnlessEmpty(client, target)
        await writeRecords(client, source)
        summary.secrets = await writeSecrets(client, dir)
        await writeHistory(client, store, dir, source.conversations, summary, batch, say)
      })
      summary.elapsedMs = Math.round(performance.now() - started)
      return summary
    } finally {
      await pool.end().catch(() => undefined)
    }
  } finally {
    await store.close()
  }
}

// ---------------------------------------------------------------- reading

interface SourceRecords {
  users: UserRecord[]
  conversations: ConversationRecord[]
  memberships: MembershipRecord[]
  families: RefreshFamilyRecord[]
  invitations: InvitationRecord[]
  contacts: ContactRecord[]
  settings: ServerSettingsRecord | null
  invites: JoinCodeRecord[]
  resetCodes: ResetCodeRecord[]
  userGroups: UserGroupRecord[]
  /** Issue 21: webhooks of conversations that still exist, bots and their tokens. */
  webhooks: WebhookRecord[]
  bots: BotRecord[]
  botTokens: BotTokenRecord[]
  files: FileRecord[]
  /** Issue 20: pins oldest first, saved messages oldest first per user (the order the engines list them back in reverse). */
  pins: PinRecord[]
  saved: SavedRecord[]
  /** Threads' replies and follows (issue 20), of conversations that still exist. */
  threads: ThreadRecord[]
  /** Issue 21: scheduled messages (they may wait a year: an import keeps them). */
  scheduled: ScheduledRecord[]
  threadFollows: ThreadFollowRecord[]
  /** Issue 21: notification preferences by user id. */
  notificationPrefs: Map<string, NotificationPrefs>
  warnings: string[]
}

/**
 * Everything but history. The document is read a second time, as the store
 * read it (snapshot plus journal), for the collections the Store cannot list;
 * the lock is held, so nothing changes it meanwhile.
 */
async function readRecords(dir: string, store: Store): Promise<SourceRecords> {
  const warnings: string[] = []
  const doc: Partial<DbData> = (await new JournaledJsonFile<DbData>(join(dir, 'db.json')).read()) ?? {}

  const users = await store.users.all()
  const conversations: ConversationRecord[] = []
  for (const id of await store.conversations.allIds()) {
    const conversation = await store.conversations.byId(id)
    if (conversation) conversations.push(conversation)
  }
  const known = new Set(conversations.map((c) => c.id))

  // In the document's order, which is the order each user's conversations are
  // listed in; a repeated one keeps its first place and its last state, as
  // the store's index does; one of a conversation that is gone is left out.
  const memberships = new Map<string, MembershipRecord>()
  let orphans = 0
  for (const m of doc.memberships ?? []) {
    if (!known.has(m.conversationId)) {
      orphans++
      continue
    }
    const readMarks = flatMarks(m.readMarks)
    const deliveredMarks = flatMarks(m.deliveredMarks)
    memberships.set(`${m.conversationId}\n${m.userId}`, {
      ...m,
      ...(readMarks ? { readMarks } : {}),
      ...(deliveredMarks ? { deliveredMarks } : {})
    })
  }
  if (orphans > 0) warnings.push(`left out ${count(orphans, 'membership')} of conversations that no longer exist`)

  // Only the latest invitation between two people is kept (the one the store answers).
  const invitations = new Map<string, InvitationRecord>()
  for (const invitation of Object.values(doc.invitations ?? {})) {
    const key = `${invitation.fromUserId}\n${invitation.toUserId}`
    invitations.delete(key)
    invitations.set(key, invitation)
  }
  const allInvitations = Object.keys(doc.invitations ?? {}).length
  if (invitations.size < allInvitations) warnings.push(`left out ${count(allInvitations - invitations.size, 'older invitation')} superseded by a later one between the same people`)

  // Never changed: no row, so the engine answers this code's defaults (as the data directory does).
  const settings = doc.settings ? await store.admin.settings() : null

  return {
    users,
    conversations,
    memberships: [...memberships.values()],
    families: Object.values(doc.refreshFamilies ?? {}),
    invitations: [...invitations.values()],
    contacts: Object.values(doc.contacts ?? {}),
    settings,
    invites: await store.admin.invites(),
    resetCodes: Object.values(doc.resetCodes ?? {}),
    userGroups: await store.userGroups.all(),
    webhooks: Object.values(doc.webhooks ?? {}).filter((w) => known.has(w.conversationId)),
    bots: Object.values(doc.bots ?? {}),
    botTokens: Object.values(doc.botTokens ?? {}).filter((t) => doc.bots?.[t.botId] !== undefined),
    files: await readFileRecords(join(dir, 'files'), warnings),
    // Issue 20: those of conversations (and users) that no longer exist are left out, as their tables' keys require.
    pins: Object.values(doc.pins ?? {}).flat().filter((p) => known.has(p.conversationId)),
    saved: Object.values(doc.saved ?? {})
      .flat()
      .filter((x) => known.has(x.conversationId) && users.some((u) => u.id === x.userId)),
    threads: Object.values(doc.threads ?? {}).filter((t) => known.has(t.conversationId)),
    threadFollows: Object.values(doc.threadFollows ?? {}).filter((f) => known.has(f.conversationId)),
    scheduled: Object.values(doc.scheduled ?? {}),
    notificationPrefs: await store.notificationPrefs.many(users.map((u) => u.id)),
    warnings
  }
}

/** Every file record of files/ (the store reads them all at start but lists only the unfinished). */
async function readFileRecords(dir: string, warnings: string[]): Promise<FileRecord[]> {
  const records: FileRecord[] = []
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return records
    throw err
  }
  for (const name of names) {
    if (!RECORD_FILE.test(name)) continue
    try {
      records.push(JSON.parse(await readFile(join(dir, name), 'utf8')) as FileRecord)
    } catch {
      // The server skips these too (with a warning in its log).
      warnings.push(`skipped the unreadable file record ${join(dir, name)}`)
    }
  }
  return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
}

// ---------------------------------------------------------------- writing

type ColumnType = 'text' | 'bigint' | 'integer' | 'boolean' | 'timestamptz' | 'bigint[]' | 'text[]' | 'json' | 'jsonb'

interface Column {
  name: string
  type: ColumnType
}

const columns = (spec: string): Column[] =>
  spec
    .trim()
    .split(/\s*,\s*/)
    .map((pair) => {
      const [name, type] = pair.split(/\s+/) as [string, ColumnType]
      return { name, type }
    })

/** A PostgreSQL array literal, for an array column sent inside a text[] parameter. */
function arrayLiteral(values: readonly (string | number | null)[]): string {
  const items = values.map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`))
  return `{${items.join(',')}}`
}

/** Columns that cannot be a plain element of an unnest()ed array parameter travel as text and are cast. */
const travelsAsText = (type: ColumnType): boolean => type.endsWith('[]') || type === 'json' || type === 'jsonb'

function encode(type: ColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (type.endsWith('[]')) return arrayLiteral(value as (string | number | null)[])
  if (type === 'json' || type === 'jsonb') return typeof value === 'string' ? value : JSON.stringify(value)
  return value
}

/**
 * Inserts rows in their order (identity `ord` columns follow it), a thousand
 * per statement, each column as one array parameter.
 */
async function insertRows(client: PoolClient, table: string, cols: readonly Column[], rows: readonly unknown[][], tail = ''): Promise<void> {
  const names = cols.map((c) => c.name).join(', ')
  const params = cols.map((c, i) => `$${i + 1}::${travelsAsText(c.type) ? 'text' : c.type}[]`).join(', ')
  const select = cols.map((c) => (travelsAsText(c.type) ? `u.${c.name}::${c.type}` : `u.${c.name}`)).join(', ')
  const sql = `INSERT INTO ${table} (${names}) SELECT ${select} FROM unnest(${params}) WITH ORDINALITY AS u(${names}, n) ORDER BY n ${tail}`
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT)
    await client.query(
      sql,
      cols.map((c, i) => chunk.map((row) => encode(c.type, row[i])))
    )
  }
}

/** Threads' replies (their mentions as an array: unnest would flatten one, so they travel as JSON) and follows. */
async function writeThreads(client: PoolClient, source: SourceRecords): Promise<void> {
  const replies = source.threads.flatMap((t) => t.replies.map((r) => [t.conversationId, t.rootSeq, r.seq, r.senderId, r.createdAt, JSON.stringify(r.mentioned), r.mentionAll] as const))
  for (let start = 0; start < replies.length; start += ROWS_PER_STATEMENT) {
    const chunk = replies.slice(start, start + ROWS_PER_STATEMENT)
    await client.query(
      `INSERT INTO thread_replies (conversation_id, root_seq, seq, sender_id, created_at, mentioned, mention_all)
       SELECT u.c, u.r, u.s, u.sender, u.at, ARRAY(SELECT json_array_elements_text(u.m::json)), u.a
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[], $7::boolean[]) AS u(c, r, s, sender, at, m, a)`,
      [0, 1, 2, 3, 4, 5, 6].map((i) => chunk.map((row) => row[i]))
    )
  }
  await insertRows(
    client,
    'thread_follows',
    columns('conversation_id text, root_seq bigint, user_id text, following boolean, read_seq bigint'),
    source.threadFollows.map((f) => [f.conversationId, f.rootSeq, f.userId, f.following, f.readSeq])
  )
  await insertRows(
    client,
    'notification_prefs',
    columns('user_id text, prefs jsonb, timed boolean'),
    [...source.notificationPrefs].map(([userId, prefs]) => [userId, prefs, isTimed(prefs)])
  )
}

/** Runs `fn` in one transaction on one connection; any failure rolls all of it back. */
/**
 * The data directory's signing key and self-signed certificate, so that every
 * node, whatever its own data directory, keeps the apps signed in and trusting
 * it. They replace any a node made on the database before the import (its
 * tokens signed nobody in: the database held no account).
 */
async function writeSecrets(client: PoolClient, dir: string): Promise<ImportSummary['secrets']> {
  const key = await dataDirTokenKey(dir)
  const certificate = await dataDirCertificate(dir)
  const rows: [string, string][] = [
    ...(key ? [[TOKEN_KEY_SECRET, key.toString('base64url')] as [string, string]] : []),
    ...(certificate ? [[CERTIFICATE_SECRET, certificateSecret(certificate)] as [string, string]] : [])
  ]
  for (const [name, value] of rows) {
    await client.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value])
  }
  return [...(key ? ['signing key' as const] : []), ...(certificate ? ['certificate' as const] : [])]
}

async function inTransaction(pool: Pool, url: string, fn: (client: PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect()
  let broken: Error | undefined
  try {
    await client.query('BEGIN')
    try {
      // Success is reported once the commit is on disk, also where the database acknowledges commits before (as the engine's sessions do).
      const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')
      if (rows[0]?.synchronous_commit === 'off') await client.query('SET LOCAL synchronous_commit = on')
      await fn(client)
      await client.query('COMMIT')
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr))
      })
      if (err instanceof ImportError) throw err
      throw new ImportError(`the import failed and was rolled back, leaving the database empty: ${redactMessage(describeError(err), url)}`, { cause: err })
    }
  } finally {
    client.release(broken)
  }
}

/**
 * Locks every table against writers (a server started on the database
 * meanwhile waits) and refuses a database that holds anything.
 */
async function refuseUnlessEmpty(client: PoolClient, target: string): Promise<void> {
  await client.query(`LOCK TABLE ${TABLES.join(', ')} IN EXCLUSIVE MODE`)
  const { rows } = await client.query<Record<string, boolean>>(`SELECT ${TABLES.map((t) => `EXISTS (SELECT 1 FROM ${t}) AS ${t}`).join(', ')}`)
  const held = TABLES.filter((t) => rows[0]?.[t])
  if (held.length === 0) return
  const { rows: counts } = await client.query<{ users: number; conversations: number }>(
    'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM conversations)::int AS conversations'
  )
  const what =
    held.includes('users') || held.includes('conversations')
      ? `${count(counts[0]?.users ?? 0, 'account')} and ${count(counts[0]?.conversations ?? 0, 'conversation')}`
      : `rows in ${held.join(', ')}`
  throw new ImportError(`the database at ${target} is not empty: it already holds ${what}. Import only into a new, empty database; nothing was changed.`)
}

const NULLABLE_USER_FIELDS = ['avatar', 'disabledAt', 'email'] as const

async function writeRecords(client: PoolClient, source: SourceRecords): Promise<void> {
  await insertRows(
    client,
    'users',
    columns(`id text, username text, username_lower text, display_name text, display_name_lower text, status_text text, avatar text,
      password_hash text, created_at timestamptz, last_seen_at timestamptz, hide_last_seen boolean, contacts_only_direct boolean,
      server_admin boolean, disabled_at timestamptz, email text, null_fields text[], bot boolean, status_emoji text, status_expires_at timestamptz`),
    source.users.map((u) => [
      u.id,
      u.username,
      u.usernameLower,
      u.displayName,
      u.displayName.toLowerCase(),
      u.statusText,
      u.avatar,
      u.passwordHash,
      u.createdAt,
      u.lastSeenAt,
      u.hideLastSeen,
      u.contactsOnlyDirect,
      u.serverAdmin,
      u.disabledAt,
      u.email,
      NULLABLE_USER_FIELDS.filter((key) => u[key] === null),
      u.bot ?? null,
      u.statusEmoji,
      u.statusExpiresAt
    ])
  )
  await insertRows(
    client,
    'conversations',
    columns(`id text, kind text, title text, room_key text, created_at timestamptz, created_by text, direct_key text, description text,
      avatar text, join_code text, join_code_created_by text, join_code_created_at timestamptz, join_code_expires_at timestamptz,
      join_code_max_uses integer, join_code_uses integer, broadcast_mentions text`),
    source.conversations.map((c) => [
      c.id,
      c.kind,
      c.title,
      c.kind === 'room' && c.title ? c.title.toLowerCase() : null,
      c.createdAt,
      c.createdBy,
      c.directKey,
      c.description,
      c.avatar,
      c.joinCode?.code,
      c.joinCode?.createdBy,
      c.joinCode?.createdAt,
      c.joinCode?.expiresAt,
      c.joinCode?.maxUses,
      c.joinCode?.uses,
      c.broadcastMentions
    ])
  )
  await insertRows(
    client,
    'memberships',
    columns(`conversation_id text, user_id text, role text, joined_at timestamptz, read_seq bigint, delivered_seq bigint, cleared_seq bigint,
      read_marks bigint[], delivered_marks bigint[], mention_seqs bigint[]`),
    source.memberships.map((m) => [
      m.conversationId,
      m.userId,
      m.role,
      m.joinedAt,
      m.readSeq,
      m.deliveredSeq,
      m.clearedSeq,
      m.readMarks,
      m.deliveredMarks,
      m.mentionSeqs
    ])
  )
  await insertRows(
    client,
    'refresh_families',
    columns('id text, user_id text, created_at bigint, revoked_at bigint, tokens jsonb, expires_at bigint'),
    source.families.map((f) => [
      f.id,
      f.userId,
      f.createdAt,
      f.revokedAt,
      f.tokens,
      f.tokens.length === 0 ? null : Math.max(...f.tokens.map((t) => t.expiresAt))
    ])
  )
  // Each hash finds one family: the last that holds it, as the store's index is built.
  const hashes = new Map<string, string>()
  for (const f of source.families) for (const t of f.tokens) hashes.set(t.hash, f.id)
  await insertRows(client, 'refresh_tokens', columns('hash text, family_id text'), [...hashes])
  await insertRows(
    client,
    'invitations',
    columns('id text, from_user_id text, to_user_id text, message text, status text, created_at timestamptz, responded_at timestamptz'),
    source.invitations.map((i) => [i.id, i.fromUserId, i.toUserId, i.message, i.status, i.createdAt, i.respondedAt])
  )
  await insertRows(
    client,
    'contacts',
    columns('user_a text, user_b text, since timestamptz'),
    source.contacts.map((c) => {
      const [a, b] = [...c.userIds].sort()
      return [a, b, c.since]
    }),
    'ON CONFLICT (user_a, user_b) DO NOTHING'
  )
  await writeThreads(client, source)
  if (source.settings) {
    const s = source.settings
    await client.query(
      'INSERT INTO server_settings (id, name, registration, max_file_bytes, retention_days, link_previews) VALUES (true, $1, $2, $3, $4, $5)',
      [s.name, s.registration, s.maxFileBytes, s.retentionDays ?? null, s.linkPreviews ?? 'public']
    )
  }
  await insertRows(
    client,
    'signup_invites',
    columns('code text, created_by text, created_at timestamptz, expires_at timestamptz, max_uses integer, uses integer'),
    source.invites.map((i) => [i.code, i.createdBy, i.createdAt, i.expiresAt, i.maxUses, i.uses])
  )
  await insertRows(
    client,
    'user_groups',
    columns('id text, handle text, name text, member_ids text[], manager_ids text[], created_by text, created_at timestamptz'),
    source.userGroups.map((g) => [g.id, g.handle, g.name, g.memberIds, g.managerIds, g.createdBy, g.createdAt])
  )
  await insertRows(
    client,
    'webhooks',
    columns('id text, conversation_id text, name text, bot_user_id text, token_hash text, created_by text, created_at timestamptz'),
    source.webhooks.map((w) => [w.id, w.conversationId, w.name, w.botUserId, w.tokenHash, w.createdBy, w.createdAt])
  )
  await insertRows(client, 'bots', columns('user_id text, created_by text, created_at timestamptz'), source.bots.map((b) => [b.userId, b.createdBy, b.createdAt]))
  await insertRows(
    client,
    'bot_tokens',
    columns('id text, bot_id text, hash text, created_by text, created_at timestamptz'),
    source.botTokens.map((t) => [t.id, t.botId, t.hash, t.createdBy, t.createdAt])
  )
  await insertRows(
    client,
    'reset_codes',
    columns('user_id text, hash text, expires_at bigint, created_at bigint'),
    source.resetCodes.map((r) => [r.userId, r.hash, r.expiresAt, r.createdAt])
  )
  await insertRows(
    client,
    'files',
    columns(`id text, conversation_id text, uploader_id text, name text, size bigint, type text, sha256 text, width integer, height integer,
      thumbnail text, created_at timestamptz, complete boolean, attached boolean`),
    source.files.map((f) => [
      f.id,
      f.conversationId,
      f.uploaderId,
      f.name,
      f.size,
      f.type,
      f.sha256,
      f.width,
      f.height,
      f.thumbnail,
      f.createdAt,
      f.complete,
      f.attached
    ])
  )
  await insertRows(
    client,
    'pins',
    columns('conversation_id text, seq bigint, pinned_by text, pinned_at timestamptz'),
    source.pins.map((p) => [p.conversationId, p.seq, p.pinnedBy, p.pinnedAt])
  )
  // In the data directory's order: the identity column `ord` keeps it.
  await insertRows(
    client,
    'saved_messages',
    columns('user_id text, conversation_id text, seq bigint, saved_at timestamptz'),
    source.saved.map((x) => [x.userId, x.conversationId, x.seq, x.savedAt])
  )
  // Unclaimed: the first node to run its scheduler sends those due.
  await insertRows(
    client,
    'scheduled_messages',
    columns('id text, user_id text, send_at timestamptz, failed boolean, body jsonb'),
    source.scheduled.map((x) => [x.id, x.userId, x.sendAt, x.failed !== undefined, x])
  )
}

const STAGED = columns(`conversation_id text, seq bigint, at_ms bigint, sender_id text, client_id text, created_at timestamptz, kind text,
  deleted boolean, version bigint, search_text text, attachment_ids text[], message text`)

/**
 * Every conversation's history: its messages in their latest state (read
 * through the store, a page at a time) into the staging table, and its
 * counter row (last seq, change version, retention floor); then all messages
 * into `messages` at once, numbered for search by time.
 */
async function writeHistory(
  client: PoolClient,
  store: Store,
  dir: string,
  conversations: readonly ConversationRecord[],
  summary: ImportSummary,
  batch: number,
  say: (line: string) => void
): Promise<void> {
  // More memory for the sorts and the index builds, for this transaction only.
  await client.query(`SET LOCAL work_mem = '64MB'`)
  await client.query(`SET LOCAL maintenance_work_mem = '256MB'`)
  await client.query(`CREATE TEMP TABLE import_messages (${STAGED.map((c) => `${c.name} ${c.type}`).join(', ')}) ON COMMIT DROP`)
  const counters: [string, number, number, number][] = []
  let lastReport = performance.now()
  const report = (done: number): void =>
    say(`History: ${done}/${conversations.length} conversations, ${count(summary.messages, 'message')} (${summary.changedMessages.toLocaleString('en-US')} changed)`)

  for (const [index, conversation] of conversations.entries()) {
    const id = conversation.id
    const expiredSeq = await store.messages.expiredSeq(id)
    const version = await store.messages.version(id)
    const originals = new OriginalReader(join(dir, 'messages', id))
    let lastSeq = expiredSeq
    let after = expiredSeq
    for (;;) {
      const page = await store.messages.page(id, { after, limit: batch })
      const rows: unknown[][] = []
      for (const m of page.messages) {
        lastSeq = Math.max(lastSeq, m.seq)
        const changed = m.version !== undefined
        if (changed) summary.changedMessages++
        // Retention reports the files a message was sent with, also once it was deleted.
        const sent = changed ? ((await originals.get(m.seq)) ?? m) : m
        const attachmentIds = sent.attachments?.map((a) => a.id) ?? null
        rows.push([
          id,
          m.seq,
          Number.isFinite(Date.parse(m.createdAt)) ? Date.parse(m.createdAt) : 0,
          m.senderId,
          m.clientId,
          m.createdAt,
          m.kind,
          Boolean(m.deletedAt),
          m.version,
          foldForSearch(m.text),
          attachmentIds,
          JSON.stringify(m)
        ])
      }
      await insertRows(client, 'import_messages', STAGED, rows)
      summary.messages += rows.length
      if (!page.hasMore) break
      after = page.messages.at(-1)?.seq ?? after + batch
      if (performance.now() - lastReport > 1000) {
        lastReport = performance.now()
        report(index)
      }
    }
    const last = await store.messages.last(id)
    if (last && last.seq !== lastSeq) throw new Error(`the history of ${id} ends at ${last.seq} but its pages at ${lastSeq}`)
    if (expiredSeq > 0) summary.expiredConversations++
    if (lastSeq > 0 || version > 0) counters.push([id, lastSeq, version, expiredSeq])
    if (performance.now() - lastReport > 1000) {
      lastReport = performance.now()
      report(index + 1)
    }
  }
  report(conversations.length)

  await insertRows(client, 'message_counters', columns('conversation_id text, last_seq bigint, version bigint, expired_seq bigint'), counters)
  await renameRepeatedClientIds(client, summary)
  say(`History: storing ${count(summary.messages, 'message')} with their search index`)
  // Building an index once is several times faster than growing it row by
  // row (the trigram one above all): the table's own indexes (not those of
  // its constraints) are dropped and made again from their definitions as
  // they are, inside this transaction, so a failure leaves them as they were.
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.indrelid = 'messages'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`
  )
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`)
  // search_id: time order across conversations (created ms × 1000, as the
  // data directory's search index numbers its documents), made unique by
  // rising at least by one from row to row; the identity then goes on above.
  await client.query(`
    INSERT INTO messages (conversation_id, seq, search_id, sender_id, client_id, created_at, kind, deleted, version, search_text, attachment_ids, message)
    OVERRIDING SYSTEM VALUE
    SELECT conversation_id, seq, rn + max(at_ms * 1000 - rn) OVER (ORDER BY rn ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
      sender_id, client_id, created_at, kind, deleted, version, search_text, attachment_ids, message::json
    FROM (SELECT s.*, row_number() OVER (ORDER BY at_ms, conversation_id, seq) AS rn FROM import_messages s) ranked
    ORDER BY conversation_id, seq`)
  for (const index of indexes) await client.query(index.def)
  await client.query(`SELECT setval(pg_get_serial_sequence('messages', 'search_id'), max(search_id)) FROM messages HAVING count(*) > 0`)
  await warnAboutStrayHistory(dir, conversations, summary)
}

/**
 * A (sender, clientId) is unique in a conversation on PostgreSQL: it is how a
 * retried send finds its message. Should a data directory hold one twice,
 * every message keeps it in the message itself (what everyone reads), and the
 * column of all but the newest gets a marked one, so a retry finds the newest,
 * as the data directory's dedupe index answers.
 */
async function renameRepeatedClientIds(client: PoolClient, summary: ImportSummary): Promise<void> {
  const { rows } = await client.query<{ conversation_id: string; n: number }>(`
    WITH repeated AS (
      UPDATE import_messages s SET client_id = s.client_id || '#duplicate-' || s.seq
      FROM (SELECT conversation_id, seq, row_number() OVER (PARTITION BY conversation_id, sender_id, client_id ORDER BY seq DESC) AS k
            FROM import_messages) d
      WHERE d.k > 1 AND d.conversation_id = s.conversation_id AND d.seq = s.seq
      RETURNING s.conversation_id)
    SELECT conversation_id, count(*)::int AS n FROM repeated GROUP BY conversation_id ORDER BY conversation_id`)
  for (const { conversation_id: id, n } of rows) {
    summary.warnings.push(`${id}: ${count(n, 'message')} repeat a later one's (sender, clientId); kept, and a retried send finds the later`)
  }
}

/** A changed message as it was sent, from its segment (one segment kept at a time). */
class OriginalReader {
  private segment = -1
  private messages = new Map<number, Message>()

  constructor(private readonly dir: string) {}

  async get(seq: number): Promise<Message | undefined> {
    const segment = segmentOf(seq)
    if (segment !== this.segment) {
      const { messages } = await readSegment(this.dir, segment)
      this.messages = new Map(messages.map((m) => [m.seq, m]))
      this.segment = segment
    }
    return this.messages.get(seq)
  }
}

/** History directories without a conversation (one deleted while its files stayed) are not imported: say so. */
async function warnAboutStrayHistory(dir: string, conversations: readonly ConversationRecord[], summary: ImportSummary): Promise<void> {
  const known = new Set(conversations.map((c) => c.id))
  const names = await readdir(join(dir, 'messages')).catch(() => [] as string[])
  const stray = names.filter((name) => ID_PATTERN.test(name) && !known.has(name))
  if (stray.length > 0) summary.warnings.push(`left out the history of ${count(stray.length, 'conversation')} that no longer exist (${stray.slice(0, 3).join(', ')}${stray.length > 3 ? ', …' : ''})`)
}

export function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`
}
