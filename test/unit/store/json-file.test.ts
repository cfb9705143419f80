import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import * as fsp from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DurableJsonFile } from '../../../src/node/json-file'
import { MetaStore } from '../../../server/store/meta-store'
import type { DbData } from '../../../server/store/records'
import { userRecord } from '../../helpers/fixtures'

// Node's fs is wrapped (not replaced) so the test can count how many times a
// file really gets replaced on disk; our own code runs unmodified.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsp>()
  return { ...actual, rename: vi.fn(actual.rename) }
})

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'json-file-'))
  vi.mocked(fsp.rename).mockClear()
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** How many times `path` was replaced by a rename (one per durable write). */
function writesTo(path: string): number {
  return vi.mocked(fsp.rename).mock.calls.filter(([, to]) => to === path).length
}

interface Doc {
  version: number
  items: string[]
}

describe('DurableJsonFile', () => {
  it('reads null when the file does not exist', async () => {
    const file = new DurableJsonFile<Doc>(join(dir, 'db.json'))
    expect(await file.read()).toBeNull()
  })

  it('round-trips data through a fresh instance', async () => {
    const path = join(dir, 'db.json')
    const data = { version: 1, items: ['a', 'ü', 'emoji 🎉', 'quote " and \n newline'] }
    await new DurableJsonFile<Doc>(path).write(data)
    expect(await new DurableJsonFile<Doc>(path).read()).toEqual(data)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(data)
    expect(writesTo(path)).toBe(1)
  })

  it('creates the file readable by its owner only', async () => {
    if (process.platform === 'win32') return
    const path = join(dir, 'db.json')
    await new DurableJsonFile<Doc>(path).write({ version: 1, items: [] })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })

  it('throws on a corrupt file instead of treating it as empty', async () => {
    const path = join(dir, 'db.json')
    await writeFile(path, '{"version": 1, "items": [')
    await expect(new DurableJsonFile<Doc>(path).read()).rejects.toThrow(SyntaxError)
  })

  it('coalesces 50 concurrent writes into two, ending with the last data on disk', async () => {
    const path = join(dir, 'db.json')
    const file = new DurableJsonFile<Doc>(path)
    const onDiskAtResolve: number[] = []
    const writes = Array.from({ length: 50 }, (_, i) =>
      file.write({ version: i, items: Array.from({ length: i }, (_, k) => `item${k}`) }).then(async () => {
        onDiskAtResolve[i] = (JSON.parse(await readFile(path, 'utf8')) as Doc).version
      })
    )
    await Promise.all(writes)
    expect(await file.read()).toEqual({ version: 49, items: Array.from({ length: 49 }, (_, k) => `item${k}`) })
    expect(writesTo(path)).toBe(2)
    // No caller is told "written" before its own data (or newer) is on disk.
    onDiskAtResolve.forEach((version, i) => expect(version).toBeGreaterThanOrEqual(i))
    expect(await readdir(dir)).toEqual(['db.json'])
  })

  it('writes every state when writes are sequential', async () => {
    const path = join(dir, 'db.json')
    const file = new DurableJsonFile<Doc>(path)
    for (let i = 0; i < 5; i++) {
      await file.write({ version: i, items: [] })
      expect((await file.read())?.version).toBe(i)
    }
    expect(writesTo(path)).toBe(5)
    expect(await readdir(dir)).toEqual(['db.json'])
  })

  it('saves the state a caller passed even if it is mutated by a later caller before the write', async () => {
    // lowdb passes the same object on every write; the newest state must win.
    const path = join(dir, 'db.json')
    const file = new DurableJsonFile<Doc>(path)
    const doc: Doc = { version: 0, items: [] }
    const first = file.write(doc)
    doc.items.push('a')
    const second = file.write(doc)
    doc.items.push('b')
    const third = file.write(doc)
    await Promise.all([first, second, third])
    expect(await file.read()).toEqual({ version: 0, items: ['a', 'b'] })
  })

  it('keeps working after a failed write (no stale error for later writers)', async () => {
    const sub = join(dir, 'missing')
    const path = join(sub, 'db.json')
    const file = new DurableJsonFile<Doc>(path)
    // The directory does not exist: this write and the one queued behind it fail.
    const results = await Promise.allSettled([file.write({ version: 1, items: [] }), file.write({ version: 2, items: [] })])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    await mkdir(sub)
    await file.write({ version: 3, items: [] })
    expect(await file.read()).toEqual({ version: 3, items: [] })
  })
})

describe('MetaStore over DurableJsonFile', () => {
  const user = userRecord

  it('persists concurrently created users with few file writes, and rebuilds its indexes on reopen', async () => {
    const path = join(dir, 'db.json')
    const store = await MetaStore.open(new DurableJsonFile<DbData>(path))
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.users.create(user(i))))
    expect(writesTo(path)).toBeLessThanOrEqual(2)

    const reopened = await MetaStore.open(new DurableJsonFile<DbData>(path))
    for (let i = 0; i < 30; i++) expect((await reopened.users.byUsername(`USER${i}`))).toEqual(user(i))
    expect((await reopened.users.search('user1', 50)).map((u) => u.usernameLower)).toEqual([
      'user1',
      ...Array.from({ length: 10 }, (_, k) => `user1${k}`)
    ])
    expect(await readdir(dir)).toEqual(['db.json'])
  })

  it('persists a read position (written lazily) on flush', async () => {
    const path = join(dir, 'db.json')
    const store = await MetaStore.open(new DurableJsonFile<DbData>(path))
    const conversationId = '11111111-1111-4111-8111-111111111111'
    const member = { conversationId, userId: user(1).id, role: 'member' as const, joinedAt: new Date(0).toISOString(), readSeq: 0 }
    await store.conversations.create(
      { id: conversationId, kind: 'group', title: 't', createdAt: new Date(0).toISOString(), createdBy: user(1).id, directKey: null, description: '', avatar: null, joinCode: null },
      [member]
    )
    await store.conversations.markRead(conversationId, user(1).id, 7)
    await store.conversations.markRead(conversationId, user(1).id, 3) // never moves back
    await store.flush()
    const reopened = await MetaStore.open(new DurableJsonFile<DbData>(path))
    expect((await reopened.conversations.membership(conversationId, user(1).id))?.readSeq).toBe(7)
    expect((await reopened.conversations.forUser(user(1).id)).map((c) => c.id)).toEqual([conversationId])
  })
})
