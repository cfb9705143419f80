import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import * as fsp from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { JournaledJsonFile } from '../../../server/store/journaled-json-file'
import { MetaStore } from '../../../server/store/meta-store'
import type { DbData, MembershipRecord, RefreshFamilyRecord, UserRecord } from '../../../server/store/records'
import { userRecord } from '../../helpers/fixtures'

// fs is wrapped, not replaced, to count how often db.json is really replaced.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsp>()
  return { ...actual, rename: vi.fn(actual.rename) }
})

let dir: string
let path: string
let journal: string
const open: JournaledJsonFile<DbData>[] = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'journal-'))
  path = join(dir, 'db.json')
  journal = join(dir, 'db.journal')
  vi.mocked(fsp.rename).mockClear()
})

afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()))
  await rm(dir, { recursive: true, force: true })
})

const snapshots = (): number => vi.mocked(fsp.rename).mock.calls.filter(([, to]) => to === path).length

function file(): JournaledJsonFile<DbData> {
  const f = new JournaledJsonFile<DbData>(path)
  open.push(f)
  return f
}

const user = userRecord

const family = (i: number, userId: string, expiresAt: number, createdAt = 0): RefreshFamilyRecord => ({
  id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  userId,
  createdAt,
  revokedAt: null,
  tokens: [{ hash: `hash${i}`, expiresAt, rotatedAt: null }]
})

const conversationId = '11111111-1111-4111-8111-111111111111'
const member = (u: UserRecord): MembershipRecord => ({ conversationId, userId: u.id, role: 'member', joinedAt: new Date(0).toISOString(), readSeq: 0 })
const group = { id: conversationId, kind: 'group' as const, title: 't', createdAt: new Date(0).toISOString(), createdBy: user(0).id, directKey: null, description: '', avatar: null, joinCode: null }

describe('JournaledJsonFile under MetaStore', () => {
  it('saves sign-ups by appending to the journal, not rewriting db.json, and a reopen (as after a crash) sees them all', async () => {
    const store = await MetaStore.open(file())
    await store.users.create(user(0)) // the first write has no journal yet: a snapshot starts one
    const before = snapshots()
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.users.create(user(i + 1)).then(() => store.tokens.save(family(i + 1, user(i + 1).id, 1e15)))))
    expect(snapshots()).toBe(before)
    expect((await stat(journal)).size).toBeGreaterThan(200 * 200)
    // No flush, no close: what was acknowledged is on disk.
    const reopened = await MetaStore.open(file())
    for (let i = 0; i <= 200; i++) expect(await reopened.users.byUsername(`user${i}`)).toEqual(user(i))
    expect((await reopened.tokens.familyByTokenHash('hash17'))?.userId).toBe(user(17).id)
  })

  it('replays membership changes: added, changed (a soft read mark), removed', async () => {
    const store = await MetaStore.open(file())
    const [a, b, c] = [user(1), user(2), user(3)]
    await store.conversations.create(group, [member(a), member(b)])
    await store.conversations.addMembers(conversationId, [member(c)])
    await store.conversations.setRole(conversationId, b.id, 'admin')
    await store.conversations.removeMember(conversationId, a.id)
    await store.conversations.markRead(conversationId, c.id, 9)
    await vi.waitFor(async () => expect(await readFile(journal, 'utf8')).toContain('"readSeq":9'), { timeout: 3000 })
    const reopened = await MetaStore.open(file())
    expect((await reopened.conversations.members(conversationId)).map((m) => [m.userId, m.role, m.readSeq])).toEqual([
      [b.id, 'admin', 0],
      [c.id, 'member', 9]
    ])
    expect((await reopened.conversations.byId(conversationId))?.title).toBe('t')
  })

  it('ignores a journal left from the previous snapshot (a crash between writing db.json and starting its journal)', async () => {
    const store = await MetaStore.open(file())
    await store.users.create(user(1))
    const stale = await readFile(journal, 'utf8')
    await store.users.update(user(1).id, { displayName: 'first' }) // journaled
    const older = await readFile(journal, 'utf8')
    await store.flush() // a whole snapshot of the next generation, then a fresh journal
    await store.users.update(user(1).id, { displayName: 'newest' })
    await store.flush()
    // Put back the journal of an older generation, whose line would undo "newest".
    await writeFile(journal, older)
    expect(older.startsWith(stale)).toBe(true)
    const reopened = await MetaStore.open(file())
    expect((await reopened.users.byId(user(1).id))?.displayName).toBe('newest')
  })

  it('drops a cut last line (never acknowledged) and keeps appending after the good ones', async () => {
    const store = await MetaStore.open(file())
    await store.users.create(user(1))
    await store.users.create(user(2))
    await appendFile(journal, '["r","users","x",{"id":')
    const reopened = await MetaStore.open(file())
    expect(await reopened.users.count()).toBe(2)
    await reopened.users.create(user(3))
    const again = await MetaStore.open(file())
    expect((await again.users.all()).map((u) => u.username)).toEqual(['User1', 'User2', 'User3'])
  })

  it('rewrites the snapshot once the journal outgrows it, so the journal stays bounded', async () => {
    const store = await MetaStore.open(file())
    await store.users.create(user(0))
    const first = snapshots()
    // Each update appends the whole user (~2.3 KB with this status); 1 MiB of them forces a compaction.
    const long = 'x'.repeat(2000)
    for (let i = 0; i < 700; i++) await store.users.update(user(0).id, { statusText: `${long} ${i}` })
    expect(snapshots()).toBeGreaterThan(first)
    expect((await stat(journal)).size).toBeLessThanOrEqual(1024 * 1024 + 4096)
    const reopened = await MetaStore.open(file())
    expect((await reopened.users.byId(user(0).id))?.statusText).toBe(`${long} 699`)
  }, 30_000)
})

describe('refresh-token families', () => {
  it('a new session forgets the same user’s families whose every token has expired, on disk too', async () => {
    const store = await MetaStore.open(file())
    const u = user(1)
    await store.users.create(u)
    await store.tokens.save(family(1, u.id, 1_000)) // expires at 1,000
    await store.tokens.save({ ...family(2, u.id, 5_000), revokedAt: 500 }) // signed out, not expired yet
    await store.tokens.save(family(3, user(2).id, 1_000)) // someone else's
    await store.tokens.save(family(4, u.id, 9_000, 2_000)) // a session started at 2,000
    expect(await store.tokens.familyByTokenHash('hash1')).toBeUndefined()
    expect(await store.tokens.familyById(family(1, u.id, 0).id)).toBeUndefined()
    // Revoked ones stay until they expire, so their tokens are still answered "signed out".
    expect((await store.tokens.familyByTokenHash('hash2'))?.revokedAt).toBe(500)
    expect(await store.tokens.familyByTokenHash('hash3')).toBeDefined()
    const reopened = await MetaStore.open(file())
    expect(Object.keys((reopened as unknown as { data: DbData }).data.refreshFamilies).sort()).toEqual(
      [family(2, u.id, 0).id, family(3, u.id, 0).id, family(4, u.id, 0).id].sort()
    )
  })
})
