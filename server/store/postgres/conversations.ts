import { AppError } from '../../errors'
import { MARKS_KEPT } from '../read-marks'
import type { ConversationRecord, MembershipRecord } from '../records'
import type { ConversationRepo } from '../types'
import { givenKeys, iso, isoOrNull } from './columns'
import { prepared, query, transaction, uniqueViolation, type Pool, type Queryable } from './pool'

interface ConversationRow {
  id: string
  kind: ConversationRecord['kind']
  title: string | null
  created_at: Date
  created_by: string
  direct_key: string | null
  description: string
  avatar: string | null
  join_code: string | null
  join_code_created_by: string | null
  join_code_created_at: Date | null
  join_code_expires_at: Date | null
  join_code_max_uses: number | null
  join_code_uses: number | null
  broadcast_mentions: ConversationRecord['broadcastMentions'] | null
}

interface MembershipRow {
  conversation_id: string
  user_id: string
  role: MembershipRecord['role']
  joined_at: Date
  read_seq: number
  delivered_seq: number | null
  cleared_seq: number | null
  read_marks: number[] | null
  delivered_marks: number[] | null
  mention_seqs: number[] | null
}

const CONVERSATION = `c.id, c.kind, c.title, c.created_at, c.created_by, c.direct_key, c.description, c.avatar, c.join_code,
  c.join_code_created_by, c.join_code_created_at, c.join_code_expires_at, c.join_code_max_uses, c.join_code_uses, c.broadcast_mentions`
/** The columns a membership is written with (insertMembers); reads add its unread mentions. */
const MEMBERSHIP_WRITTEN = 'conversation_id, user_id, role, joined_at, read_seq, delivered_seq, cleared_seq, read_marks, delivered_marks'
const MEMBERSHIP = `${MEMBERSHIP_WRITTEN}, mention_seqs`
/** Elements of a marks list kept: MARKS_KEPT moves of two numbers each. */
const MARK_ELEMENTS = MARKS_KEPT * 2

function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    directKey: row.direct_key,
    description: row.description,
    avatar: row.avatar,
    joinCode:
      row.join_code === null
        ? null
        : {
            code: row.join_code,
            createdBy: row.join_code_created_by!,
            createdAt: iso(row.join_code_created_at!),
            expiresAt: isoOrNull(row.join_code_expires_at),
            maxUses: row.join_code_max_uses,
            uses: row.join_code_uses!
          },
    ...(row.broadcast_mentions ? { broadcastMentions: row.broadcast_mentions } : {})
  }
}

function toMembership(row: MembershipRow): MembershipRecord {
  const m: MembershipRecord = {
    conversationId: row.conversation_id,
    userId: row.user_id,
    role: row.role,
    joinedAt: iso(row.joined_at),
    readSeq: row.read_seq
  }
  if (row.cleared_seq !== null) m.clearedSeq = row.cleared_seq
  if (row.delivered_seq !== null) m.deliveredSeq = row.delivered_seq
  if (row.read_marks !== null) m.readMarks = row.read_marks
  if (row.delivered_marks !== null) m.deliveredMarks = row.delivered_marks
  if (row.mention_seqs !== null && row.mention_seqs.length > 0) m.mentionSeqs = row.mention_seqs.map(Number)
  return m
}

/** A public room's name key: its title in lower case, as JavaScript lowers it (null: not a room). */
const roomKey = (kind: ConversationRecord['kind'], title: string | null): string | null => (kind === 'room' && title ? title.toLowerCase() : null)

/** Unique keys a write may collide on, as errors the caller can answer (409). */
function conflict(err: unknown, conversation: Pick<ConversationRecord, 'title' | 'directKey'>): unknown {
  switch (uniqueViolation(err)) {
    case 'conversations_room_key_key':
      return new AppError('conflict', `a room named "${conversation.title}" already exists`)
    case 'conversations_direct_key_key':
      return new AppError('conflict', `a direct chat ${conversation.directKey} already exists`)
    case 'conversations_join_code_key':
      return new AppError('conflict', 'that join code is taken')
    default:
      return err
  }
}

async function insertMembers(db: Queryable, members: MembershipRecord[]): Promise<void> {
  // One membership per conversation and user: a repeated one replaces the
  // earlier where it stood (what the data-directory engine's map does).
  const unique = new Map<string, MembershipRecord>()
  for (const m of members) unique.set(`${m.conversationId}\n${m.userId}`, m)
  if (unique.size === 0) return
  const rows = [...unique.values()].map((m) => ({
    conversation_id: m.conversationId,
    user_id: m.userId,
    role: m.role,
    joined_at: m.joinedAt,
    read_seq: m.readSeq,
    delivered_seq: m.deliveredSeq ?? null,
    cleared_seq: m.clearedSeq ?? null,
    read_marks: m.readMarks ?? null,
    delivered_marks: m.deliveredMarks ?? null
  }))
  // One statement for any number of members (a room of 10,000 joins at once).
  await query(
    db,
    `INSERT INTO memberships (${MEMBERSHIP_WRITTEN})
     SELECT ${MEMBERSHIP_WRITTEN}
     FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (conversation_id text, user_id text, role text, joined_at timestamptz,
       read_seq bigint, delivered_seq bigint, cleared_seq bigint, read_marks bigint[], delivered_marks bigint[]))
       WITH ORDINALITY AS m(${MEMBERSHIP_WRITTEN}, n)
     ORDER BY n
     ON CONFLICT (conversation_id, user_id) DO UPDATE SET role = excluded.role, joined_at = excluded.joined_at,
       read_seq = excluded.read_seq, delivered_seq = excluded.delivered_seq, cleared_seq = excluded.cleared_seq,
       read_marks = excluded.read_marks, delivered_marks = excluded.delivered_marks`,
    [JSON.stringify(rows)]
  )
}

export class PgConversationRepo implements ConversationRepo {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => number,
    /** Where cursor moves are written: a pool whose commits need not wait for the disk (see openPostgresStore). */
    private readonly soft: Pool = pool
  ) {}

  async create(conversation: ConversationRecord, members: MembershipRecord[]): Promise<void> {
    const j = conversation.joinCode
    try {
      await transaction(this.pool, async (client) => {
        await query(
          client,
          `INSERT INTO conversations (id, kind, title, room_key, created_at, created_by, direct_key, description, avatar, join_code,
             join_code_created_by, join_code_created_at, join_code_expires_at, join_code_max_uses, join_code_uses)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [
            conversation.id,
            conversation.kind,
            conversation.title,
            roomKey(conversation.kind, conversation.title),
            conversation.createdAt,
            conversation.createdBy,
            conversation.directKey,
            conversation.description,
            conversation.avatar,
            j?.code ?? null,
            j?.createdBy ?? null,
            j?.createdAt ?? null,
            j?.expiresAt ?? null,
            j?.maxUses ?? null,
            j?.uses ?? null
          ]
        )
        await insertMembers(client, members)
      })
    } catch (err) {
      throw conflict(err, conversation)
    }
  }

  async byId(id: string): Promise<ConversationRecord | undefined> {
    return this.one('c.id = $1', id)
  }

  async byDirectKey(key: string): Promise<ConversationRecord | undefined> {
    return this.one('c.direct_key = $1', key)
  }

  async byJoinCode(code: string): Promise<ConversationRecord | undefined> {
    return this.one('c.join_code = $1', code)
  }

  async joinWithCode(code: string, member: MembershipRecord, now: number): Promise<'joined' | 'member' | 'refused'> {
    return transaction(this.pool, async (client) => {
      // The row lock first, the checks in a statement after it: that one's
      // snapshot sees what a join that held the lock before committed (its
      // use and its member), which the locking statement itself might not.
      const locked = await query(client, 'SELECT 1 FROM conversations WHERE id = $1 AND join_code = $2 FOR UPDATE', [member.conversationId, code])
      if (locked.rowCount === 0) return 'refused'
      const { rows } = await query<{ member: boolean; usable: boolean }>(
        client,
        `SELECT EXISTS (SELECT 1 FROM memberships m WHERE m.conversation_id = c.id AND m.user_id = $2) AS member,
           (c.join_code_expires_at IS NULL OR c.join_code_expires_at > $3)
             AND (c.join_code_max_uses IS NULL OR c.join_code_uses < c.join_code_max_uses) AS usable
         FROM conversations c WHERE c.id = $1`,
        [member.conversationId, member.userId, new Date(now).toISOString()]
      )
      if (rows[0]?.member) return 'member'
      if (!rows[0]?.usable) return 'refused'
      await query(client, 'UPDATE conversations SET join_code_uses = join_code_uses + 1 WHERE id = $1', [member.conversationId])
      await insertMembers(client, [member])
      return 'joined'
    })
  }

  async byRoomName(name: string): Promise<ConversationRecord | undefined> {
    return this.one('c.room_key = $1', name.toLowerCase())
  }

  private async one(where: string, value: string): Promise<ConversationRecord | undefined> {
    const { rows } = await query<ConversationRow>(this.pool, `SELECT ${CONVERSATION} FROM conversations c WHERE ${where}`, [value])
    return rows[0] && toConversation(rows[0])
  }

  async rooms(): Promise<ConversationRecord[]> {
    const { rows } = await query<ConversationRow>(this.pool, `SELECT ${CONVERSATION} FROM conversations c WHERE c.room_key IS NOT NULL ORDER BY c.room_ord`)
    return rows.map(toConversation)
  }

  async forUser(userId: string): Promise<ConversationRecord[]> {
    const { rows } = await query<ConversationRow>(
      this.pool,
      `SELECT ${CONVERSATION} FROM memberships m JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = $1 ORDER BY m.ord`,
      [userId]
    )
    return rows.map(toConversation)
  }

  async allIds(): Promise<string[]> {
    const { rows } = await query<{ id: string }>(this.pool, 'SELECT id FROM conversations ORDER BY ord')
    return rows.map((r) => r.id)
  }

  async members(conversationId: string): Promise<MembershipRecord[]> {
    const { rows } = await prepared<MembershipRow>(this.pool, 'conversation_members', `SELECT ${MEMBERSHIP} FROM memberships WHERE conversation_id = $1 ORDER BY ord`, [
      conversationId
    ])
    return rows.map(toMembership)
  }

  async membership(conversationId: string, userId: string): Promise<MembershipRecord | undefined> {
    const { rows } = await query<MembershipRow>(this.pool, `SELECT ${MEMBERSHIP} FROM memberships WHERE conversation_id = $1 AND user_id = $2`, [
      conversationId,
      userId
    ])
    return rows[0] && toMembership(rows[0])
  }

  async withMembership(
    conversationId: string,
    userId: string
  ): Promise<{ conversation: ConversationRecord; membership: MembershipRecord | undefined } | undefined> {
    const { rows } = await prepared<ConversationRow & MembershipRow>(
      this.pool,
      'conversation_with_membership',
      `SELECT ${CONVERSATION}, ${MEMBERSHIP} FROM conversations c LEFT JOIN memberships m ON m.conversation_id = c.id AND m.user_id = $2 WHERE c.id = $1`,
      [conversationId, userId]
    )
    const row = rows[0]
    if (!row) return undefined
    return { conversation: toConversation(row), membership: row.user_id === null ? undefined : toMembership(row) }
  }

  // Cursor moves are one UPDATE each, guarded by `< seq` in its WHERE: of two
  // moves racing, PostgreSQL re-checks the guard against the row the first
  // one wrote, so a cursor never goes back, and the marks are pushed in SQL
  // (messenger_push_mark) without a read first.

  async markRead(conversationId: string, userId: string, seq: number, at: number = this.now()): Promise<boolean> {
    const { rowCount } = await prepared(
      this.soft,
      'membership_mark_read',
      `UPDATE memberships SET
         read_seq = $3,
         read_marks = messenger_push_mark(read_marks, $3, $4, $5),
         mention_seqs = CASE WHEN mention_seqs IS NULL THEN NULL ELSE nullif(array(SELECT s FROM unnest(mention_seqs) s WHERE s > $3 ORDER BY s), '{}') END,
         delivered_marks = CASE WHEN coalesce(delivered_seq, 0) < $3 THEN messenger_push_mark(delivered_marks, $3, $4, $5) ELSE delivered_marks END,
         delivered_seq = CASE WHEN coalesce(delivered_seq, 0) < $3 THEN $3 ELSE delivered_seq END
       WHERE conversation_id = $1 AND user_id = $2 AND read_seq < $3`,
      [conversationId, userId, seq, at, MARK_ELEMENTS]
    )
    return rowCount === 1
  }

  /** The only move back: guarded by `> seq`, so of a mark-unread and a read racing, whichever commits last wins. */
  async markUnread(conversationId: string, userId: string, seq: number): Promise<boolean> {
    const { rowCount } = await prepared(
      this.soft,
      'membership_mark_unread',
      'UPDATE memberships SET read_seq = $3 WHERE conversation_id = $1 AND user_id = $2 AND read_seq > $3',
      [conversationId, userId, seq]
    )
    return rowCount === 1
  }

  async markDelivered(conversationId: string, userId: string, seq: number, at: number = this.now()): Promise<boolean> {
    const { rowCount } = await prepared(
      this.soft,
      'membership_mark_delivered',
      `UPDATE memberships SET delivered_seq = $3, delivered_marks = messenger_push_mark(delivered_marks, $3, $4, $5)
       WHERE conversation_id = $1 AND user_id = $2 AND coalesce(delivered_seq, 0) < $3`,
      [conversationId, userId, seq, at, MARK_ELEMENTS]
    )
    return rowCount === 1
  }

  async update(
    conversationId: string,
    patch: Partial<Pick<ConversationRecord, 'title' | 'description' | 'avatar' | 'joinCode' | 'broadcastMentions'>>
  ): Promise<ConversationRecord> {
    const values: unknown[] = [conversationId]
    const param = (value: unknown): string => {
      values.push(value)
      return `$${values.length}`
    }
    const sets: string[] = []
    for (const key of givenKeys(patch)) {
      if (key === 'title') {
        const title = patch.title ?? null
        sets.push(`title = ${param(title)}`)
        // A room renamed answers to its new name only, and comes last in
        // rooms(); an emptied title leaves the name as it was (all as the
        // data-directory engine's index of names does).
        const lower = param(title ? title.toLowerCase() : null)
        const renamed = `room_key IS NOT NULL AND ${lower}::text IS NOT NULL`
        sets.push(
          `room_key = CASE WHEN ${renamed} THEN ${lower} ELSE room_key END`,
          `room_ord = CASE WHEN ${renamed} THEN nextval('conversations_room_ord_seq') ELSE room_ord END`
        )
      } else if (key === 'description') {
        sets.push(`description = ${param(patch.description)}`)
      } else if (key === 'broadcastMentions') {
        sets.push(`broadcast_mentions = ${param(patch.broadcastMentions ?? null)}`)
      } else if (key === 'avatar') {
        sets.push(`avatar = ${param(patch.avatar ?? null)}`)
      } else if (key === 'joinCode') {
        const j = patch.joinCode ?? null
        sets.push(
          `join_code = ${param(j?.code ?? null)}`,
          `join_code_created_by = ${param(j?.createdBy ?? null)}`,
          `join_code_created_at = ${param(j?.createdAt ?? null)}`,
          `join_code_expires_at = ${param(j?.expiresAt ?? null)}`,
          `join_code_max_uses = ${param(j?.maxUses ?? null)}`,
          `join_code_uses = ${param(j?.uses ?? null)}`
        )
      }
    }
    if (sets.length === 0) {
      const conversation = await this.byId(conversationId)
      if (!conversation) throw new Error(`no conversation ${conversationId}`)
      return conversation
    }
    let rows: ConversationRow[]
    try {
      ;({ rows } = await query<ConversationRow>(this.pool, `UPDATE conversations c SET ${sets.join(', ')} WHERE c.id = $1 RETURNING ${CONVERSATION}`, values))
    } catch (err) {
      throw conflict(err, { title: patch.title ?? null, directKey: null })
    }
    if (!rows[0]) throw new Error(`no conversation ${conversationId}`)
    return toConversation(rows[0])
  }

  async addMembers(_conversationId: string, members: MembershipRecord[]): Promise<void> {
    await insertMembers(this.pool, members)
  }

  async removeMember(conversationId: string, userId: string): Promise<void> {
    await query(this.pool, 'DELETE FROM memberships WHERE conversation_id = $1 AND user_id = $2', [conversationId, userId])
  }

  async setRole(conversationId: string, userId: string, role: MembershipRecord['role']): Promise<void> {
    const { rowCount } = await query(this.pool, 'UPDATE memberships SET role = $3 WHERE conversation_id = $1 AND user_id = $2', [
      conversationId,
      userId,
      role
    ])
    if (rowCount !== 1) throw new Error(`${userId} is not in ${conversationId}`)
  }

  async delete(conversationId: string): Promise<void> {
    // Memberships go with it (ON DELETE CASCADE).
    await query(this.pool, 'DELETE FROM conversations WHERE id = $1', [conversationId])
  }

  async clearHistory(conversationId: string, userId: string, seq: number): Promise<void> {
    await query(this.pool, 'UPDATE memberships SET cleared_seq = greatest(coalesce(cleared_seq, 0), $3) WHERE conversation_id = $1 AND user_id = $2', [
      conversationId,
      userId,
      seq
    ])
  }
}
