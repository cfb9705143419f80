// The PostgreSQL engine's repositories (all but messages and search), each
// call made on it and on the data-directory engine (MetaStore in memory,
// DirFileRepo in a temporary directory), whose answers it must equal. Plus
// what only a database shows: races, conflicts, row locks.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../server/errors'
import { silentLogger } from '../../../server/logger'
import { DirFileRepo } from '../../../server/store/dir-file-repo'
import { MetaStore } from '../../../server/store/meta-store'
import { openPostgresStore } from '../../../server/store/postgres'
import { MARKS_KEPT, pushMark } from '../../../server/store/read-marks'
import type { ConversationRecord, FileRecord, MembershipRecord, RefreshFamilyRecord, UserRecord } from '../../../server/store/records'
import type { AdminRepo, ContactRepo, ConversationRepo, FileRepo, Store, TokenRepo, UserRepo } from '../../../server/store/types'
import { createScratchDatabase, SKIP_NOTE, TEST_DATABASE_URL, type ScratchDatabase } from './postgres-scratch'

interface Repos {
  users: UserRepo
  conversations: ConversationRepo
  tokens: TokenRepo
  contacts: ContactRepo
  admin: AdminRepo
  files: FileRepo
}

const T0 = Date.parse('2026-12-07T07:32:27.123Z')
const at = (ms: number): string => new Date(T0 + ms).toISOString()

let db: ScratchDatabase
let store: Store
let raw: pg.Pool
let clock = T0
let fileDir: string
let dir: Repos

describe.skipIf(!TEST_DATABASE_URL)(`PostgreSQL repositories${SKIP_NOTE}`, () => {
  beforeAll(async () => {
    db = await createScratchDatabase('repos')
    store = await openPostgresStore(db.url, { now: () => clock, log: silentLogger() })
    raw = new pg.Pool({ connectionString: db.url, max: 2 })
    // Its connections end as the database is dropped: nothing to report.
    raw.on('error', () => undefined)
  })

  afterAll(async () => {
    await raw?.end()
    await store?.close()
    await db?.drop()
  })

  beforeEach(async () => {
    await raw.query(
      'TRUNCATE users, conversations, memberships, refresh_families, refresh_tokens, invitations, contacts, server_settings, signup_invites, reset_codes, files RESTART IDENTITY CASCADE'
    )
    clock = T0
    const meta = await MetaStore.open()
    if (fileDir) await rm(fileDir, { recursive: true, force: true })
    fileDir = await mkdtemp(join(tmpdir(), 'pg-repos-'))
    const files = await DirFileRepo.open(fileDir, silentLogger())
    dir = { users: meta.users, conversations: meta.conversations, tokens: meta.tokens, contacts: meta.contacts, admin: meta.admin, files }
  })

  afterAll(async () => {
    if (fileDir) await rm(fileDir, { recursive: true, force: true })
  })

  /** Runs `op` on both engines (each with its own copy of any record) and expects equal answers. */
  async function same<T>(op: (r: Repos) => Promise<T>): Promise<T> {
    const expected = await op(dir)
    const actual = await op(store)
    expect(actual).toStrictEqual(expected)
    return actual
  }

  /** Expects `op` to fail on both engines. */
  async function bothReject(op: (r: Repos) => Promise<unknown>): Promise<void> {
    await expect(op(dir)).rejects.toThrow()
    await expect(op(store)).rejects.toThrow()
  }

  const copy = <T>(value: T): T => structuredClone(value)

  function user(id: string, username: string, extra: Partial<UserRecord> = {}): UserRecord {
    return {
      id,
      username,
      usernameLower: username.toLowerCase(),
      displayName: username,
      statusText: '',
      passwordHash: `hash-${id}`,
      createdAt: at(0),
      ...extra
    }
  }

  function conversation(id: string, extra: Partial<ConversationRecord> = {}): ConversationRecord {
    return { id, kind: 'group', title: `group ${id}`, createdAt: at(0), createdBy: 'u1', directKey: null, description: '', avatar: null, joinCode: null, ...extra }
  }

  const member = (conversationId: string, userId: string, extra: Partial<MembershipRecord> = {}): MembershipRecord => ({
    conversationId,
    userId,
    role: 'member',
    joinedAt: at(5),
    readSeq: 0,
    ...extra
  })

  describe('users', () => {
    it('round-trip exactly, optional fields absent, null or set', async () => {
      const records = [
        user('u1', 'Ann'),
        user('u2', 'bob', { avatar: null, email: null, disabledAt: null }),
        user('u3', 'Cy.D', {
          avatar: 'data:image/png;base64,AAAA',
          lastSeenAt: at(999),
          hideLastSeen: false,
          contactsOnlyDirect: true,
          serverAdmin: true,
          disabledAt: at(1234),
          email: 'cy@example.com',
          statusText: 'away',
          displayName: 'Cy Ü'
        })
      ]
      for (const u of records) expect(await same((r) => r.users.create(copy(u)))).toBe(true)
      for (const u of records) expect(await same((r) => r.users.byId(u.id))).toStrictEqual(u)
      await same((r) => r.users.byId('nobody'))
      await same(async (r) => (await r.users.byIds(['u3', 'u1', 'nobody', 'u1'])).sort((a, b) => a.id.localeCompare(b.id)))
      await same((r) => r.users.byIds([]))
      await same((r) => r.users.byUsername('ANN'))
      await same((r) => r.users.byUsername('cy.d'))
      await same((r) => r.users.byUsername('nobody'))
      expect(await same((r) => r.users.count())).toBe(3)
    })

    it('refuse a username taken in any case, storing nothing', async () => {
      await same((r) => r.users.create(user('u1', 'Ann')))
      expect(await same((r) => r.users.create(user('u2', 'ANN')))).toBe(false)
      await same((r) => r.users.byId('u2'))
      expect(await same((r) => r.users.count())).toBe(1)
    })

    it('let only one of many simultaneous sign-ups of one name through', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.users.create(user(`u${i}`, i % 2 ? 'Same' : 'SAME'))))
      expect(results.filter(Boolean)).toHaveLength(1)
      expect(await store.users.count()).toBe(1)
    })

    it('search: substrings of username or display name, prefix matches first, then by username as localeCompare orders it', async () => {
      const names = ['a_b', 'a-b', 'a.b', 'a1', 'ab', 'Zed', 'zoe', 'bob.smith', 'Rob_Bob', 'x-ann', 'anna', 'Anne', 'hannah', '_under', '9lives']
      let i = 0
      for (const name of names) {
        const u = user(`u${++i}`, name, { displayName: i % 3 === 0 ? `Ärger ${name}` : i % 4 === 0 ? `Bob ${i}` : name, createdAt: at(i) })
        await same((r) => r.users.create(copy(u)))
      }
      for (const q of ['', 'a', 'A', 'an', 'b', 'bob', 'ob', '.', '_', '-', 'ä', 'ÄR', 'nope', '%', 'zz']) {
        for (const limit of [50, 3, 1]) await same((r) => r.users.search(q, limit))
      }
      await same((r) => r.users.search('a', 0))
    })

    it('all(): oldest first, ties in creation order', async () => {
      await same((r) => r.users.create(user('u1', 'late', { createdAt: at(50) })))
      await same((r) => r.users.create(user('u2', 'early', { createdAt: at(10) })))
      await same((r) => r.users.create(user('u3', 'tie1', { createdAt: at(20) })))
      await same((r) => r.users.create(user('u4', 'tie2', { createdAt: at(20) })))
      const all = await same((r) => r.users.all())
      expect(all.map((u) => u.id)).toEqual(['u2', 'u3', 'u4', 'u1'])
    })

    it('update patches fields and answers the user; null and absent stay apart', async () => {
      await same((r) => r.users.create(user('u1', 'Ann', { avatar: 'data:x' })))
      const patches: Parameters<UserRepo['update']>[1][] = [
        { displayName: 'Annie', statusText: 'busy' },
        { avatar: null },
        { email: 'a@example.com' },
        { email: null, hideLastSeen: false },
        { disabledAt: at(77), serverAdmin: true },
        { disabledAt: null, contactsOnlyDirect: false },
        { avatar: 'data:y', passwordHash: 'new' },
        {}
      ]
      for (const patch of patches) {
        await same((r) => r.users.update('u1', copy(patch)))
        await same((r) => r.users.byId('u1'))
      }
      await same((r) => r.users.search('annie', 5))
      await bothReject((r) => r.users.update('nobody', { statusText: 'x' }))
    })

    it('setLastSeen', async () => {
      await same((r) => r.users.create(user('u1', 'Ann')))
      await same((r) => r.users.setLastSeen('u1', at(500)))
      await same((r) => r.users.setLastSeen('nobody', at(500)))
      expect((await same((r) => r.users.byId('u1')))?.lastSeenAt).toBe(at(500))
    })
  })

  describe('conversations', () => {
    async function seed(): Promise<void> {
      const joinCode = { code: 'JOIN1', createdBy: 'u1', createdAt: at(3), expiresAt: null, maxUses: 5, uses: 1 }
      await same((r) => r.conversations.create(conversation('g1'), [member('g1', 'u1', { role: 'admin' }), member('g1', 'u2'), member('g1', 'u3')]))
      // (The data directory indexes join codes given by update, not by create: services only ever set them so.)
      await same((r) => r.conversations.update('g1', { joinCode: copy(joinCode) }))
      await same((r) => r.conversations.create(conversation('d1', { kind: 'direct', title: null, directKey: 'u1:u2' }), [member('d1', 'u1'), member('d1', 'u2')]))
      await same((r) => r.conversations.create(conversation('r1', { kind: 'room', title: 'Lobby', description: 'hi' }), [member('r1', 'u2', { role: 'admin' })]))
      await same((r) => r.conversations.create(conversation('r2', { kind: 'room', title: 'Kitchen', avatar: 'data:k' }), []))
    }

    it('create and every way to read them', async () => {
      await seed()
      for (const id of ['g1', 'd1', 'r1', 'r2', 'none']) await same((r) => r.conversations.byId(id))
      await same((r) => r.conversations.byDirectKey('u1:u2'))
      await same((r) => r.conversations.byDirectKey('u2:u1'))
      await same((r) => r.conversations.byJoinCode('JOIN1'))
      await same((r) => r.conversations.byJoinCode('join1'))
      await same((r) => r.conversations.byRoomName('LOBBY'))
      await same((r) => r.conversations.byRoomName('lobby '))
      await same((r) => r.conversations.rooms())
      await same((r) => r.conversations.allIds())
      for (const u of ['u1', 'u2', 'u3', 'u9']) await same((r) => r.conversations.forUser(u))
      for (const c of ['g1', 'd1', 'r1', 'r2', 'none']) await same((r) => r.conversations.members(c))
      await same((r) => r.conversations.membership('g1', 'u2'))
      await same((r) => r.conversations.membership('g1', 'u9'))
    })

    it('markRead and markDelivered move forward only, with bounded marks, as the data directory does', async () => {
      await same((r) => r.conversations.create(conversation('g1'), [member('g1', 'u1'), member('g1', 'u2', { deliveredSeq: 0, readMarks: [0, 1] })]))
      let rnd = 7
      const next = (): number => (rnd = (rnd * 1103515245 + 12345) % 2 ** 31)
      for (let step = 0; step < 400; step++) {
        const userId = next() % 2 ? 'u1' : 'u2'
        const seq = Math.floor(step / 2) + (next() % 5) - 2
        const when = T0 + step * 1000
        if (next() % 3 === 0) await same((r) => r.conversations.markRead('g1', userId, seq, when))
        else await same((r) => r.conversations.markDelivered('g1', userId, seq, when))
        if (step % 25 === 0) await same((r) => r.conversations.members('g1'))
      }
      const members = await same((r) => r.conversations.members('g1'))
      expect(Math.max(...members.map((m) => m.deliveredMarks!.length))).toBe(MARKS_KEPT * 2)
      await same((r) => r.conversations.markRead('none', 'u1', 5, T0))
      await same((r) => r.conversations.markDelivered('g1', 'u9', 5, T0))
    })

    it('a mark without a time takes the store clock', async () => {
      await store.conversations.create(conversation('g1'), [member('g1', 'u1')])
      clock = T0 + 42
      expect(await store.conversations.markRead('g1', 'u1', 3)).toBe(true)
      expect(await store.conversations.markDelivered('g1', 'u1', 3)).toBe(false)
      expect(await store.conversations.membership('g1', 'u1')).toMatchObject({ readSeq: 3, deliveredSeq: 3, readMarks: [3, T0 + 42], deliveredMarks: [3, T0 + 42] })
    })

    it('the SQL push keeps what pushMark keeps', async () => {
      await store.conversations.create(conversation('g1'), [member('g1', 'u1', { readMarks: [] })])
      let marks: number[] | undefined = []
      for (let seq = 1; seq <= MARKS_KEPT * 3; seq++) {
        marks = pushMark(marks, seq, T0 + seq)
        await store.conversations.markRead('g1', 'u1', seq, T0 + seq)
        if (seq % 17 === 0 || seq > MARKS_KEPT * 3 - 2) expect((await store.conversations.membership('g1', 'u1'))!.readMarks).toEqual(marks)
      }
    })

    it('concurrent cursor moves never go back', async () => {
      await store.conversations.create(conversation('g1'), [member('g1', 'u1')])
      const seqs = Array.from({ length: 300 }, (_, i) => i + 1).sort(() => Math.random() - 0.5)
      const moved = await Promise.all(
        seqs.map((seq, i) => (i % 2 ? store.conversations.markRead('g1', 'u1', seq, T0 + seq) : store.conversations.markDelivered('g1', 'u1', seq, T0 + seq)))
      )
      const m = (await store.conversations.membership('g1', 'u1'))!
      expect(m.readSeq).toBe(Math.max(...seqs.filter((_, i) => i % 2)))
      expect(m.deliveredSeq).toBe(300)
      for (const marks of [m.readMarks!, m.deliveredMarks!]) {
        const marked = marks.filter((_, i) => i % 2 === 0)
        for (let i = 1; i < marked.length; i++) expect(marked[i]!).toBeGreaterThan(marked[i - 1]!)
      }
      expect(moved.some(Boolean)).toBe(true)
    })

    it('update, members, roles, clear history and delete', async () => {
      await seed()
      await same((r) => r.conversations.update('g1', { title: 'Renamed', description: 'd' }))
      await same((r) => r.conversations.update('r1', { title: 'Great Hall' }))
      await same((r) => r.conversations.byRoomName('great hall'))
      await same((r) => r.conversations.byRoomName('lobby'))
      await same((r) => r.conversations.update('r1', { avatar: 'data:a' }))
      await same((r) => r.conversations.update('r1', { avatar: null }))
      const joinCode = { code: 'JOIN2', createdBy: 'u2', createdAt: at(9), expiresAt: at(99999), maxUses: null, uses: 0 }
      await same((r) => r.conversations.update('g1', { joinCode: copy(joinCode) }))
      await same((r) => r.conversations.byJoinCode('JOIN1'))
      await same((r) => r.conversations.byJoinCode('JOIN2'))
      await same((r) => r.conversations.update('g1', { joinCode: { ...joinCode, uses: 1 } }))
      await same((r) => r.conversations.update('g1', { joinCode: null }))
      await same((r) => r.conversations.byJoinCode('JOIN2'))
      await same((r) => r.conversations.update('g1', {}))
      await bothReject((r) => r.conversations.update('none', { title: 'x' }))

      await same((r) => r.conversations.addMembers('g1', [member('g1', 'u4'), member('g1', 'u2', { role: 'admin', readSeq: 4 })]))
      await same((r) => r.conversations.members('g1'))
      await same((r) => r.conversations.removeMember('g1', 'u2'))
      await same((r) => r.conversations.removeMember('g1', 'u9'))
      await same((r) => r.conversations.addMembers('g1', [member('g1', 'u2')]))
      await same((r) => r.conversations.members('g1'))
      await same((r) => r.conversations.forUser('u2'))
      await same((r) => r.conversations.setRole('g1', 'u4', 'admin'))
      await bothReject((r) => r.conversations.setRole('g1', 'u9', 'admin'))
      await same((r) => r.conversations.clearHistory('g1', 'u4', 0))
      await same((r) => r.conversations.clearHistory('g1', 'u1', 9))
      await same((r) => r.conversations.clearHistory('g1', 'u1', 4))
      await same((r) => r.conversations.clearHistory('g1', 'u9', 4))
      await same((r) => r.conversations.members('g1'))

      await same((r) => r.conversations.delete('g1'))
      await same((r) => r.conversations.delete('none'))
      await same((r) => r.conversations.byId('g1'))
      await same((r) => r.conversations.members('g1'))
      await same((r) => r.conversations.forUser('u1'))
      await same((r) => r.conversations.allIds())
      await same((r) => r.conversations.rooms())
    })

    it('unique room names, direct keys and join codes are conflicts (409)', async () => {
      await seed()
      const conflict = expect.objectContaining({ code: 'conflict' }) as unknown
      await expect(store.conversations.create(conversation('r3', { kind: 'room', title: 'LOBBY' }), [])).rejects.toEqual(conflict)
      await expect(store.conversations.update('r2', { title: 'lobby' })).rejects.toEqual(conflict)
      await expect(store.conversations.create(conversation('d2', { kind: 'direct', directKey: 'u1:u2' }), [])).rejects.toBeInstanceOf(AppError)
      const joinCode = { code: 'JOIN1', createdBy: 'u1', createdAt: at(3), expiresAt: null, maxUses: null, uses: 0 }
      await expect(store.conversations.update('r2', { joinCode })).rejects.toEqual(conflict)
      // Nothing of a refused create is kept.
      expect(await store.conversations.byId('r3')).toBeUndefined()
      expect(await store.conversations.byId('d2')).toBeUndefined()
    })

    it('a group of 5,000 members is created in one go, in order', async () => {
      const members = Array.from({ length: 5000 }, (_, i) => member('big', `u${i}`))
      await store.conversations.create(conversation('big'), members)
      expect(await store.conversations.members('big')).toStrictEqual(members)
    })
  })

  describe('contacts', () => {
    const invitation = (id: string, from: string, to: string, createdAt = at(1)) => ({
      id,
      fromUserId: from,
      toUserId: to,
      message: id === 'i1' ? 'hello' : null,
      status: 'pending' as const,
      createdAt,
      respondedAt: null
    })

    it('invitations and contacts, as the data directory keeps them', async () => {
      await same((r) => r.contacts.createInvitation(invitation('i1', 'u1', 'u2')))
      await same((r) => r.contacts.createInvitation(invitation('i2', 'u3', 'u1')))
      await same((r) => r.contacts.createInvitation(invitation('i3', 'u2', 'u1')))
      await bothReject((r) => r.contacts.createInvitation(invitation('i4', 'u1', 'u2')))
      for (const u of ['u1', 'u2', 'u3', 'u4']) await same((r) => r.contacts.pendingInvitations(u))
      await same((r) => r.contacts.invitation('i1'))
      await same((r) => r.contacts.latestInvitation('u1', 'u2'))
      await same((r) => r.contacts.latestInvitation('u2', 'u3'))
      await same((r) => r.contacts.respond('i1', 'accepted', at(10)))
      await bothReject((r) => r.contacts.respond('i1', 'declined', at(11)))
      await bothReject((r) => r.contacts.respond('nope', 'declined', at(11)))
      await same((r) => r.contacts.respond('i2', 'declined', at(12)))
      await same((r) => r.contacts.contact('u2', 'u1'))
      await same((r) => r.contacts.contact('u1', 'u3'))
      // A finished invitation is replaced by a new one, which goes last.
      await same((r) => r.contacts.createInvitation(invitation('i5', 'u3', 'u1', at(20))))
      await same((r) => r.contacts.invitation('i2'))
      await same((r) => r.contacts.pendingInvitations('u1'))
      await same((r) => r.contacts.respond('i5', 'accepted', at(21)))
      await same((r) => r.contacts.respond('i3', 'accepted', at(22)))
      for (const u of ['u1', 'u2', 'u3']) await same((r) => r.contacts.contactsOf(u))
      await same((r) => r.contacts.contact('u1', 'u2'))
      await same((r) => r.contacts.removeContact('u2', 'u1'))
      await same((r) => r.contacts.removeContact('u2', 'u1'))
      for (const u of ['u1', 'u2', 'u3']) await same((r) => r.contacts.contactsOf(u))
      await same((r) => r.contacts.createInvitation(invitation('i6', 'u1', 'u2', at(30))))
      await same((r) => r.contacts.respond('i6', 'cancelled', at(31)))
      await same((r) => r.contacts.latestInvitation('u1', 'u2'))
    })

    it('simultaneous invitations of one pair: one is stored, the rest fail', async () => {
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.contacts.createInvitation(invitation(`i${i}`, 'u1', 'u2'))))
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      expect(await store.contacts.pendingInvitations('u2')).toHaveLength(1)
    })
  })

  describe('tokens', () => {
    const DAY = 86_400_000
    const family = (id: string, userId: string, createdAt: number, hashes: string[]): RefreshFamilyRecord => ({
      id,
      userId,
      createdAt,
      revokedAt: null,
      tokens: hashes.map((hash) => ({ hash, expiresAt: createdAt + DAY, rotatedAt: null }))
    })

    it('save, look up, change, forget and revoke, as the data directory does', async () => {
      await same((r) => r.tokens.save(family('f1', 'u1', T0, ['h1'])))
      await same((r) => r.tokens.save(family('f2', 'u1', T0 + 10, ['h2'])))
      await same((r) => r.tokens.save(family('f3', 'u2', T0 + 20, ['h3'])))
      for (const h of ['h1', 'h2', 'h3', 'nope']) await same((r) => r.tokens.familyByTokenHash(h))
      await same((r) => r.tokens.familyById('f1'))
      // Rotation: one more token, the first rotated.
      const rotate = (r: Repos) =>
        r.tokens.change('f1', (f) => {
          if (!f) return { save: false, result: 'missing' }
          f.tokens[0]!.rotatedAt = T0 + 100
          f.tokens.push({ hash: 'h1b', expiresAt: T0 + 100 + DAY, rotatedAt: null })
          return { save: true, result: f.userId }
        })
      expect(await same(rotate)).toBe('u1')
      await same((r) => r.tokens.familyByTokenHash('h1b'))
      // Dropped from the list without being forgotten: still finds the family (as the data directory's index does).
      await same((r) =>
        r.tokens.change('f1', (f) => {
          f!.tokens = f!.tokens.filter((t) => t.hash !== 'h1')
          return { save: true, result: null }
        })
      )
      await same((r) => r.tokens.familyByTokenHash('h1'))
      await same((r) => r.tokens.change('f1', () => ({ save: true, forgotten: ['h1'], result: 1 })))
      await same((r) => r.tokens.familyByTokenHash('h1'))
      await same((r) => r.tokens.familyByTokenHash('h1b'))
      // Not saved: nothing changes. (The data directory keeps the change in
      // memory, unsaved, as it hands out its own objects: not compared.)
      const unchanged = await store.tokens.familyById('f2')
      await store.tokens.change('f2', (f) => {
        f!.revokedAt = 1
        return { save: false, result: 2 }
      })
      expect(await store.tokens.familyById('f2')).toStrictEqual(unchanged)
      await same((r) => r.tokens.change('nope', (f) => ({ save: true, result: f === undefined })))
      await same((r) => r.tokens.familyById('nope'))
      expect(await same((r) => r.tokens.revokeUser('u1', T0 + 500))).toEqual(['f1', 'f2'])
      await same((r) => r.tokens.revokeUser('u1', T0 + 600))
      await same((r) => r.tokens.familyByTokenHash('h2'))
    })

    it('a new session sweeps the user’s dead families (revoked ones too), not others', async () => {
      await same((r) => r.tokens.save(family('f1', 'u1', T0, ['h1'])))
      await same((r) => r.tokens.save(family('f2', 'u1', T0 + DAY / 2, ['h2'])))
      await same((r) => r.tokens.save(family('f3', 'u2', T0, ['h3'])))
      await same((r) => r.tokens.revokeUser('u1', T0 + 1))
      await same((r) => r.tokens.save(family('f4', 'u1', T0 + DAY + 1, ['h4'])))
      for (const id of ['f1', 'f2', 'f3', 'f4']) await same((r) => r.tokens.familyById(id))
      for (const h of ['h1', 'h2', 'h3', 'h4']) await same((r) => r.tokens.familyByTokenHash(h))
      // Saving an existing family sweeps nothing.
      await same((r) => r.tokens.save(family('f2', 'u1', T0 + DAY * 3, ['h2'])))
      await same((r) => r.tokens.familyById('f4'))
      // A family with no token at all is dead at once, also the one just saved (as the data directory does).
      await same((r) => r.tokens.save(family('f5', 'u1', T0 + DAY * 3, [])))
      await same((r) => r.tokens.familyById('f5'))
    })

    it('300 simultaneous changes of one family lose no token', { timeout: 60_000 }, async () => {
      await store.tokens.save(family('f1', 'u1', T0, ['h0']))
      // 300, not more: they queue for the pool one after another (the family's row lock), and a
      // wait past the pool's 10 s connection timeout on a loaded machine would fail the test, not the store.
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          store.tokens.change('f1', (f) => {
            f!.tokens.push({ hash: `h${i + 1}`, expiresAt: T0 + DAY, rotatedAt: null })
            return { save: true, result: f!.tokens.length }
          })
        )
      )
      // Each change saw the one before it: every length from 2 to 301 once.
      expect(results.sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 2))
      const f = (await store.tokens.familyById('f1'))!
      expect(f.tokens).toHaveLength(301)
      expect(new Set(f.tokens.map((t) => t.hash)).size).toBe(301)
      expect((await store.tokens.familyByTokenHash('h277'))?.id).toBe('f1')
      const { rows } = await raw.query<{ n: string }>("SELECT count(*) AS n FROM refresh_tokens WHERE family_id = 'f1'")
      expect(Number(rows[0]!.n)).toBe(301)
    })

    it('a lookup by token hash is an index scan', async () => {
      await raw.query("INSERT INTO refresh_families (id, user_id, created_at, tokens) VALUES ('f', 'u', 0, '[]')")
      await raw.query("INSERT INTO refresh_tokens (hash, family_id) SELECT md5(i::text), 'f' FROM generate_series(1, 20000) AS i")
      await raw.query('ANALYZE refresh_tokens')
      const { rows } = await raw.query<{ 'QUERY PLAN': string }>("EXPLAIN SELECT family_id FROM refresh_tokens WHERE hash = 'x'")
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan using refresh_tokens_pkey/)
    })
  })

  describe('admin', () => {
    it('settings, invites and reset codes, as the data directory keeps them', async () => {
      await same((r) => r.admin.settings())
      await same((r) => r.admin.updateSettings({ name: 'Office' }))
      await same((r) => r.admin.updateSettings({ retentionDays: 30, registration: 'invite' }))
      await same((r) => r.admin.updateSettings({}))
      await same((r) => r.admin.updateSettings({ retentionDays: null, maxFileBytes: 12345 }))
      await same((r) => r.admin.settings())

      const invite = (code: string, ms: number) => ({ code, createdBy: 'u1', createdAt: at(ms), expiresAt: code === 'B' ? at(9999) : null, maxUses: code === 'A' ? null : 3, uses: 0 })
      await same((r) => r.admin.saveInvite(invite('C', 30)))
      await same((r) => r.admin.saveInvite(invite('A', 10)))
      await same((r) => r.admin.saveInvite(invite('B', 30)))
      await same((r) => r.admin.saveInvite({ ...invite('C', 30), uses: 2 }))
      await same((r) => r.admin.invites())
      await same((r) => r.admin.invite('B'))
      await same((r) => r.admin.invite('b'))
      await same((r) => r.admin.deleteInvite('A'))
      await same((r) => r.admin.deleteInvite('A'))
      await same((r) => r.admin.invites())

      await same((r) => r.admin.resetCode('u1'))
      await same((r) => r.admin.saveResetCode({ userId: 'u1', hash: 'x', expiresAt: T0 + 5, createdAt: T0 }))
      await same((r) => r.admin.saveResetCode({ userId: 'u1', hash: 'y', expiresAt: T0 + 6, createdAt: T0 + 1 }))
      await same((r) => r.admin.resetCode('u1'))
      await same((r) => r.admin.deleteResetCode('u1'))
      await same((r) => r.admin.deleteResetCode('u1'))
      await same((r) => r.admin.resetCode('u1'))
    })
  })

  describe('files', () => {
    it('records, usage, attach and delete, as the data directory keeps them', async () => {
      const ids = Array.from({ length: 4 }, () => randomUUID())
      const base = (id: string, extra: Partial<FileRecord> = {}): FileRecord => ({
        id,
        conversationId: 'g1',
        uploaderId: 'u1',
        name: 'photo.png',
        size: 3_000_000_000,
        type: 'image/png',
        createdAt: at(1),
        complete: false,
        ...extra
      })
      await same((r) => r.files.put(base(ids[0]!, { sha256: 'abc', width: 640, height: 480, thumbnail: 'data:t' })))
      await same((r) => r.files.put(base(ids[1]!, { uploaderId: 'u2', size: 10 })))
      await same((r) => r.files.put(base(ids[2]!, { complete: true, sha256: 'def', attached: false, size: 5 })))
      await same((r) => r.files.put(base(ids[3]!, { complete: true, size: 7 })))
      for (const id of [...ids, 'nope']) await same((r) => r.files.get(id))
      await same((r) => r.files.incomplete())
      await same((r) => r.files.usage('u1'))
      await same((r) => r.files.usage('u9'))
      await same((r) => r.files.put(base(ids[1]!, { uploaderId: 'u2', size: 10, complete: true, attached: false, sha256: 'x' })))
      await same((r) => r.files.attach([ids[1]!, ids[3]!, 'nope']))
      await same((r) => r.files.attach([]))
      for (const id of ids) await same((r) => r.files.get(id))
      await same((r) => r.files.incomplete())
      await same((r) => r.files.delete(ids[0]!))
      await same((r) => r.files.delete(ids[0]!))
      await same((r) => r.files.get(ids[0]!))
      expect(await same((r) => r.files.usage('u1'))).toBe(12)
    })
  })
})
