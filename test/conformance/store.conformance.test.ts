// One repository suite, run against every storage engine: the data directory
// (lowdb journal, segment log, SQLite search) and PostgreSQL. Each test gets
// an empty store of its own; records must come back exactly as they were
// stored, and every answer an engine gives is noted, so that the last test
// can require both engines to have answered alike: that is what makes them
// interchangeable behind server/store/types.ts.
//
// The PostgreSQL half follows test/helpers/engines.ts: skipped (with one
// line) without MESSENGER_TEST_DATABASE_URL outside CI, failed under CI
// without it or when the server cannot be reached.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LIMITS } from '../../src/shared/limits'
import type { Attachment } from '../../src/shared/schemas/files'
import type { Message } from '../../src/shared/schemas/messages'
import { openFileStore } from '../../server/store'
import { MARKS_KEPT } from '../../server/store/read-marks'
import type {
  ConversationRecord,
  FileRecord,
  InvitationRecord,
  JoinCodeRecord,
  MembershipRecord,
  RefreshFamilyRecord,
  ResetCodeRecord,
  UserGroupRecord,
  WebhookRecord,
  BotRecord,
  BotTokenRecord,
  UserRecord
} from '../../server/store/records'
import type { ThreadReplyRecord } from '../../server/store/records'
import type { MessageDraft, SearchHit, Store } from '../../server/store/types'
import { freshDatabase, postgresAvailability, type Engine } from '../helpers/engines'

// ---------------------------------------------------------------- engines

/** 'run', 'skip', or why PostgreSQL runs cannot happen (its tests then fail with it). */
const postgres: 'run' | 'skip' | Error = await postgresAvailability().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))

/** Where a store lives: opened again on the same place, it must find everything. */
interface Place {
  open(): Promise<Store>
  remove(): Promise<void>
}

interface EngineCase {
  engine: Engine
  /** A new, empty place. */
  place: () => Promise<Place>
}

const T0 = Date.parse('2030-01-01T00:00:00.000Z')
const SECOND = 1000
const DAY = 24 * 3600 * SECOND
/** The stores' clock (message times, default cursor-move times): tests move it. */
let now = T0
const clock = (): number => now

const ENGINES: EngineCase[] = [
  {
    engine: 'data-dir',
    place: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'store-conformance-'))
      return { open: () => openFileStore(dir, { now: clock }), remove: () => rm(dir, { recursive: true, force: true }) }
    }
  },
  {
    engine: 'postgres',
    place: async () => {
      if (postgres instanceof Error) throw postgres
      const db = await freshDatabase('store conformance')
      // Imported here: a data-dir-only run never loads the PostgreSQL engine.
      const { openPostgresStore } = await import('../../server/store/postgres')
      return { open: () => openPostgresStore(db.url, { now: clock }), remove: () => db.drop() }
    }
  }
]

// ---------------------------------------------------------------- answers

/** What each engine answered, by test and question, normalized (see `normalize`). */
const answers: Record<Engine, Record<string, unknown>> = { 'data-dir': {}, postgres: {} }
/** Tests that finished on each engine: only their answers are compared. */
const passed: Record<Engine, Set<string>> = { 'data-dir': new Set(), postgres: new Set() }

/** The current test's name without its engine. */
function testName(): string {
  return (expect.getState().currentTestName ?? '').split(' > ').slice(1).join(' > ')
}

/**
 * JSON form (undefined fields gone, as neither engine can tell them from
 * absent ones), with what is random or opaque by contract replaced: message
 * ids (made by the engine) and search cursors.
 */
function normalize(value: unknown): unknown {
  if (value === undefined) return '(undefined)'
  return JSON.parse(JSON.stringify(value), (key, v: unknown) => {
    if (key === 'cursor' && typeof v === 'number') return '(cursor)'
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'clientId' in v && 'seq' in v && typeof (v as { id?: unknown }).id === 'string') {
      return { ...v, id: '(message id)' }
    }
    return v
  }) as unknown
}

// ---------------------------------------------------------------- records

const iso = (ms: number): string => new Date(ms).toISOString()
/** Deterministic UUIDs, so both engines see the same ids. */
const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
/** A copy: an engine may keep the object it is given, and the test's own must not change under it. */
const copy = <T>(value: T): T => structuredClone(value)
const sorted = (ids: readonly string[]): string[] => [...ids].sort()
const seqs = (messages: readonly Message[]): number[] => messages.map((m) => m.seq)

const U = (n: number): string => uuid(n)

function userRecord(n: number, username = `user${n}`, extra: Partial<UserRecord> = {}): UserRecord {
  return {
    id: U(n),
    username,
    usernameLower: username.toLowerCase(),
    displayName: `User ${n}`,
    statusText: '',
    passwordHash: `scrypt$16384$8$1$salt${n}$hash${n}`,
    createdAt: iso(T0 + n * SECOND),
    ...extra
  }
}

function groupRecord(n: number, extra: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    id: uuid(1000 + n),
    kind: 'group',
    title: `Group ${n}`,
    createdAt: iso(T0 + n * SECOND),
    createdBy: U(1),
    directKey: null,
    description: '',
    avatar: null,
    joinCode: null,
    ...extra
  }
}

function memberRecord(conversationId: string, userId: string, role: MembershipRecord['role'] = 'member'): MembershipRecord {
  return { conversationId, userId, role, joinedAt: iso(T0), readSeq: 0 }
}

const SHA = (c: string): string => c.repeat(64)

function attachment(n: number, extra: Partial<Attachment> = {}): Attachment {
  return { id: uuid(5000 + n), name: `file${n}.bin`, size: 100 * n, type: 'application/octet-stream', sha256: SHA('a'), ...extra }
}

function fileRecord(n: number, extra: Partial<FileRecord> = {}): FileRecord {
  return {
    id: uuid(5000 + n),
    conversationId: uuid(1001),
    uploaderId: U(1),
    name: `file${n}.bin`,
    size: 1000 * n,
    type: 'application/octet-stream',
    createdAt: iso(T0 + n * SECOND),
    complete: false,
    ...extra
  }
}

function familyRecord(n: number, userId: string, extra: Partial<RefreshFamilyRecord> = {}): RefreshFamilyRecord {
  return { id: uuid(7000 + n), userId, createdAt: T0, revokedAt: null, tokens: [{ hash: `hash-${n}-0`, expiresAt: T0 + DAY, rotatedAt: null }], ...extra }
}

function invitationRecord(n: number, from: string, to: string, extra: Partial<InvitationRecord> = {}): InvitationRecord {
  return { id: uuid(3000 + n), fromUserId: from, toUserId: to, message: null, status: 'pending', createdAt: iso(T0 + n * SECOND), respondedAt: null, ...extra }
}

function joinCode(code: string, extra: Partial<JoinCodeRecord> = {}): JoinCodeRecord {
  return { code, createdBy: U(1), createdAt: iso(T0), expiresAt: null, maxUses: null, uses: 0, ...extra }
}

function draft(clientId: string, text: string, senderId = U(1), extra: Partial<MessageDraft> = {}): MessageDraft {
  return { clientId, senderId, text, ...extra }
}

/** The message an append of `draft` at `at` must store (its id aside). */
function expected(conversationId: string, seq: number, d: MessageDraft, at: number): Message {
  return {
    id: expect.any(String),
    clientId: d.clientId,
    conversationId,
    seq,
    kind: d.kind ?? 'text',
    senderId: d.senderId,
    text: d.text,
    ...(d.system ? { system: d.system } : {}),
    createdAt: iso(at),
    ...(d.replyTo ? { replyTo: d.replyTo } : {}),
    ...(d.mentions ? { mentions: d.mentions } : {}),
    ...(d.attachments ? { attachments: d.attachments } : {})
  }
}

// ---------------------------------------------------------------- the suite

describe.each(ENGINES)('$engine', ({ engine, place: makePlace }) => {
  const skipped = engine === 'postgres' && postgres === 'skip'

  describe.skipIf(skipped)('store', () => {
    let place: Place | null = null
    let store: Store

    /** Notes an answer for the comparison between engines, and returns it. */
    function note<T>(question: string, value: T): T {
      answers[engine][`${testName()} :: ${question}`] = normalize(value)
      return value
    }

    /** Closes the store and opens it again on the same place. */
    async function reopen(): Promise<void> {
      await store.close()
      store = await place!.open()
      await store.start?.(() => false)
    }

    beforeEach(async () => {
      now = T0
      place = await makePlace()
      store = await place.open()
    })
    afterEach(async (ctx) => {
      const current = place
      place = null
      try {
        await store?.close()
      } finally {
        await current?.remove()
      }
      if (ctx.task.result?.state !== 'fail') passed[engine].add(testName())
    })

    it('says which engine it is', () => {
      expect(store.engine).toBe(engine)
    })

    describe('users', () => {
      it('create stores an account once per username in any case; byId, byIds and byUsername find it', async () => {
        const full = userRecord(1, 'Alice', {
          avatar: 'data:image/png;base64,iVBORw0KGgo=',
          lastSeenAt: iso(T0 + 5 * SECOND),
          hideLastSeen: true,
          contactsOnlyDirect: true,
          serverAdmin: true,
          disabledAt: null,
          email: 'alice@office.test'
        })
        const minimal = userRecord(2, 'bob')
        expect(note('create full', await store.users.create(copy(full)))).toBe(true)
        expect(await store.users.create(copy(minimal))).toBe(true)
        // The same name in another case is taken: nothing is stored.
        expect(note('create taken', await store.users.create(copy(userRecord(3, 'ALICE'))))).toBe(false)
        expect(await store.users.byId(U(3))).toBeUndefined()
        expect(await store.users.count()).toBe(2)

        expect(note('byId full', await store.users.byId(U(1)))).toEqual(full)
        expect(note('byId minimal', await store.users.byId(U(2)))).toEqual(minimal)
        expect(await store.users.byId(U(99))).toBeUndefined()
        const several = note('byIds', sortById(await store.users.byIds([U(2), U(99), U(1)])))
        expect(several).toEqual([full, minimal])
        expect(await store.users.byIds([])).toEqual([])
        for (const name of ['alice', 'ALICE', 'aLiCe']) expect(await store.users.byUsername(name)).toEqual(full)
        expect(await store.users.byUsername('nobody')).toBeUndefined()
      })

      it('search matches username or display name in any case, prefix matches first, then by username, up to the limit', async () => {
        const people: [number, string, string][] = [
          [1, 'alice', 'Alice Smith'],
          [2, 'malice', 'Mal'],
          [3, 'zed', 'Alina Z'],
          [4, 'bob', 'Bob Alison'],
          [5, 'carol', 'Carol'],
          [6, 'Aligator', 'Gator']
        ]
        for (const [n, username, displayName] of people) await store.users.create(copy(userRecord(n, username, { displayName })))
        const names = async (q: string, limit: number): Promise<string[]> => note(`search ${q} ${limit}`, (await store.users.search(q, limit)).map((u) => u.username))
        expect(await names('ali', 10)).toEqual(['alice', 'Aligator', 'zed', 'bob', 'malice'])
        expect(await names('ALI', 3)).toEqual(['alice', 'Aligator', 'zed'])
        expect(await names('smith', 10)).toEqual(['alice'])
        expect(await names('carol', 10)).toEqual(['carol'])
        expect(await names('nobody', 10)).toEqual([])
        expect(await names('', 2)).toHaveLength(2)
        // Whole records come back.
        expect((await store.users.search('zed', 1))[0]).toEqual(userRecord(3, 'zed', { displayName: 'Alina Z' }))
      })

      it('all lists every account oldest first; count counts them', async () => {
        expect(await store.users.all()).toEqual([])
        expect(await store.users.count()).toBe(0)
        // Stored out of order: all() sorts by createdAt.
        for (const n of [3, 1, 2]) await store.users.create(copy(userRecord(n)))
        expect(note('all', (await store.users.all()).map((u) => u.id))).toEqual([U(1), U(2), U(3)])
        expect(note('count', await store.users.count())).toBe(3)
      })

      it('update changes the given fields and answers the whole record; setLastSeen records the time', async () => {
        const original = userRecord(1, 'dora', { avatar: 'data:image/png;base64,AAAA', email: 'dora@office.test' })
        await store.users.create(copy(original))
        const patch = { displayName: 'Dora D', statusText: 'away', avatar: null, email: null, disabledAt: iso(T0 + DAY), serverAdmin: true, hideLastSeen: true, contactsOnlyDirect: true, passwordHash: 'scrypt$new' }
        const updated = note('update', await store.users.update(U(1), copy(patch)))
        expect(updated).toEqual({ ...original, ...patch })
        expect(await store.users.byId(U(1))).toEqual({ ...original, ...patch })
        // Enabled again: disabledAt null, as an admin sets it.
        expect(await store.users.update(U(1), { disabledAt: null })).toEqual({ ...original, ...patch, disabledAt: null })
        await expect(store.users.update(U(99), { displayName: 'nobody' })).rejects.toThrow()

        await store.users.setLastSeen(U(1), iso(T0 + 7 * SECOND))
        expect(note('lastSeen', (await store.users.byId(U(1)))?.lastSeenAt)).toBe(iso(T0 + 7 * SECOND))
        await store.users.setLastSeen(U(1), iso(T0 + 9 * SECOND))
        expect((await store.users.byId(U(1)))?.lastSeenAt).toBe(iso(T0 + 9 * SECOND))
        await expect(store.users.setLastSeen(U(99), iso(T0))).resolves.toBeUndefined()
      })
    })

    describe('conversations', () => {
      const G = groupRecord(1)
      const D: ConversationRecord = { ...groupRecord(2), kind: 'direct', title: null, directKey: `${U(1)}:${U(2)}` }

      async function withGroup(): Promise<void> {
        await store.conversations.create(copy(G), copy([memberRecord(G.id, U(1), 'admin'), memberRecord(G.id, U(2))]))
      }

      it('create stores a conversation with its members; byId, byDirectKey, forUser, allIds, members and membership find them', async () => {
        const withCode: ConversationRecord = groupRecord(3, { description: 'about things', avatar: 'data:image/png;base64,BBBB', joinCode: joinCode('CODE3', { maxUses: 5, uses: 2, expiresAt: iso(T0 + DAY) }) })
        await withGroup()
        await store.conversations.create(copy(D), copy([memberRecord(D.id, U(1)), memberRecord(D.id, U(2))]))
        await store.conversations.create(copy(withCode), copy([memberRecord(withCode.id, U(3), 'admin')]))

        expect(note('byId', await store.conversations.byId(G.id))).toEqual(G)
        expect(await store.conversations.byId(withCode.id)).toEqual(withCode)
        expect(await store.conversations.byId(uuid(9999))).toBeUndefined()
        expect(note('byDirectKey', await store.conversations.byDirectKey(D.directKey!))).toEqual(D)
        expect(await store.conversations.byDirectKey(`${U(2)}:${U(3)}`)).toBeUndefined()
        expect(await store.conversations.byJoinCode('CODE3')).toEqual(withCode)

        const forUser1 = note('forUser 1', (await store.conversations.forUser(U(1))).map((c) => c.id))
        expect(sorted(forUser1)).toEqual(sorted([G.id, D.id]))
        expect(await store.conversations.forUser(U(3))).toEqual([withCode])
        expect(await store.conversations.forUser(U(99))).toEqual([])
        expect(sorted(note('allIds', await store.conversations.allIds()))).toEqual(sorted([G.id, D.id, withCode.id]))

        const members = note('members', await store.conversations.members(G.id))
        expect(sortByUser(members)).toEqual([memberRecord(G.id, U(1), 'admin'), memberRecord(G.id, U(2))])
        expect(await store.conversations.members(uuid(9999))).toEqual([])
        expect(note('membership', await store.conversations.membership(G.id, U(2)))).toEqual(memberRecord(G.id, U(2)))
        expect(await store.conversations.membership(G.id, U(3))).toBeUndefined()
        expect(note('withMembership', await store.conversations.withMembership(G.id, U(2)))).toEqual({ conversation: G, membership: memberRecord(G.id, U(2)) })
        expect(await store.conversations.withMembership(G.id, U(3))).toEqual({ conversation: G, membership: undefined })
        expect(await store.conversations.withMembership(uuid(9999), U(1))).toBeUndefined()
      })

      it('markRead and markDelivered only move forward, read implies delivered, and each move is remembered with its time', async () => {
        await withGroup()
        const m = (): Promise<MembershipRecord | undefined> => store.conversations.membership(G.id, U(2))
        expect(note('read 5', await store.conversations.markRead(G.id, U(2), 5, T0 + 1))).toBe(true)
        expect(await m()).toEqual({ ...memberRecord(G.id, U(2)), readSeq: 5, deliveredSeq: 5, readMarks: [5, T0 + 1], deliveredMarks: [5, T0 + 1] })
        expect(note('read 3', await store.conversations.markRead(G.id, U(2), 3, T0 + 2))).toBe(false)
        expect(await store.conversations.markRead(G.id, U(2), 5, T0 + 2)).toBe(false)
        expect(note('delivered 4', await store.conversations.markDelivered(G.id, U(2), 4, T0 + 3))).toBe(false)
        expect(note('delivered 7', await store.conversations.markDelivered(G.id, U(2), 7, T0 + 4))).toBe(true)
        // Reading up to 6 moves the read cursor only: 7 was delivered already.
        expect(await store.conversations.markRead(G.id, U(2), 6, T0 + 5)).toBe(true)
        expect(note('after moves', await m())).toEqual({
          ...memberRecord(G.id, U(2)),
          readSeq: 6,
          deliveredSeq: 7,
          readMarks: [5, T0 + 1, 6, T0 + 5],
          deliveredMarks: [5, T0 + 1, 7, T0 + 4]
        })
        // Not a member, or no such conversation: nothing moves.
        expect(await store.conversations.markRead(G.id, U(9), 3, T0)).toBe(false)
        expect(await store.conversations.markDelivered(uuid(9999), U(2), 3, T0)).toBe(false)
      })

      // Issue 20 (i20-menu): mark unread from here.
      it('markUnread moves the read cursor back only, leaving delivered and the marks', async () => {
        await withGroup()
        const m = (): Promise<MembershipRecord | undefined> => store.conversations.membership(G.id, U(2))
        await store.conversations.markRead(G.id, U(2), 6, T0 + 1)
        expect(note('unread from 4', await store.conversations.markUnread(G.id, U(2), 3))).toBe(true)
        expect(await m()).toEqual({ ...memberRecord(G.id, U(2)), readSeq: 3, deliveredSeq: 6, readMarks: [6, T0 + 1], deliveredMarks: [6, T0 + 1] })
        expect(await store.conversations.markUnread(G.id, U(2), 3)).toBe(false)
        expect(await store.conversations.markUnread(G.id, U(2), 5)).toBe(false)
        expect((await m())?.readSeq).toBe(3)
        expect(await store.conversations.markRead(G.id, U(2), 6, T0 + 2)).toBe(true)
        expect(await store.conversations.markUnread(G.id, U(9), 1)).toBe(false)
      })

      it("a cursor move without a time is stamped by the store's clock, as messages are", async () => {
        await withGroup()
        now = T0 + 42 * SECOND
        await store.conversations.markRead(G.id, U(1), 2)
        await store.conversations.markDelivered(G.id, U(2), 3)
        expect(note('read', (await store.conversations.membership(G.id, U(1)))?.readMarks)).toEqual([2, T0 + 42 * SECOND])
        expect(note('delivered', (await store.conversations.membership(G.id, U(2)))?.deliveredMarks)).toEqual([3, T0 + 42 * SECOND])
      })

      it(`markRead remembers the last ${MARKS_KEPT} moves, oldest first`, async () => {
        await withGroup()
        const moves = MARKS_KEPT + 6
        for (let seq = 1; seq <= moves; seq++) await store.conversations.markRead(G.id, U(2), seq, T0 + seq)
        const member = note('member', await store.conversations.membership(G.id, U(2)))
        const kept = Array.from({ length: MARKS_KEPT }, (_, i) => moves - MARKS_KEPT + 1 + i).flatMap((seq) => [seq, T0 + seq])
        expect(member?.readMarks).toEqual(kept)
        expect(member?.deliveredMarks).toEqual(kept)
        expect(member?.readSeq).toBe(moves)
      })

      it('mentions: mark keeps unread seqs per member, once each, ascending; markRead prunes them; unmark forgets one; both survive a reopen', async () => {
        await withGroup()
        const seqsOf = async (userId: string): Promise<number[] | undefined> => (await store.conversations.membership(G.id, userId))?.mentionSeqs
        await store.mentions.mark(G.id, 4, [U(2), U(1), U(9)])
        await store.mentions.mark(G.id, 2, [U(2)])
        await store.mentions.mark(G.id, 4, [U(2)])
        expect(note('marked', await seqsOf(U(2)))).toEqual([2, 4])
        expect(await seqsOf(U(1))).toEqual([4])
        await store.conversations.markRead(G.id, U(2), 3, T0)
        expect(note('after read 3', await seqsOf(U(2)))).toEqual([4])
        // A member who read past it is not marked.
        await store.mentions.mark(G.id, 3, [U(2)])
        await store.mentions.mark(G.id, 6, [U(2)])
        await store.mentions.unmark(G.id, 4, [U(2), U(3)])
        await reopen()
        expect(note('after unmark and reopen', await seqsOf(U(2)))).toEqual([6])
        await store.conversations.markRead(G.id, U(2), 6, T0)
        expect(note('all read', await seqsOf(U(2)))).toBeUndefined()
      })

      it('update sets who may use @here and @all', async () => {
        await withGroup()
        expect(note('admins', await store.conversations.update(G.id, { broadcastMentions: 'admins' }))).toEqual({ ...G, broadcastMentions: 'admins' })
        await reopen()
        expect(note('reopened', await store.conversations.byId(G.id))).toEqual({ ...G, broadcastMentions: 'admins' })
        expect(note('everyone', await store.conversations.update(G.id, { broadcastMentions: 'everyone' }))).toEqual({ ...G, broadcastMentions: 'everyone' })
      })

      it('update changes title, description, avatar and join code; a new code replaces the old one, null removes it', async () => {
        await withGroup()
        const patch = { title: 'Renamed', description: 'now with a description', avatar: 'data:image/png;base64,CCCC' }
        expect(note('update', await store.conversations.update(G.id, copy(patch)))).toEqual({ ...G, ...patch })
        const first = joinCode('FIRSTCODE', { maxUses: 10, uses: 0 })
        expect(await store.conversations.update(G.id, { joinCode: copy(first) })).toEqual({ ...G, ...patch, joinCode: first })
        expect(note('byJoinCode first', await store.conversations.byJoinCode('FIRSTCODE'))).toEqual({ ...G, ...patch, joinCode: first })
        const second = joinCode('SECONDCODE', { expiresAt: iso(T0 + DAY), uses: 3 })
        await store.conversations.update(G.id, { joinCode: copy(second) })
        expect(await store.conversations.byJoinCode('FIRSTCODE')).toBeUndefined()
        expect((await store.conversations.byJoinCode('SECONDCODE'))?.joinCode).toEqual(second)
        // A use counted: the same code with one more use.
        await store.conversations.update(G.id, { joinCode: { ...second, uses: 4 } })
        expect((await store.conversations.byJoinCode('SECONDCODE'))?.joinCode?.uses).toBe(4)
        await store.conversations.update(G.id, { joinCode: null })
        expect(await store.conversations.byJoinCode('SECONDCODE')).toBeUndefined()
        expect(note('byId', await store.conversations.byId(G.id))).toEqual({ ...G, ...patch, joinCode: null })
        await expect(store.conversations.update(uuid(9999), { title: 'x' })).rejects.toThrow()
      })

      it('joinWithCode adds a member and counts a use at once; a member, a wrong, expired or used-up code changes nothing', async () => {
        await withGroup()
        await store.conversations.update(G.id, { joinCode: joinCode('TWOUSES', { maxUses: 2, expiresAt: iso(T0 + DAY) }) })
        expect(note('member', await store.conversations.joinWithCode('TWOUSES', memberRecord(G.id, U(2)), T0))).toBe('member')
        expect(note('wrong code', await store.conversations.joinWithCode('OTHERCODE', memberRecord(G.id, U(3)), T0))).toBe('refused')
        expect(note('expired', await store.conversations.joinWithCode('TWOUSES', memberRecord(G.id, U(3)), T0 + DAY))).toBe('refused')
        expect((await store.conversations.byJoinCode('TWOUSES'))?.joinCode?.uses).toBe(0)
        // Concurrent joins of three people through a code with two uses: two get in.
        const outcomes = await Promise.all([3, 4, 5].map((n) => store.conversations.joinWithCode('TWOUSES', memberRecord(G.id, U(n)), T0)))
        expect(note('outcomes', [...outcomes].sort())).toEqual(['joined', 'joined', 'refused'])
        expect((await store.conversations.byJoinCode('TWOUSES'))?.joinCode?.uses).toBe(2)
        // Which two of the three win is a race: compared between engines by count only.
        expect(note('members', (await store.conversations.members(G.id)).length)).toBe(4)
        const joined = [3, 4, 5].filter((_, i) => outcomes[i] === 'joined')
        for (const n of joined) expect(await store.conversations.membership(G.id, U(n))).toEqual(memberRecord(G.id, U(n)))
        await reopen()
        expect((await store.conversations.byJoinCode('TWOUSES'))?.joinCode?.uses).toBe(2)
        expect(await store.conversations.members(G.id)).toHaveLength(4)
      })

      it('public rooms: byRoomName in any case follows a rename; rooms lists rooms only', async () => {
        const lobby: ConversationRecord = groupRecord(4, { kind: 'room', title: 'Lobby' })
        const kitchen: ConversationRecord = groupRecord(5, { kind: 'room', title: 'Kitchen' })
        await withGroup()
        await store.conversations.create(copy(lobby), copy([memberRecord(lobby.id, U(1), 'admin')]))
        await store.conversations.create(copy(kitchen), [])
        for (const name of ['Lobby', 'lobby', 'LOBBY']) expect(await store.conversations.byRoomName(name)).toEqual(lobby)
        expect(await store.conversations.byRoomName(G.title!)).toBeUndefined()
        expect(sorted(note('rooms', (await store.conversations.rooms()).map((c) => c.id)))).toEqual(sorted([lobby.id, kitchen.id]))

        await store.conversations.update(lobby.id, { title: 'Great Hall' })
        expect(await store.conversations.byRoomName('lobby')).toBeUndefined()
        expect(note('renamed', await store.conversations.byRoomName('great hall'))).toEqual({ ...lobby, title: 'Great Hall' })
        expect(await store.conversations.rooms()).toHaveLength(2)
      })

      it('addMembers, removeMember and setRole change who is in a conversation, and forUser follows', async () => {
        await withGroup()
        await store.conversations.addMembers(G.id, copy([memberRecord(G.id, U(3)), memberRecord(G.id, U(4))]))
        expect(sorted((await store.conversations.members(G.id)).map((m) => m.userId))).toEqual([U(1), U(2), U(3), U(4)])
        expect(await store.conversations.forUser(U(3))).toEqual([G])
        expect(await store.conversations.membership(G.id, U(4))).toEqual(memberRecord(G.id, U(4)))

        await store.conversations.removeMember(G.id, U(3))
        expect(await store.conversations.membership(G.id, U(3))).toBeUndefined()
        expect(await store.conversations.forUser(U(3))).toEqual([])
        expect(note('members after remove', sortByUser(await store.conversations.members(G.id))).map((m) => m.userId)).toEqual([U(1), U(2), U(4)])
        // Removing someone who is not there changes nothing.
        await store.conversations.removeMember(G.id, U(3))

        await store.conversations.setRole(G.id, U(2), 'admin')
        expect(note('role', (await store.conversations.membership(G.id, U(2)))?.role)).toBe('admin')
        await store.conversations.setRole(G.id, U(1), 'member')
        expect((await store.conversations.membership(G.id, U(1)))?.role).toBe('member')
        await expect(store.conversations.setRole(G.id, U(3), 'admin')).rejects.toThrow()

        // Rejoining after leaving: a fresh membership.
        await store.conversations.addMembers(G.id, copy([memberRecord(G.id, U(3))]))
        expect(await store.conversations.membership(G.id, U(3))).toEqual(memberRecord(G.id, U(3)))
      })

      it('clearHistory keeps the highest seq asked for', async () => {
        await withGroup()
        await store.conversations.clearHistory(G.id, U(2), 5)
        expect((await store.conversations.membership(G.id, U(2)))?.clearedSeq).toBe(5)
        await store.conversations.clearHistory(G.id, U(2), 3)
        expect((await store.conversations.membership(G.id, U(2)))?.clearedSeq).toBe(5)
        await store.conversations.clearHistory(G.id, U(2), 8)
        expect(note('cleared', await store.conversations.membership(G.id, U(2)))).toEqual({ ...memberRecord(G.id, U(2)), clearedSeq: 8 })
        // Not a member: nothing to clear, no error.
        await expect(store.conversations.clearHistory(G.id, U(9), 3)).resolves.toBeUndefined()
      })

      it('delete removes a conversation and its memberships, and every way of finding it', async () => {
        const room: ConversationRecord = groupRecord(6, { kind: 'room', title: 'Doomed', joinCode: joinCode('DOOMED') })
        await withGroup()
        await store.conversations.create(copy(D), copy([memberRecord(D.id, U(1)), memberRecord(D.id, U(2))]))
        await store.conversations.create(copy(room), copy([memberRecord(room.id, U(1), 'admin')]))
        for (const id of [D.id, room.id]) await store.conversations.delete(id)
        expect(await store.conversations.byId(D.id)).toBeUndefined()
        expect(await store.conversations.byDirectKey(D.directKey!)).toBeUndefined()
        expect(await store.conversations.byRoomName('doomed')).toBeUndefined()
        expect(await store.conversations.byJoinCode('DOOMED')).toBeUndefined()
        expect(await store.conversations.rooms()).toEqual([])
        expect(await store.conversations.members(D.id)).toEqual([])
        expect(await store.conversations.membership(room.id, U(1))).toBeUndefined()
        expect(note('forUser', await store.conversations.forUser(U(1)))).toEqual([G])
        expect(note('allIds', await store.conversations.allIds())).toEqual([G.id])
        // A direct chat between the same two can be made again.
        await store.conversations.create(copy(D), copy([memberRecord(D.id, U(1))]))
        expect(await store.conversations.byDirectKey(D.directKey!)).toEqual(D)
        await expect(store.conversations.delete(uuid(9999))).resolves.toBeUndefined()
      })
    })

    // Drafts (i20-drafts).
    describe('drafts', () => {
      it('put keeps the newest by updatedAt, clear empties keeping the time, both survive a reopen, and leaving drops them', async () => {
        for (const n of [1, 2]) await store.users.create(userRecord(n))
        await store.conversations.create(groupRecord(10), [memberRecord(uuid(1010), U(1), 'admin'), memberRecord(uuid(1010), U(2))])
        const d = (text: string, at: number, threadRoot: number | null = null) => ({
          userId: U(1),
          conversationId: uuid(1010),
          threadRoot,
          text,
          replyTo: threadRoot === null ? null : 3,
          updatedAt: iso(T0 + at)
        })
        expect(note('first', await store.drafts.put(d('Hello', 2 * SECOND)))).toEqual({ draft: d('Hello', 2 * SECOND), written: true })
        expect(note('older', await store.drafts.put(d('Hel', SECOND)))).toEqual({ draft: d('Hello', 2 * SECOND), written: false })
        expect(note('same time', await store.drafts.put(d('Hello?', 2 * SECOND)))).toEqual({ draft: d('Hello', 2 * SECOND), written: false })
        await store.drafts.put(d('in a thread', 3 * SECOND, 7))
        expect(note('count', await store.drafts.count(U(1)))).toBe(2)
        expect(note('cleared', await store.drafts.clear(U(1), uuid(1010), null))).toEqual({ ...d('', 2 * SECOND), replyTo: null })
        expect(note('cleared again', await store.drafts.clear(U(1), uuid(1010), null))).toBeUndefined()
        expect(await store.drafts.count(U(1))).toBe(1)
        // The emptied one keeps its time: an older copy cannot bring it back.
        expect((await store.drafts.put(d('Hello', SECOND))).written).toBe(false)
        await reopen()
        const mine = note('after reopen', (await store.drafts.forUser(U(1))).sort((a, b) => (a.threadRoot ?? 0) - (b.threadRoot ?? 0)))
        expect(mine).toEqual([{ ...d('', 2 * SECOND), replyTo: null }, d('in a thread', 3 * SECOND, 7)])
        expect(await store.drafts.get(U(1), uuid(1010), 7)).toEqual(d('in a thread', 3 * SECOND, 7))
        expect(await store.drafts.forUser(U(2))).toEqual([])
        await store.conversations.removeMember(uuid(1010), U(1))
        expect(note('after leaving', await store.drafts.forUser(U(1)))).toEqual([])
        await reopen()
        expect(await store.drafts.forUser(U(1))).toEqual([])
      })
    })

    // Scheduled messages (issue 21 item 4).
    describe('scheduled', () => {
      it('lists a user\'s soonest first, claims what is due once until the claim lapses, keeps failed ones out, and survives a reopen', async () => {
        const s = (n: number, at: number, extra: Record<string, unknown> = {}) => ({
          id: uuid(7000 + n),
          userId: U(n === 3 ? 2 : 1),
          conversationId: uuid(1010),
          clientId: `sched-${uuid(7000 + n)}`,
          text: `scheduled ${n}`,
          sendAt: iso(T0 + at),
          createdAt: iso(T0),
          updatedAt: iso(T0),
          ...extra
        })
        await store.scheduled.put(s(1, 2 * DAY))
        await store.scheduled.put(s(2, DAY, { mentions: [U(2)], attachments: [{ id: uuid(1), name: 'a.txt', size: 1, type: 'text/plain', sha256: 'a'.repeat(64) }] }))
        await store.scheduled.put(s(3, DAY / 2))
        expect(note('mine', (await store.scheduled.forUser(U(1))).map((r) => r.id))).toEqual([uuid(7002), uuid(7001)])
        expect(note('count', await store.scheduled.count(U(1)))).toBe(2)
        expect(await store.scheduled.get(uuid(7002))).toEqual(s(2, DAY, { mentions: [U(2)], attachments: [{ id: uuid(1), name: 'a.txt', size: 1, type: 'text/plain', sha256: 'a'.repeat(64) }] }))

        const due = await store.scheduled.claimDue(T0 + DAY, 20 * SECOND, 10)
        expect(note('due', due.map((r) => r.id))).toEqual([uuid(7003), uuid(7002)])
        expect(await store.scheduled.claimDue(T0 + DAY, 20 * SECOND, 10)).toEqual([])
        expect(note('claimed', await store.scheduled.claimed(uuid(7002), T0 + DAY))).toBe(true)
        expect(await store.scheduled.claim(uuid(7002), T0 + DAY, 20 * SECOND)).toBe(false)
        // The claim lapses: due again.
        expect((await store.scheduled.claimDue(T0 + DAY + 21 * SECOND, 20 * SECOND, 10)).map((r) => r.id)).toEqual([uuid(7003), uuid(7002)])
        await store.scheduled.release(uuid(7003))
        expect(await store.scheduled.claim(uuid(7003), T0 + DAY + 22 * SECOND, 20 * SECOND)).toBe(true)
        // A failed one is never due; a send-now claim takes it anyway.
        await store.scheduled.put(s(1, 2 * DAY, { failed: { code: 'forbidden', message: 'left', at: iso(T0) } }))
        expect(note('due, not the failed', (await store.scheduled.claimDue(T0 + 3 * DAY, 20 * SECOND, 10)).map((x) => x.id))).toEqual([uuid(7003), uuid(7002)])
        expect(await store.scheduled.claim(uuid(7001), T0 + 3 * DAY, 20 * SECOND)).toBe(true)

        expect(note('removed', await store.scheduled.remove(uuid(7003)))).toBe(true)
        expect(await store.scheduled.remove(uuid(7003))).toBe(false)
        await reopen()
        expect(note('after reopen', await store.scheduled.forUser(U(1)))).toEqual([
          s(2, DAY, { mentions: [U(2)], attachments: [{ id: uuid(1), name: 'a.txt', size: 1, type: 'text/plain', sha256: 'a'.repeat(64) }] }),
          s(1, 2 * DAY, { failed: { code: 'forbidden', message: 'left', at: iso(T0) } })
        ])
        expect(await store.scheduled.forUser(U(2))).toEqual([])
      })
    })

    describe('contacts', () => {
      it('an invitation is stored, found both ways while pending, and a second one is refused while it is', async () => {
        const invitation = invitationRecord(1, U(1), U(2), { message: "Hi, it's Ann" })
        await store.contacts.createInvitation(copy(invitation))
        expect(note('invitation', await store.contacts.invitation(invitation.id))).toEqual(invitation)
        expect(await store.contacts.invitation(uuid(9999))).toBeUndefined()
        expect(await store.contacts.latestInvitation(U(1), U(2))).toEqual(invitation)
        expect(await store.contacts.latestInvitation(U(2), U(1))).toBeUndefined()
        expect(note('pending of sender', await store.contacts.pendingInvitations(U(1)))).toEqual([invitation])
        expect(await store.contacts.pendingInvitations(U(2))).toEqual([invitation])
        expect(await store.contacts.pendingInvitations(U(3))).toEqual([])
        await expect(store.contacts.createInvitation(copy(invitationRecord(2, U(1), U(2))))).rejects.toThrow()
        expect(await store.contacts.invitation(uuid(3002))).toBeUndefined()
        // The other direction is another invitation.
        const back = invitationRecord(3, U(2), U(1))
        await store.contacts.createInvitation(copy(back))
        expect(sortById(note('pending both ways', await store.contacts.pendingInvitations(U(1))))).toEqual([invitation, back])
      })

      it('respond ends a pending invitation once; a finished one is replaced by the next from the same sender', async () => {
        const first = invitationRecord(1, U(1), U(2))
        await store.contacts.createInvitation(copy(first))
        const declined = note('declined', await store.contacts.respond(first.id, 'declined', iso(T0 + DAY)))
        expect(declined).toEqual({ ...first, status: 'declined', respondedAt: iso(T0 + DAY) })
        expect(await store.contacts.invitation(first.id)).toEqual(declined)
        expect(await store.contacts.pendingInvitations(U(1))).toEqual([])
        await expect(store.contacts.respond(first.id, 'accepted', iso(T0 + DAY))).rejects.toThrow()
        await expect(store.contacts.respond(uuid(9999), 'accepted', iso(T0))).rejects.toThrow()
        expect(await store.contacts.contact(U(1), U(2))).toBeUndefined()

        const second = invitationRecord(2, U(1), U(2), { message: 'again?' })
        await store.contacts.createInvitation(copy(second))
        expect(note('first forgotten', await store.contacts.invitation(first.id))).toBeUndefined()
        expect(await store.contacts.latestInvitation(U(1), U(2))).toEqual(second)
        const cancelled = await store.contacts.respond(second.id, 'cancelled', iso(T0 + 2 * DAY))
        expect(cancelled).toEqual({ ...second, status: 'cancelled', respondedAt: iso(T0 + 2 * DAY) })
      })

      it('accepting makes the two contacts both ways; removeContact ends it once', async () => {
        const invitation = invitationRecord(1, U(2), U(1))
        await store.contacts.createInvitation(copy(invitation))
        await store.contacts.createInvitation(copy(invitationRecord(2, U(3), U(1))))
        const accepted = await store.contacts.respond(invitation.id, 'accepted', iso(T0 + DAY))
        expect(accepted).toEqual({ ...invitation, status: 'accepted', respondedAt: iso(T0 + DAY) })
        const contact = { userIds: [U(1), U(2)], since: iso(T0 + DAY) }
        expect(note('contact', await store.contacts.contact(U(1), U(2)))).toEqual(contact)
        expect(await store.contacts.contact(U(2), U(1))).toEqual(contact)
        expect(await store.contacts.contact(U(1), U(3))).toBeUndefined()
        expect(note('contactsOf 1', await store.contacts.contactsOf(U(1)))).toEqual([U(2)])
        expect(await store.contacts.contactsOf(U(2))).toEqual([U(1)])
        expect(await store.contacts.contactsOf(U(3))).toEqual([])
        await store.contacts.respond(uuid(3002), 'accepted', iso(T0 + 2 * DAY))
        expect(sorted(note('contactsOf 1 again', await store.contacts.contactsOf(U(1))))).toEqual([U(2), U(3)])

        expect(note('remove', await store.contacts.removeContact(U(2), U(1)))).toBe(true)
        expect(await store.contacts.removeContact(U(1), U(2))).toBe(false)
        expect(await store.contacts.contact(U(1), U(2))).toBeUndefined()
        expect(await store.contacts.contactsOf(U(1))).toEqual([U(3)])
        expect(await store.contacts.contactsOf(U(2))).toEqual([])
        // Friends again through a new invitation.
        await store.contacts.createInvitation(copy(invitationRecord(4, U(1), U(2))))
        await store.contacts.respond(uuid(3004), 'accepted', iso(T0 + 3 * DAY))
        expect(await store.contacts.contact(U(2), U(1))).toEqual({ userIds: [U(1), U(2)], since: iso(T0 + 3 * DAY) })
      })
    })

    describe('tokens', () => {
      it('save stores a family, found by id and by each of its token hashes', async () => {
        const family = familyRecord(1, U(1), {
          tokens: [
            { hash: 'h-old', expiresAt: T0 + DAY, rotatedAt: T0 + 5 },
            { hash: 'h-new', expiresAt: T0 + 2 * DAY, rotatedAt: null }
          ]
        })
        await store.tokens.save(copy(family))
        expect(note('byId', await store.tokens.familyById(family.id))).toEqual(family)
        expect(await store.tokens.familyByTokenHash('h-old')).toEqual(family)
        expect(await store.tokens.familyByTokenHash('h-new')).toEqual(family)
        expect(await store.tokens.familyByTokenHash('h-none')).toBeUndefined()
        expect(await store.tokens.familyById(uuid(9999))).toBeUndefined()
      })

      it('change sees the stored family, saves what it changed, and forgets the hashes it names', async () => {
        const family = familyRecord(1, U(1))
        await store.tokens.save(copy(family))
        const result = await store.tokens.change(family.id, (f) => {
          if (!f) return { save: false, result: 'missing' }
          expect(f).toEqual(family)
          f.tokens = [{ hash: 'hash-1-1', expiresAt: T0 + 2 * DAY, rotatedAt: null }]
          return { save: true, forgotten: ['hash-1-0'], result: 'rotated' }
        })
        expect(note('result', result)).toBe('rotated')
        const rotated = { ...family, tokens: [{ hash: 'hash-1-1', expiresAt: T0 + 2 * DAY, rotatedAt: null }] }
        expect(note('after', await store.tokens.familyById(family.id))).toEqual(rotated)
        expect(await store.tokens.familyByTokenHash('hash-1-1')).toEqual(rotated)
        expect(await store.tokens.familyByTokenHash('hash-1-0')).toBeUndefined()

        // Without save the answer still comes back, and nothing is written.
        expect(await store.tokens.change(family.id, (f) => ({ save: false, result: f?.tokens.length }))).toBe(1)
        expect(await store.tokens.familyById(family.id)).toEqual(rotated)
        // No such family: change sees undefined.
        expect(note('missing', await store.tokens.change(uuid(9999), (f) => ({ save: true, result: f === undefined })))).toBe(true)
        expect(await store.tokens.familyById(uuid(9999))).toBeUndefined()
      })

      it('change is atomic: 200 concurrent changes each adding a token all land', async () => {
        const family = familyRecord(1, U(1))
        await store.tokens.save(copy(family))
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            store.tokens.change(family.id, (f) => {
              f!.tokens.push({ hash: `concurrent-${i}`, expiresAt: T0 + DAY, rotatedAt: null })
              return { save: true, result: f!.tokens.length }
            })
          )
        )
        // Each saw the ones before it: every length from 2 to 201 once.
        expect(note('lengths', [...results].sort((a, b) => a - b))).toEqual(Array.from({ length: 200 }, (_, i) => i + 2))
        const stored = await store.tokens.familyById(family.id)
        expect(stored?.tokens).toHaveLength(201)
        expect(sorted(stored!.tokens.map((t) => t.hash))).toEqual(sorted(['hash-1-0', ...Array.from({ length: 200 }, (_, i) => `concurrent-${i}`)]))
        for (const i of [0, 99, 199]) expect((await store.tokens.familyByTokenHash(`concurrent-${i}`))?.id).toBe(family.id)
      })

      it("revokeUser revokes a user's live families in one go and answers their ids", async () => {
        await store.tokens.save(copy(familyRecord(1, U(1))))
        await store.tokens.save(copy(familyRecord(2, U(1))))
        await store.tokens.save(copy(familyRecord(3, U(1), { revokedAt: T0 + 1 })))
        await store.tokens.save(copy(familyRecord(4, U(2))))
        expect(sorted(note('revoked', sorted(await store.tokens.revokeUser(U(1), T0 + 10))))).toEqual([uuid(7001), uuid(7002)])
        expect((await store.tokens.familyById(uuid(7001)))?.revokedAt).toBe(T0 + 10)
        expect((await store.tokens.familyById(uuid(7002)))?.revokedAt).toBe(T0 + 10)
        expect((await store.tokens.familyById(uuid(7003)))?.revokedAt).toBe(T0 + 1)
        expect((await store.tokens.familyById(uuid(7004)))?.revokedAt).toBeNull()
        expect(note('again', await store.tokens.revokeUser(U(1), T0 + 20))).toEqual([])
        expect(await store.tokens.revokeUser(U(99), T0)).toEqual([])
      })

      it("a new session sweeps the user's families whose every token expired; revoked ones stay until then", async () => {
        await store.tokens.save(copy(familyRecord(1, U(1), { tokens: [{ hash: 'dead', expiresAt: T0 + 5, rotatedAt: null }] })))
        await store.tokens.save(copy(familyRecord(2, U(1), { revokedAt: T0 + 1 })))
        await store.tokens.save(copy(familyRecord(3, U(2), { tokens: [{ hash: 'dead-too', expiresAt: T0 + 5, rotatedAt: null }] })))
        await store.tokens.save(copy(familyRecord(4, U(1), { createdAt: T0 + 10 })))
        expect(note('dead one', await store.tokens.familyById(uuid(7001)))).toBeUndefined()
        expect(await store.tokens.familyByTokenHash('dead')).toBeUndefined()
        expect((await store.tokens.familyById(uuid(7002)))?.revokedAt).toBe(T0 + 1)
        // Another user's dead family waits for that user's next session.
        expect((await store.tokens.familyById(uuid(7003)))?.id).toBe(uuid(7003))
        expect((await store.tokens.familyById(uuid(7004)))?.id).toBe(uuid(7004))
      })
    })

    describe('admin', () => {
      const DEFAULTS = { name: 'LAN Messenger', registration: 'open', maxFileBytes: LIMITS.fileBytesDefault, retentionDays: null, linkPreviews: 'public' }

      it('settings start at the defaults; updateSettings changes what it is given and answers the whole', async () => {
        expect(note('defaults', await store.admin.settings())).toEqual(DEFAULTS)
        const changed = note('update', await store.admin.updateSettings({ name: 'Workshop', retentionDays: 30 }))
        expect(changed).toEqual({ ...DEFAULTS, name: 'Workshop', retentionDays: 30 })
        expect(await store.admin.settings()).toEqual(changed)
        expect(await store.admin.updateSettings({ registration: 'invite', maxFileBytes: 4096, retentionDays: null, linkPreviews: 'all' })).toEqual({
          name: 'Workshop',
          registration: 'invite',
          maxFileBytes: 4096,
          retentionDays: null,
          linkPreviews: 'all'
        })
        expect(note('after', await store.admin.settings())).toEqual({ name: 'Workshop', registration: 'invite', maxFileBytes: 4096, retentionDays: null, linkPreviews: 'all' })
      })

      it('invites are stored, replaced by code, listed oldest first, and deleted once', async () => {
        expect(await store.admin.invites()).toEqual([])
        const later = joinCode('LATERCODE', { createdAt: iso(T0 + DAY), maxUses: 3 })
        const earlier = joinCode('EARLYCODE', { createdAt: iso(T0), expiresAt: iso(T0 + 7 * DAY) })
        await store.admin.saveInvite(copy(later))
        await store.admin.saveInvite(copy(earlier))
        expect(note('invites', await store.admin.invites())).toEqual([earlier, later])
        expect(await store.admin.invite('LATERCODE')).toEqual(later)
        expect(await store.admin.invite('NOCODE')).toBeUndefined()
        await store.admin.saveInvite({ ...later, uses: 1 })
        expect((await store.admin.invite('LATERCODE'))?.uses).toBe(1)
        expect(await store.admin.invites()).toHaveLength(2)
        expect(note('delete', await store.admin.deleteInvite('EARLYCODE'))).toBe(true)
        expect(await store.admin.deleteInvite('EARLYCODE')).toBe(false)
        expect(await store.admin.invites()).toEqual([{ ...later, uses: 1 }])
      })

      it('reset codes: one per user, replaced by the next, deleted', async () => {
        const reset: ResetCodeRecord = { userId: U(1), hash: 'reset-hash-1', expiresAt: T0 + 600_000, createdAt: T0 }
        await store.admin.saveResetCode(copy(reset))
        expect(note('reset', await store.admin.resetCode(U(1)))).toEqual(reset)
        expect(await store.admin.resetCode(U(2))).toBeUndefined()
        const next = { ...reset, hash: 'reset-hash-2', expiresAt: T0 + 900_000, createdAt: T0 + 5 }
        await store.admin.saveResetCode(copy(next))
        expect(await store.admin.resetCode(U(1))).toEqual(next)
        await store.admin.deleteResetCode(U(1))
        expect(await store.admin.resetCode(U(1))).toBeUndefined()
        await expect(store.admin.deleteResetCode(U(1))).resolves.toBeUndefined()
      })
    })

    describe('user groups', () => {
      const group = (n: number, handle: string, extra: Partial<UserGroupRecord> = {}): UserGroupRecord => ({
        id: U(100 + n),
        handle,
        name: `Group ${n}`,
        memberIds: [U(1), U(2)],
        managerIds: [],
        createdBy: U(1),
        createdAt: iso(T0 + n),
        ...extra
      })

      it('are stored with unique handles, found by id, ids, handle and member, listed by handle, and kept across a reopen', async () => {
        expect(await store.userGroups.all()).toEqual([])
        const design = group(1, 'design', { managerIds: [U(3)] })
        const ops = group(2, 'ops', { memberIds: [U(2)] })
        expect(note('create', await store.userGroups.create(copy(ops)))).toBe(true)
        expect(await store.userGroups.create(copy(design))).toBe(true)
        expect(note('same handle', await store.userGroups.create(group(3, 'design')))).toBe(false)
        expect(await store.userGroups.byId(U(103))).toBeUndefined()
        expect(note('all', await store.userGroups.all())).toEqual([design, ops])
        expect(await store.userGroups.byId(design.id)).toEqual(design)
        expect(sortById(await store.userGroups.byIds([ops.id, U(199), design.id]))).toEqual(sortById([design, ops]))
        expect(await store.userGroups.byIds([])).toEqual([])
        expect(await store.userGroups.byHandle('ops')).toEqual(ops)
        expect(await store.userGroups.byHandle('nope')).toBeUndefined()
        expect(note('groupsOf', await store.userGroups.groupsOf(U(1)))).toEqual([design])
        expect(await store.userGroups.groupsOf(U(2))).toEqual([design, ops])
        expect(await store.userGroups.groupsOf(U(3))).toEqual([])
        await reopen()
        expect(await store.userGroups.all()).toEqual([design, ops])
        expect(await store.userGroups.byHandle('design')).toEqual(design)
      })

      it('update changes what it is given; a taken handle changes nothing; delete removes once', async () => {
        const design = group(1, 'design')
        const ops = group(2, 'ops')
        await store.userGroups.create(copy(design))
        await store.userGroups.create(copy(ops))
        const changed: UserGroupRecord = { ...design, name: 'Designers', memberIds: [U(3)], managerIds: [U(1)] }
        expect(note('update', await store.userGroups.update(design.id, { name: 'Designers', memberIds: [U(3)], managerIds: [U(1)] }))).toEqual(changed)
        expect(note('taken', await store.userGroups.update(design.id, { handle: 'ops', name: 'Ops too' }))).toBe('handle_taken')
        expect(await store.userGroups.byId(design.id)).toEqual(changed)
        expect(note('missing', await store.userGroups.update(U(199), { name: 'Ghost' }))).toBeUndefined()
        const renamed = await store.userGroups.update(design.id, { handle: 'ux' })
        expect(renamed).toEqual({ ...changed, handle: 'ux' })
        expect(await store.userGroups.byHandle('design')).toBeUndefined()
        expect(await store.userGroups.create(group(3, 'design'))).toBe(true)
        expect(await store.userGroups.groupsOf(U(3))).toEqual([group(3, 'design'), { ...changed, handle: 'ux' }].filter((g) => g.memberIds.includes(U(3))))
        expect(note('delete', await store.userGroups.delete(ops.id))).toBe(true)
        expect(await store.userGroups.delete(ops.id)).toBe(false)
        await reopen()
        expect((await store.userGroups.all()).map((g) => g.handle)).toEqual(['design', 'ux'])
      })
    })

    describe('webhooks and bots (issue 21)', () => {
      it('webhooks are found by id and token hash, listed per conversation oldest first, deleted once, and kept across a reopen', async () => {
        const hook = (n: number, conversationId: string): WebhookRecord => ({
          id: U(300 + n),
          conversationId,
          name: `Hook ${n}`,
          botUserId: U(310 + n),
          tokenHash: `hash-${n}`,
          createdBy: U(1),
          createdAt: iso(T0 + n)
        })
        const [a, b, c] = [hook(1, U(50)), hook(2, U(50)), hook(3, U(51))]
        for (const h of [b, a, c]) await store.webhooks.create(copy(h))
        expect(note('forConversation', await store.webhooks.forConversation(U(50)))).toEqual([a, b])
        expect(await store.webhooks.byId(c.id)).toEqual(c)
        expect(await store.webhooks.byTokenHash('hash-2')).toEqual(b)
        expect(await store.webhooks.byTokenHash('nope')).toBeUndefined()
        expect(note('delete', await store.webhooks.delete(a.id))).toBe(true)
        expect(await store.webhooks.delete(a.id)).toBe(false)
        expect(await store.webhooks.byTokenHash('hash-1')).toBeUndefined()
        await reopen()
        expect(await store.webhooks.forConversation(U(50))).toEqual([b])
        expect(await store.webhooks.byTokenHash('hash-3')).toEqual(c)
      })

      it('bots and their tokens: found by hash and id, revoked one at a time, gone with their bot; a bot user keeps its mark', async () => {
        const botUser = userRecord(20, 'printer', { bot: true, passwordHash: '' })
        await store.users.create(copy(botUser))
        const bot: BotRecord = { userId: botUser.id, createdBy: U(1), createdAt: iso(T0) }
        await store.bots.create(copy(bot))
        const token = (n: number): BotTokenRecord => ({ id: U(400 + n), botId: bot.userId, hash: `tok-${n}`, createdBy: U(1), createdAt: iso(T0 + n) })
        await store.bots.addToken(token(2))
        await store.bots.addToken(token(1))
        expect(note('tokens', await store.bots.tokens(bot.userId))).toEqual([token(1), token(2)])
        expect(await store.bots.tokenByHash('tok-2')).toEqual(token(2))
        expect(await store.bots.tokenById(token(1).id)).toEqual(token(1))
        expect(note('deleteToken', await store.bots.deleteToken(bot.userId, token(1).id))).toBe(true)
        expect(await store.bots.deleteToken(bot.userId, token(1).id)).toBe(false)
        expect(await store.bots.deleteToken(U(1), token(2).id)).toBe(false)
        await reopen()
        expect(await store.bots.all()).toEqual([bot])
        expect(await store.bots.tokenByHash('tok-1')).toBeUndefined()
        expect((await store.users.byId(botUser.id))?.bot).toBe(true)
        expect(note('delete bot', await store.bots.delete(bot.userId))).toBe(true)
        expect(await store.bots.delete(bot.userId)).toBe(false)
        expect(await store.bots.tokenByHash('tok-2')).toBeUndefined()
        expect(await store.bots.all()).toEqual([])
      })
    })

    describe('files', () => {
      it('put stores or replaces a record; get, incomplete and usage follow; attach marks only unattached files; delete forgets', async () => {
        const upload = fileRecord(1, { sha256: SHA('b') })
        const image = fileRecord(2, { type: 'image/png', width: 640, height: 480, thumbnail: 'data:image/webp;base64,UklG', complete: true, sha256: SHA('c'), attached: false })
        const old = fileRecord(3, { complete: true, sha256: SHA('d') }) // from before `attached` existed
        const theirs = fileRecord(4, { uploaderId: U(2) })
        for (const record of [upload, image, old, theirs]) await store.files.put(copy(record))
        expect(note('get upload', await store.files.get(upload.id))).toEqual(upload)
        expect(note('get image', await store.files.get(image.id))).toEqual(image)
        expect(await store.files.get(old.id)).toEqual(old)
        expect(await store.files.get(uuid(9999))).toBeUndefined()
        expect(sortById(note('incomplete', await store.files.incomplete()))).toEqual([upload, theirs])
        expect(note('usage', await store.files.usage(U(1)))).toBe(1000 + 2000 + 3000)
        expect(await store.files.usage(U(2))).toBe(4000)
        expect(await store.files.usage(U(3))).toBe(0)

        // The upload completes: replaced whole.
        const done: FileRecord = { ...upload, sha256: SHA('e'), complete: true, attached: false }
        await store.files.put(copy(done))
        expect(await store.files.get(upload.id)).toEqual(done)
        expect(await store.files.incomplete()).toEqual([theirs])

        await store.files.attach([upload.id, image.id, old.id, uuid(9999)])
        expect(await store.files.get(upload.id)).toEqual({ ...done, attached: true })
        expect(await store.files.get(image.id)).toEqual({ ...image, attached: true })
        // Records without the flag are left as they are.
        expect(note('old after attach', await store.files.get(old.id))).toEqual(old)
        await store.files.attach([])

        await store.files.delete(image.id)
        expect(await store.files.get(image.id)).toBeUndefined()
        expect(await store.files.usage(U(1))).toBe(1000 + 3000)
        await expect(store.files.delete(image.id)).resolves.toBeUndefined()
      })

      it('unfinished uploads: progress tracked once, one writer lease at a time, renewed and released by its holder only', async () => {
        const upload = fileRecord(1)
        const theirs = fileRecord(2, { uploaderId: U(2) })
        const done = fileRecord(3, { complete: true, sha256: SHA('c'), attached: false })
        for (const record of [upload, theirs, done]) await store.files.put(copy(record))
        // Untracked until its progress is recorded: nobody can write it yet.
        expect(sortById(note('untracked', await store.files.untracked()))).toEqual([upload, theirs])
        expect(await store.files.upload(upload.id)).toBeUndefined()
        expect(await store.files.claim(upload.id, 'early', 60_000)).toBeUndefined()
        await store.files.track(upload.id, { offset: 0, touchedAt: T0 })
        await store.files.track(theirs.id, { offset: 500, touchedAt: T0 + 5 * SECOND })
        // Tracked already, complete, or no such upload: left as they are.
        await store.files.track(upload.id, { offset: 99, touchedAt: T0 + 9 * SECOND })
        await store.files.track(done.id, { offset: 0, touchedAt: T0 })
        await store.files.track(uuid(9999), { offset: 0, touchedAt: T0 })
        expect(note('untracked after track', await store.files.untracked())).toEqual([])
        expect(note('upload', await store.files.upload(upload.id))).toEqual({ offset: 0, touchedAt: T0, writing: false })
        expect(await store.files.upload(done.id)).toBeUndefined()
        expect(await store.files.upload(uuid(9999))).toBeUndefined()

        expect(note('claim', await store.files.claim(upload.id, 'one', 60_000))).toEqual({ offset: 0, touchedAt: T0 })
        expect(note('claim while held', await store.files.claim(upload.id, 'two', 60_000))).toBe('busy')
        expect(await store.files.claim(done.id, 'two', 60_000)).toBeUndefined()
        expect(await store.files.claim(uuid(9999), 'two', 60_000)).toBeUndefined()
        expect((await store.files.upload(upload.id))?.writing).toBe(true)
        // Only the holder renews, recording progress; only the holder releases.
        expect(await store.files.renew(upload.id, 'one', 60_000, { offset: 300, touchedAt: T0 + SECOND })).toBe(true)
        expect(await store.files.renew(upload.id, 'two', 60_000, { offset: 999, touchedAt: T0 + 2 * SECOND })).toBe(false)
        expect(note('renewed', await store.files.upload(upload.id))).toEqual({ offset: 300, touchedAt: T0 + SECOND, writing: true })
        await store.files.release(upload.id, 'two', { offset: 1, touchedAt: T0 })
        expect(await store.files.upload(upload.id)).toEqual({ offset: 300, touchedAt: T0 + SECOND, writing: true })
        await store.files.release(upload.id, 'one', { offset: 400, touchedAt: T0 + 3 * SECOND })
        expect(note('released', await store.files.upload(upload.id))).toEqual({ offset: 400, touchedAt: T0 + 3 * SECOND, writing: false })
        expect(await store.files.renew(upload.id, 'one', 60_000, { offset: 999, touchedAt: T0 })).toBe(false)
        // A release without progress keeps the recorded one.
        expect(await store.files.claim(upload.id, 'three', 60_000)).toEqual({ offset: 400, touchedAt: T0 + 3 * SECOND })
        await store.files.release(upload.id, 'three')
        expect(await store.files.upload(upload.id)).toEqual({ offset: 400, touchedAt: T0 + 3 * SECOND, writing: false })
      })

      it('an expired lease is free to take; its holder renews it only if nobody took it since', async () => {
        const upload = fileRecord(1)
        await store.files.put(copy(upload))
        await store.files.track(upload.id, { offset: 10, touchedAt: T0 })
        // A term of 0 ms: expired at once.
        expect(await store.files.claim(upload.id, 'lapsed', 0)).toEqual({ offset: 10, touchedAt: T0 })
        expect(note('expired', await store.files.upload(upload.id))).toEqual({ offset: 10, touchedAt: T0, writing: false })
        expect(await store.files.renew(upload.id, 'lapsed', 60_000, { offset: 20, touchedAt: T0 + SECOND })).toBe(true)
        expect(await store.files.upload(upload.id)).toEqual({ offset: 20, touchedAt: T0 + SECOND, writing: true })
        expect(await store.files.claim(upload.id, 'other', 60_000)).toBe('busy')
        await store.files.release(upload.id, 'lapsed')
        expect(await store.files.claim(upload.id, 'slow', 0)).toEqual({ offset: 20, touchedAt: T0 + SECOND })
        expect(note('taken over', await store.files.claim(upload.id, 'fast', 60_000))).toEqual({ offset: 20, touchedAt: T0 + SECOND })
        expect(await store.files.renew(upload.id, 'slow', 60_000, { offset: 999, touchedAt: T0 })).toBe(false)
        await store.files.release(upload.id, 'slow', { offset: 999, touchedAt: T0 })
        expect(await store.files.upload(upload.id)).toEqual({ offset: 20, touchedAt: T0 + SECOND, writing: true })
      })

      it('idle uploads: no byte since a time and no live lease; deleteIdle checks again; a complete or deleted upload has no progress', async () => {
        const upload = fileRecord(1)
        const theirs = fileRecord(2, { uploaderId: U(2) })
        const untracked = fileRecord(3)
        for (const record of [upload, theirs, untracked]) await store.files.put(copy(record))
        await store.files.track(upload.id, { offset: 0, touchedAt: T0 + SECOND })
        await store.files.track(theirs.id, { offset: 0, touchedAt: T0 + 5 * SECOND })
        expect(sorted(note('idle', await store.files.idle(T0 + 10 * SECOND)))).toEqual(sorted([upload.id, theirs.id]))
        expect(note('idle of one uploader', await store.files.idle(T0 + 10 * SECOND, U(2)))).toEqual([theirs.id])
        // Touched exactly then is not idle since then.
        expect(await store.files.idle(T0 + 5 * SECOND)).toEqual([upload.id])
        expect(await store.files.idle(T0 + SECOND)).toEqual([])
        // Being written: never idle, never deleted as idle.
        expect(await store.files.claim(theirs.id, 'writer', 60_000)).toEqual({ offset: 0, touchedAt: T0 + 5 * SECOND })
        expect(await store.files.idle(T0 + 10 * SECOND)).toEqual([upload.id])
        expect(await store.files.deleteIdle(theirs.id, T0 + 10 * SECOND)).toBe(false)
        expect(await store.files.deleteIdle(upload.id, T0 + SECOND)).toBe(false)
        expect(note('deleteIdle', await store.files.deleteIdle(upload.id, T0 + 10 * SECOND))).toBe(true)
        expect(await store.files.get(upload.id)).toBeUndefined()
        expect(await store.files.upload(upload.id)).toBeUndefined()
        expect(await store.files.deleteIdle(upload.id, T0 + 10 * SECOND)).toBe(false)
        expect(await store.files.deleteIdle(untracked.id, T0 + 10 * SECOND)).toBe(false)
        // Complete: its progress and lease are over.
        const done: FileRecord = { ...theirs, complete: true, sha256: SHA('e'), attached: false }
        await store.files.put(copy(done))
        expect(await store.files.get(theirs.id)).toEqual(done)
        expect(await store.files.upload(theirs.id)).toBeUndefined()
        expect(await store.files.claim(theirs.id, 'late', 60_000)).toBeUndefined()
        expect(await store.files.renew(theirs.id, 'writer', 60_000, { offset: 1, touchedAt: T0 })).toBe(false)
        expect(await store.files.idle(T0 + 10 * SECOND)).toEqual([])
        // Deleted: its progress goes with it.
        await store.files.track(untracked.id, { offset: 7, touchedAt: T0 })
        await store.files.delete(untracked.id)
        expect(await store.files.upload(untracked.id)).toBeUndefined()
        expect(await store.files.untracked()).toEqual([])
      })

      it('after a reopen, PostgreSQL still has the progress; the data directory has it untracked (FileStore reads the part file)', async () => {
        const upload = fileRecord(1)
        await store.files.put(copy(upload))
        await store.files.track(upload.id, { offset: 300, touchedAt: T0 })
        expect(await store.files.claim(upload.id, 'before', 60_000)).toEqual({ offset: 300, touchedAt: T0 })
        await reopen()
        if (engine === 'postgres') {
          expect(await store.files.untracked()).toEqual([])
          // The lease was the closed store's: it ended with that store's session.
          expect(await store.files.upload(upload.id)).toEqual({ offset: 300, touchedAt: T0, writing: false })
          expect(await store.files.claim(upload.id, 'after', 60_000)).toEqual({ offset: 300, touchedAt: T0 })
        } else {
          expect(await store.files.untracked()).toEqual([upload])
          expect(await store.files.upload(upload.id)).toBeUndefined()
        }
      })
    })

    describe('exclusive jobs', () => {
      it('runs a job and says so; jobs of other names run meanwhile; a failing job rejects and can run again', async () => {
        const ran: string[] = []
        const outer = await store.exclusive('first', async (lost) => {
          expect(lost.aborted).toBe(false)
          ran.push('first')
          expect(await store.exclusive('second', () => Promise.resolve(void ran.push('second')))).toBe(true)
        })
        expect(note('ran', outer)).toBe(true)
        expect(ran).toEqual(['first', 'second'])
        await expect(store.exclusive('first', () => Promise.reject(new Error('the job failed')))).rejects.toThrow('the job failed')
        expect(await store.exclusive('first', () => Promise.resolve(void ran.push('again')))).toBe(true)
        expect(ran).toEqual(['first', 'second', 'again'])
      })
    })

    describe('messages', () => {
      const C = uuid(1001)
      const OTHER = uuid(1002)

      /** Appends `n` messages one at a time, a second apart. */
      async function appendMany(conversationId: string, n: number, prefix = 'm'): Promise<Message[]> {
        const out: Message[] = []
        for (let i = 1; i <= n; i++) {
          now += SECOND
          out.push((await store.messages.append(conversationId, draft(`${prefix}-${i}`, `${prefix} ${i}`))).message)
        }
        return out
      }

      it("append moves its sender's read and delivered cursors to the new message (a member's; others have none to move)", async () => {
        const G = groupRecord(7)
        await store.conversations.create(copy(G), copy([memberRecord(G.id, U(1), 'admin'), memberRecord(G.id, U(2))]))
        now += SECOND
        const first = (await store.messages.append(G.id, draft('r-1', 'one', U(2)))).message
        const second = (await store.messages.append(G.id, draft('r-2', 'two', U(2)))).message
        const stranger = (await store.messages.append(G.id, draft('r-3', 'not a member', U(9)))).message
        const reader = await store.conversations.membership(G.id, U(2))
        expect(note('sender cursors', [reader?.readSeq, reader?.deliveredSeq])).toEqual([second.seq, second.seq])
        expect(reader?.readMarks).toEqual([first.seq, Date.parse(first.createdAt), second.seq, Date.parse(second.createdAt)])
        // A retry moves nothing again; the others' cursors stay.
        await store.messages.append(G.id, draft('r-1', 'one', U(2)))
        expect((await store.conversations.membership(G.id, U(2)))?.readMarks).toHaveLength(4)
        expect((await store.conversations.membership(G.id, U(1)))?.readSeq).toBe(0)
        expect(await store.conversations.membership(G.id, U(9))).toBeUndefined()
        expect(stranger.seq).toBe(3)
      })

      it('append numbers messages 1..n and stores every field as given', async () => {
        expect(await store.messages.last(C)).toBeNull()
        expect(await store.messages.version(C)).toBe(0)
        expect(await store.messages.expiredSeq(C)).toBe(0)
        const drafts: MessageDraft[] = [
          draft('c-1', 'hello'),
          draft('c-2', '', U(1), { kind: 'system', system: { type: 'members_added', userIds: [U(2), U(3)] } }),
          draft('c-3', 'an answer to @bob', U(2), { replyTo: { seq: 1, senderId: U(1), preview: 'hello' }, mentions: [U(3)] }),
          draft('c-4', '', U(2), { attachments: [attachment(1), attachment(2, { type: 'image/png', width: 10, height: 20, thumbnail: 'data:image/webp;base64,AAAA' })] }),
          draft('c-5', 'ünïcödé ✓ 👍 "quotes" \\ back\nslash\ttab')
        ]
        const made: Message[] = []
        for (const [i, d] of drafts.entries()) {
          now = T0 + (i + 1) * SECOND
          const result = await store.messages.append(C, copy(d))
          expect(result.created).toBe(true)
          expect(result.message).toEqual(expected(C, i + 1, d, now))
          expect(result.message.id).toMatch(/^[0-9a-f-]{36}$/)
          made.push(result.message)
        }
        expect(new Set(made.map((m) => m.id)).size).toBe(made.length)
        const page = note('page', await store.messages.page(C, { after: 0 }))
        expect(page).toEqual({ messages: made, hasMore: false, expiredSeq: 0 })
        expect(await store.messages.last(C)).toEqual(made.at(-1))
        // Another conversation counts on its own.
        expect((await store.messages.append(OTHER, draft('c-1', 'elsewhere'))).message.seq).toBe(1)
      })

      it('systemCount counts the system messages in a seq range (unread counts leave them out), across reopening and retention', async () => {
        const event = (n: number): MessageDraft => draft(`s-${n}`, '', U(1), { kind: 'system', system: { type: 'join_code_changed', enabled: true } })
        expect(await store.messages.systemCount(C, 0, 10)).toBe(0)
        // seqs 1 text, 2 system, 3 text, 4 system, 5 system, 6 text; concurrent appends mix kinds in one batch.
        now += SECOND
        await store.messages.append(C, draft('t-1', 'one'))
        await store.messages.append(C, event(2))
        await Promise.all([store.messages.append(C, draft('t-3', 'three')), store.messages.append(C, event(4)), store.messages.append(C, event(5))])
        now += SECOND
        await store.messages.append(C, draft('t-6', 'six'))
        const kinds = (await store.messages.page(C, { after: 0 })).messages.filter((m) => m.kind === 'system').map((m) => m.seq)
        const counts = (): Promise<number[]> =>
          Promise.all([[0, 6], [1, 6], [2, 6], [5, 6], [0, 3], [3, 4], [6, 6], [4, 2], [0, 100]].map(([a, b]) => store.messages.systemCount(C, a!, b!)))
        const want = [[0, 6], [1, 6], [2, 6], [5, 6], [0, 3], [3, 4], [6, 6], [4, 2], [0, 6]].map(([a, b]) => kinds.filter((s) => s > a! && s <= b!).length)
        expect(kinds).toHaveLength(3)
        expect(note('counts', await counts())).toEqual(want)
        expect(await store.messages.systemCount(OTHER, 0, 6)).toBe(0)
        await reopen()
        expect(note('after reopening', await counts())).toEqual(want)
        await store.messages.append(C, event(7))
        expect(note('one more', await store.messages.systemCount(C, 6, 7))).toBe(1)
        // Retention deletes 1..6: what is left still counts.
        await store.messages.expire(C, iso(now))
        expect(note('after expiry', await store.messages.systemCount(C, 6, 7))).toBe(1)
      })

      it('a clientId seen before from the same sender answers the original message, also when the sends are concurrent', async () => {
        now += SECOND
        const first = await store.messages.append(C, draft('same', 'once'))
        now += SECOND
        const again = note('again', await store.messages.append(C, draft('same', 'twice?')))
        expect(again).toEqual({ message: first.message, created: false })
        // Another sender with the same clientId, or another conversation: new messages.
        expect((await store.messages.append(C, draft('same', 'mine', U(2)))).message.seq).toBe(2)
        expect((await store.messages.append(OTHER, draft('same', 'there'))).created).toBe(true)

        const burst = await Promise.all(Array.from({ length: 20 }, () => store.messages.append(C, draft('burst', 'sent 20 times at once'))))
        expect(burst.filter((r) => r.created)).toHaveLength(1)
        expect(new Set(burst.map((r) => r.message.id)).size).toBe(1)
        expect(note('burst seq', burst[0]!.message.seq)).toBe(3)
        // Concurrent distinct sends: one seq each, no gaps.
        const distinct = await Promise.all(Array.from({ length: 30 }, (_, i) => store.messages.append(C, draft(`d-${i}`, `distinct ${i}`))))
        expect(sorted(distinct.map((r) => String(r.message.seq).padStart(3, '0')))).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 4).padStart(3, '0')))
        expect(note('all seqs', seqs((await store.messages.page(C, { after: 0, limit: 200 })).messages))).toEqual(Array.from({ length: 33 }, (_, i) => i + 1))
        expect((await store.messages.last(C))?.seq).toBe(33)
      })

      it('page reads after, before and the latest, up to a limit, above a reader floor, and says if there is more', async () => {
        const empty = await store.messages.page(C, {})
        expect(empty).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
        await appendMany(C, 10)
        const page = async (query: Parameters<Store['messages']['page']>[1], floor?: number): Promise<[number[], boolean]> => {
          const p = await store.messages.page(C, query, floor)
          expect(p.expiredSeq).toBe(0)
          return note(`page ${JSON.stringify(query)} ${floor ?? ''}`, [seqs(p.messages), p.hasMore])
        }
        const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)
        expect(await page({})).toEqual([range(1, 10), false])
        expect(await page({ limit: 3 })).toEqual([[8, 9, 10], true])
        expect(await page({ before: 8, limit: 3 })).toEqual([[5, 6, 7], true])
        expect(await page({ before: 3, limit: 5 })).toEqual([[1, 2], false])
        expect(await page({ before: 1 })).toEqual([[], false])
        expect(await page({ before: 100, limit: 2 })).toEqual([[9, 10], true])
        expect(await page({ after: 0, limit: 4 })).toEqual([range(1, 4), true])
        expect(await page({ after: 6, limit: 4 })).toEqual([range(7, 10), false])
        expect(await page({ after: 8, limit: 4 })).toEqual([[9, 10], false])
        expect(await page({ after: 10 })).toEqual([[], false])
        expect(await page({ after: 50 })).toEqual([[], false])
        // A reader who cleared up to 4 sees from 5 on, however they ask.
        expect(await page({ after: 0, limit: 3 }, 4)).toEqual([[5, 6, 7], true])
        expect(await page({ after: 2, limit: 3 }, 4)).toEqual([[5, 6, 7], true])
        expect(await page({ before: 6 }, 4)).toEqual([[5], false])
        expect(await page({}, 4)).toEqual([range(5, 10), false])
        expect(await page({ limit: 6 }, 4)).toEqual([range(5, 10), false])
        expect(await page({ before: 100, limit: 2 }, 4)).toEqual([[9, 10], true])
        expect(await page({}, 10)).toEqual([[], false])
        // The default limit.
        await appendMany(C, LIMITS.pageSizeDefault, 'more')
        const latest = await store.messages.page(C, {})
        expect(latest.messages).toHaveLength(LIMITS.pageSizeDefault)
        expect(latest.hasMore).toBe(true)
        expect(latest.messages[0]?.seq).toBe(11)
        // Whole messages come back.
        expect((await store.messages.page(C, { after: 4, limit: 1 })).messages).toEqual([expected(C, 5, draft('m-5', 'm 5'), T0 + 5 * SECOND)])
      })

      it('mutate changes a message (keeping its seq and id) with a rising version; changes and version follow', async () => {
        const [one, , three] = await appendMany(C, 5)
        const edited = note('edit', await store.messages.mutate(C, 3, (m) => ({ ...m, text: 'edited', editedAt: iso(T0 + DAY), seq: 99, id: 'not-mine' })))
        expect(edited).toEqual({ message: { ...three, text: 'edited', editedAt: iso(T0 + DAY), version: 1 }, changed: true })
        expect(await store.messages.version(C)).toBe(1)
        const reacted = await store.messages.mutate(C, 5, (m) => ({ ...m, reactions: { '👍': [U(2), U(1)], '🎉': [U(3)] } }))
        expect(reacted?.message).toMatchObject({ seq: 5, version: 2, reactions: { '👍': [U(2), U(1)], '🎉': [U(3)] } })
        // The change sees the latest state.
        const again = await store.messages.mutate(C, 3, (m) => {
          expect(m).toEqual(edited!.message)
          return { ...m, deletedAt: iso(T0 + 2 * DAY), text: '' }
        })
        expect(again?.message).toEqual({ ...three, text: '', editedAt: iso(T0 + DAY), deletedAt: iso(T0 + 2 * DAY), version: 3 })
        // Null leaves it: nothing changes, no version is used.
        expect(note('unchanged', await store.messages.mutate(C, 1, () => null))).toEqual({ message: one, changed: false })
        expect(await store.messages.version(C)).toBe(3)
        expect(await store.messages.mutate(C, 6, (m) => m)).toBeNull()
        expect(await store.messages.mutate(C, 0, (m) => m)).toBeNull()
        expect(await store.messages.mutate(OTHER, 1, (m) => m)).toBeNull()

        // Reads give the latest state.
        const page = note('page', await store.messages.page(C, { after: 0 }))
        expect(page.messages[2]).toEqual(again!.message)
        expect(page.messages[4]).toEqual(reacted!.message)
        expect(await store.messages.last(C)).toEqual(reacted!.message)

        const changes = async (since: number, limit: number, floor?: number): Promise<[number[], number, boolean]> => {
          const c = await store.messages.changes(C, since, limit, floor)
          return note(`changes ${since} ${limit} ${floor ?? ''}`, [seqs(c.messages), c.version, c.hasMore])
        }
        // A message changed twice is listed once, at its latest change.
        expect(await changes(0, 10)).toEqual([[5, 3], 3, false])
        expect(await changes(0, 1)).toEqual([[5], 2, true])
        expect(await changes(2, 10)).toEqual([[3], 3, false])
        expect(await changes(3, 10)).toEqual([[], 3, false])
        expect(await changes(0, 10, 4)).toEqual([[5], 3, false])
        expect((await store.messages.changes(C, 0, 10)).messages).toEqual([reacted!.message, again!.message])
        expect(await store.messages.changes(OTHER, 0, 10)).toEqual({ messages: [], version: 0, hasMore: false })

        // Concurrent changes each get their own version.
        const many = await Promise.all(Array.from({ length: 10 }, (_, i) => store.messages.mutate(C, 2, (m) => ({ ...m, text: `${m.text}+${i}` }))))
        expect(sorted(many.map((r) => String(r!.message.version).padStart(2, '0')))).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 4).padStart(2, '0')))
        expect(await store.messages.version(C)).toBe(13)
        expect((await store.messages.page(C, { after: 1, limit: 1 })).messages[0]?.text.split('+')).toHaveLength(11)
      })

      it('expire deletes the messages older than a time, once; the floor hides them from every read; seqs go on', async () => {
        for (let i = 1; i <= 6; i++) {
          now = T0 + i * SECOND
          const attachments = i === 2 ? [attachment(1)] : i === 5 ? [attachment(2), attachment(3)] : undefined
          await store.messages.append(C, draft(`e-${i}`, `message ${i}`, U(1), attachments ? { attachments } : {}))
        }
        await store.messages.mutate(C, 1, (m) => ({ ...m, text: 'one, edited' }))
        await store.messages.mutate(C, 6, (m) => ({ ...m, reactions: { '👍': [U(2)] } }))

        const first = note('expire', await store.messages.expire(C, iso(T0 + 3.5 * SECOND)))
        expect(first).toEqual({ expiredSeq: 3, moved: true, attachments: [attachment(1).id], keptFrom: iso(T0 + 4 * SECOND) })
        expect(await store.messages.expiredSeq(C)).toBe(3)
        const page = await store.messages.page(C, { after: 0 })
        expect(note('page', [seqs(page.messages), page.hasMore, page.expiredSeq])).toEqual([[4, 5, 6], false, 3])
        expect(await store.messages.page(C, { before: 4 })).toEqual({ messages: [], hasMore: false, expiredSeq: 3 })
        expect(seqs((await store.messages.page(C, { limit: 2 })).messages)).toEqual([5, 6])
        expect((await store.messages.page(C, { limit: 3 })).hasMore).toBe(false)
        expect(await store.messages.mutate(C, 2, (m) => m)).toBeNull()
        // The edit of 1 went with it; the version does not go back.
        expect(note('changes', seqs((await store.messages.changes(C, 0, 10)).messages))).toEqual([6])
        expect(await store.messages.version(C)).toBe(2)
        expect((await store.messages.last(C))?.reactions).toEqual({ '👍': [U(2)] })

        // Again with the same cut-off: nothing to do.
        expect(note('again', await store.messages.expire(C, iso(T0 + 3.5 * SECOND)))).toEqual({ expiredSeq: 3, moved: false, attachments: [], keptFrom: iso(T0 + 4 * SECOND) })
        now = T0 + 7 * SECOND
        expect((await store.messages.append(C, draft('e-7', 'message 7'))).message.seq).toBe(7)

        // Everything old: nothing kept, and the seqs still go on.
        const all = note('expire all', await store.messages.expire(C, iso(T0 + DAY)))
        expect(all).toEqual({ expiredSeq: 7, moved: true, attachments: [attachment(2).id, attachment(3).id], keptFrom: null })
        expect(await store.messages.last(C)).toBeNull()
        expect(await store.messages.page(C, {})).toEqual({ messages: [], hasMore: false, expiredSeq: 7 })
        expect(await store.messages.changes(C, 0, 10)).toEqual({ messages: [], version: 2, hasMore: false })
        now = T0 + 2 * DAY
        expect((await store.messages.append(C, draft('e-8', 'message 8'))).message.seq).toBe(8)
        // A conversation with nothing in it has nothing to expire.
        expect(note('empty', await store.messages.expire(OTHER, iso(T0 + DAY)))).toEqual({ expiredSeq: 0, moved: false, attachments: [], keptFrom: null })
      })

      it('drop deletes a whole history and nothing else', async () => {
        await appendMany(C, 3)
        await appendMany(OTHER, 2, 'o')
        await store.messages.mutate(C, 1, (m) => ({ ...m, text: 'changed' }))
        await store.messages.drop(C)
        expect(note('page', await store.messages.page(C, { after: 0 }))).toEqual({ messages: [], hasMore: false, expiredSeq: 0 })
        expect(await store.messages.last(C)).toBeNull()
        expect(await store.messages.changes(C, 0, 10)).toEqual({ messages: [], version: 0, hasMore: false })
        expect(await store.messages.version(C)).toBe(0)
        expect(seqs((await store.messages.page(OTHER, { after: 0 })).messages)).toEqual([1, 2])
        await expect(store.messages.drop(uuid(9999))).resolves.toBeUndefined()
      })
    })

    // Threads (issue 20, item 3)
    describe('threads', () => {
      const C = uuid(1101)
      const OTHER = uuid(1102)
      const reply = (seq: number, senderId: string, mentioned: string[] = []): ThreadReplyRecord => ({
        seq,
        senderId,
        createdAt: iso(T0 + seq * SECOND),
        mentioned,
        mentionAll: false
      })

      it('unread counts leave out thread-only replies as they leave out system messages, deleted or not, across reopening', async () => {
        await store.messages.append(C, draft('root', 'root'))
        await store.messages.append(C, draft('r-2', 'only in the thread', U(2), { threadRoot: 1 }))
        await store.messages.append(C, draft('r-3', 'in both', U(2), { threadRoot: 1, alsoInConversation: true }))
        await store.messages.append(C, draft('t-4', 'plain'))
        const stored = (await store.messages.page(C, { after: 0 })).messages
        expect(note('stored', stored.map((m) => [m.threadRoot ?? null, m.alsoInConversation ?? null]))).toEqual([
          [null, null],
          [1, null],
          [1, true],
          [null, null]
        ])
        expect(await store.messages.systemCount(C, 0, 4)).toBe(1)
        await store.messages.mutate(C, 2, (m) => ({ ...m, text: '', deletedAt: iso(now) }))
        await reopen()
        expect(note('after reopening', await store.messages.systemCount(C, 0, 4))).toBe(1)
        expect(await store.messages.systemCount(C, 2, 4)).toBe(0)
      })

      it('keeps replies once each, follows, unfollows and read positions, across reopening', async () => {
        const [a, b, c] = [U(1), U(2), U(3)]
        await store.threads.addReply(C, 1, reply(2, b, [c]), [b, c], [a])
        await store.threads.addReply(C, 1, reply(2, b, [c]), [b, c], [a])
        expect(await store.threads.replies(C, 1)).toEqual([reply(2, b, [c])])
        const byUser = async (): Promise<Record<string, [boolean, number]>> =>
          Object.fromEntries((await store.threads.follows(C, 1)).map((f) => [f.userId, [f.following, f.readSeq]]))
        expect(note('follows', await byUser())).toEqual({ [a]: [true, 0], [b]: [true, 2], [c]: [true, 0] })

        // An unfollow stays through a later reply for whoever follows only "if new"; a reply of their own follows again.
        expect(await store.threads.follow(C, 1, a, false)).toEqual({ conversationId: C, rootSeq: 1, userId: a, following: false, readSeq: 0 })
        await store.threads.addReply(C, 1, reply(3, c), [c], [a])
        expect((await byUser())[a]).toEqual([false, 0])
        expect((await store.threads.markRead(C, 1, c, 3)).readSeq).toBe(3)
        expect((await store.threads.markRead(C, 1, c, 1)).readSeq).toBe(3)
        // A read by someone with no record makes one that does not follow.
        expect(await store.threads.markRead(C, 1, U(4), 2)).toMatchObject({ following: false, readSeq: 2 })
        await store.threads.removeReply(C, 1, 2)
        await store.threads.addReply(OTHER, 5, reply(6, a), [a], [])
        await reopen()
        expect(note('replies after reopening', await store.threads.replies(C, 1))).toEqual([reply(3, c)])
        expect(await byUser()).toEqual({ [a]: [false, 0], [b]: [true, 2], [c]: [true, 3], [U(4)]: [false, 2] })
        const followed = (await store.threads.followedBy(a)).map((f) => [f.conversationId, f.rootSeq])
        expect(note('followed by a', followed)).toEqual([[OTHER, 5]])
        expect((await store.threads.followedBy(c)).map((f) => f.rootSeq)).toEqual([1])
      })
    })

    describe('search', () => {
      const A = uuid(1001)
      const B = uuid(1002)

      /** Sends the texts, a second apart: A1 … A7, then B1 (system and deleted ones included). */
      async function conversationWithText(): Promise<void> {
        const texts: [string, string, Partial<MessageDraft>?][] = [
          [A, 'Pineapple pizza on Friday'],
          [A, 'the walrus ate a pineapple'],
          [A, 'Walrus migration report'],
          [A, 'un café au lait'],
          [A, 'pineapple system note', { kind: 'system', system: { type: 'group_renamed', title: 'x' } }],
          [A, 'pineapple to be deleted'],
          [A, 'old walrus words'],
          [B, 'pineapple in another room']
        ]
        for (const [i, [conversationId, text, extra]] of texts.entries()) {
          now = T0 + (i + 1) * SECOND
          await store.messages.append(conversationId, draft(`s-${i}`, text, U(1), extra ?? {}))
        }
        await store.messages.mutate(A, 6, (m) => ({ ...m, text: '', deletedAt: iso(now) }))
        await store.messages.mutate(A, 7, (m) => ({ ...m, text: 'new sea lion words', editedAt: iso(now) }))
      }

      function searchRepo(): NonNullable<Store['search']> {
        if (!store.search) throw new Error(`the ${engine} engine has no search here`)
        return store.search
      }

      async function find(scope: Record<string, number>, terms: string[], before = Number.MAX_SAFE_INTEGER, limit = 20): Promise<[string, number][]> {
        const hits = await searchRepo().search(scope, terms, before, limit)
        for (const hit of hits) expect(typeof hit.cursor).toBe('number')
        return note(`search ${JSON.stringify(scope)} ${terms.join(' ')} ${before === Number.MAX_SAFE_INTEGER ? '' : 'paged'} ${limit}`, hits.map((h) => [h.conversationId === A ? 'A' : h.conversationId === B ? 'B' : h.conversationId, h.seq]))
      }

      const both = { [A]: 0, [B]: 0 }

      it('finds parts of words in any case (accents folded), all terms required, newest first; never deleted, system or replaced text', async (ctx) => {
        if (!store.search && engine === 'data-dir') ctx.skip('node:sqlite is not available: the data-dir engine has no search here')
        await conversationWithText()
        expect(await find(both, ['apple'])).toEqual([['B', 1], ['A', 2], ['A', 1]])
        expect(await find(both, ['PINE', 'walrus'])).toEqual([['A', 2]])
        expect(await find(both, ['walrus'])).toEqual([['A', 3], ['A', 2]])
        expect(await find(both, ['sea', 'lion'])).toEqual([['A', 7]])
        expect(await find(both, ['old', 'walrus'])).toEqual([])
        expect(await find(both, ['deleted'])).toEqual([])
        expect(await find(both, ['system'])).toEqual([])
        expect(await find(both, ['cafe'])).toEqual([['A', 4]])
        expect(await find(both, ['CAFÉ'])).toEqual([['A', 4]])
        expect(await find(both, ['nothing-like-this'])).toEqual([])
        expect(await find({}, ['apple'])).toEqual([])
      })

      it('searches only the conversations in scope, above their floors', async (ctx) => {
        if (!store.search && engine === 'data-dir') ctx.skip('node:sqlite is not available: the data-dir engine has no search here')
        await conversationWithText()
        expect(await find({ [A]: 0 }, ['apple'])).toEqual([['A', 2], ['A', 1]])
        expect(await find({ [A]: 1 }, ['apple'])).toEqual([['A', 2]])
        expect(await find({ [A]: 2, [B]: 0 }, ['apple'])).toEqual([['B', 1]])
        expect(await find({ [B]: 1 }, ['apple'])).toEqual([])
      })

      it('pages by cursor: each page continues below the last hit of the one before', async (ctx) => {
        if (!store.search && engine === 'data-dir') ctx.skip('node:sqlite is not available: the data-dir engine has no search here')
        await conversationWithText()
        for (let i = 0; i < 12; i++) {
          now += SECOND
          await store.messages.append(B, draft(`more-${i}`, `more pineapples ${i}`))
        }
        const everything = await find(both, ['apple'], Number.MAX_SAFE_INTEGER, 100)
        expect(everything).toHaveLength(15)
        const paged: [string, number][] = []
        let before = Number.MAX_SAFE_INTEGER
        for (let pages = 0; pages < 20; pages++) {
          const hits: SearchHit[] = await searchRepo().search(both, ['apple'], before, 4)
          paged.push(...hits.map((h): [string, number] => [h.conversationId === A ? 'A' : 'B', h.seq]))
          if (hits.length < 4) break
          before = hits.at(-1)!.cursor
        }
        expect(note('paged', paged)).toEqual(everything)
        expect(everything.slice(0, 2)).toEqual([['B', 13], ['B', 12]])
      })

      it('forgets what retention expired and what a drop deleted', async (ctx) => {
        if (!store.search && engine === 'data-dir') ctx.skip('node:sqlite is not available: the data-dir engine has no search here')
        await conversationWithText()
        await store.messages.expire(A, iso(T0 + 1.5 * SECOND))
        expect(await find(both, ['apple'])).toEqual([['B', 1], ['A', 2]])
        await store.messages.drop(B)
        expect(await find(both, ['apple'])).toEqual([['A', 2]])
      })
    })

    it('after closing and opening again, everything written is there', async () => {
      // One of everything, including the writes that may be saved "soon".
      const alice = userRecord(1, 'alice', { email: 'alice@office.test' })
      await store.users.create(copy(alice))
      await store.users.setLastSeen(U(1), iso(T0 + 9 * SECOND))
      const G = groupRecord(1, { joinCode: joinCode('KEEPCODE') })
      const room = groupRecord(2, { kind: 'room', title: 'Lobby' })
      await store.conversations.create(copy(G), copy([memberRecord(G.id, U(1), 'admin'), memberRecord(G.id, U(2))]))
      await store.conversations.create(copy(room), [])
      await store.conversations.markRead(G.id, U(2), 2, T0 + 1)
      await store.conversations.markDelivered(G.id, U(2), 3, T0 + 2)
      await store.conversations.clearHistory(G.id, U(1), 1)
      const invitation = invitationRecord(1, U(1), U(2))
      await store.contacts.createInvitation(copy(invitation))
      await store.contacts.createInvitation(copy(invitationRecord(2, U(3), U(1))))
      await store.contacts.respond(uuid(3002), 'accepted', iso(T0 + DAY))
      const family = familyRecord(1, U(1))
      await store.tokens.save(copy(family))
      await store.tokens.change(family.id, (f) => {
        f!.tokens.push({ hash: 'second', expiresAt: T0 + DAY, rotatedAt: null })
        return { save: true, result: null }
      })
      await store.admin.updateSettings({ name: 'Kept', retentionDays: 9 })
      await store.admin.saveInvite(copy(joinCode('INVITE1')))
      const reset = { userId: U(1), hash: 'h', expiresAt: T0 + 1, createdAt: T0 }
      await store.admin.saveResetCode(copy(reset))
      const file = fileRecord(1, { complete: true, sha256: SHA('f'), attached: false })
      await store.files.put(copy(file))
      await store.files.attach([file.id])
      const upload = fileRecord(2)
      await store.files.put(copy(upload))
      for (let i = 1; i <= 4; i++) {
        now = T0 + i * SECOND
        // From someone outside the group, so the members' cursors stay as set above (an append moves its sender's).
        await store.messages.append(G.id, draft(`k-${i}`, `kept pineapple ${i}`, U(9)))
      }
      await store.messages.mutate(G.id, 4, (m) => ({ ...m, text: 'kept pineapple, edited' }))
      await store.messages.expire(G.id, iso(T0 + 1.5 * SECOND))
      const before = note('history', await store.messages.page(G.id, { after: 0 }))

      await reopen()

      expect(await store.users.byId(U(1))).toEqual({ ...alice, lastSeenAt: iso(T0 + 9 * SECOND) })
      expect(await store.users.byUsername('ALICE')).toEqual({ ...alice, lastSeenAt: iso(T0 + 9 * SECOND) })
      expect(await store.users.count()).toBe(1)
      expect(await store.conversations.byId(G.id)).toEqual(G)
      expect(await store.conversations.byJoinCode('KEEPCODE')).toEqual(G)
      expect(await store.conversations.byRoomName('lobby')).toEqual(room)
      expect(sortByUser(await store.conversations.members(G.id))).toEqual([
        { ...memberRecord(G.id, U(1), 'admin'), clearedSeq: 1 },
        { ...memberRecord(G.id, U(2)), readSeq: 2, deliveredSeq: 3, readMarks: [2, T0 + 1], deliveredMarks: [2, T0 + 1, 3, T0 + 2] }
      ])
      expect(await store.conversations.forUser(U(2))).toEqual([G])
      expect(await store.contacts.invitation(invitation.id)).toEqual(invitation)
      expect(await store.contacts.pendingInvitations(U(2))).toEqual([invitation])
      expect(await store.contacts.contactsOf(U(1))).toEqual([U(3)])
      const savedFamily = { ...family, tokens: [...family.tokens, { hash: 'second', expiresAt: T0 + DAY, rotatedAt: null }] }
      expect(await store.tokens.familyById(family.id)).toEqual(savedFamily)
      expect(await store.tokens.familyByTokenHash('second')).toEqual(savedFamily)
      expect(await store.admin.settings()).toEqual({ name: 'Kept', registration: 'open', maxFileBytes: LIMITS.fileBytesDefault, retentionDays: 9, linkPreviews: 'public' })
      expect(await store.admin.invites()).toEqual([joinCode('INVITE1')])
      expect(await store.admin.resetCode(U(1))).toEqual(reset)
      expect(await store.files.get(file.id)).toEqual({ ...file, attached: true })
      expect(await store.files.incomplete()).toEqual([upload])
      expect(await store.files.usage(U(1))).toBe(3000)
      expect(await store.messages.page(G.id, { after: 0 })).toEqual(before)
      expect(await store.messages.expiredSeq(G.id)).toBe(1)
      expect(await store.messages.version(G.id)).toBe(1)
      expect(seqs((await store.messages.changes(G.id, 0, 10)).messages)).toEqual([4])
      // A retried send is still recognised, and the next one follows on.
      now = T0 + 10 * SECOND
      expect((await store.messages.append(G.id, draft('k-3', 'retried', U(9)))).created).toBe(false)
      expect((await store.messages.append(G.id, draft('k-5', 'next'))).message.seq).toBe(5)
      if (store.search) {
        const hits = await store.search.search({ [G.id]: 0 }, ['pineapple'], Number.MAX_SAFE_INTEGER, 10)
        expect(note('search', hits.map((h) => h.seq))).toEqual([4, 3, 2])
      }
    })
  })
})

describe('both engines', () => {
  it.skipIf(postgres === 'skip')('answered every question alike', () => {
    if (postgres instanceof Error) throw postgres
    // Only tests that passed on both: a failure is reported by the test itself.
    const common = (engine: Engine): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(answers[engine]).filter(([key]) => {
          const test = key.split(' :: ')[0]!
          return passed['data-dir'].has(test) && passed.postgres.has(test)
        })
      )
    const dataDir = common('data-dir')
    expect(Object.keys(dataDir).length).toBeGreaterThan(0)
    expect(common('postgres')).toEqual(dataDir)
  })
})

function sortById<T extends { id: string }>(records: T[]): T[] {
  return [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function sortByUser(members: MembershipRecord[]): MembershipRecord[] {
  return [...members].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
}
