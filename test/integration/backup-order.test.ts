// Why the backup copies in its order: changes made to the data directory at
// the worst moments of a backup (right after it read the file that matters)
// must still give a backup the server can start from. Each case fails if the
// order it relies on is reversed. In-process, on the store itself.
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackup } from '../../server/backup/backup'
import { restoreBackup } from '../../server/backup/restore'
import { openFileStore } from '../../server/store'
import { recordChange } from '../../server/store/journal-changes'
import { JournaledJsonFile } from '../../server/store/journaled-json-file'
import type { Store } from '../../server/store/types'
import { testEngine } from '../helpers/engines'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'messenger-backup-order-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const user = (id: string) => ({
  id,
  username: id.slice(0, 8),
  usernameLower: id.slice(0, 8),
  displayName: 'x',
  statusText: '',
  passwordHash: 'x',
  createdAt: new Date().toISOString()
})

describe.skipIf(testEngine() === 'postgres')('the order a backup copies in', () => {
  it('reads db.json and its journal again when a compaction runs between the two reads', async () => {
    const dataDir = join(root, 'compacted')
    const file = new JournaledJsonFile<{ users: Record<string, unknown>; conversations: Record<string, unknown> }>(join(dataDir, 'db.json'))
    await mkdir(dataDir)
    const doc = { users: { a: { n: 1 } } as Record<string, unknown>, conversations: {} }
    await file.write(doc)
    doc.users['b'] = { n: 2 }
    await file.writeChanges(doc, [recordChange('users', 'b', () => doc.users['b'])]) // b is only in the journal
    let compacted = false
    const target = join(root, 'compacted-backup')
    await createBackup(dataDir, target, {
      afterRead: async (path) => {
        // The snapshot read holds a, its journal b: now b moves into a new snapshot and the journal starts again.
        if (path === 'db.json' && !compacted) {
          compacted = true
          await file.write(doc)
        }
      }
    })
    await file.close()
    expect(compacted).toBe(true)
    const copied = await new JournaledJsonFile<{ users: Record<string, unknown> }>(join(target, 'db.json')).read()
    expect(Object.keys(copied?.users ?? {}).sort()).toEqual(['a', 'b'])
  })

  it('copies records before history, edits before messages, messages before their system list: nothing points past the copied history, nothing in it is unlisted', async () => {
    const dataDir = join(root, 'store')
    let store: Store = await openFileStore(dataDir, { search: false })
    const [u, v, c] = [randomUUID(), randomUUID(), randomUUID()]
    await store.users.create(user(u))
    await store.users.create(user(v))
    const at = new Date().toISOString()
    await store.conversations.create(
      { id: c, kind: 'group', title: 't', createdAt: at, createdBy: u, directKey: null, description: '', avatar: null, joinCode: null },
      [u, v].map((userId) => ({ conversationId: c, userId, role: 'member' as const, joinedAt: at, readSeq: 0 }))
    )
    for (let i = 0; i < 3; i++) await store.messages.append(c, { clientId: randomUUID(), senderId: u, text: `m${i}` })
    /** A message sent and edited (its sender's read cursor moves too), written to disk at once. */
    const sendAndEdit = async (senderId: string): Promise<void> => {
      const { message } = await store.messages.append(c, { clientId: randomUUID(), senderId, text: 'new' })
      await store.messages.mutate(c, message.seq, (m) => ({ ...m, text: `edited ${m.seq}` }))
      await store.close() // flushes the read cursors, which are otherwise written within half a second
      store = await openFileStore(dataDir, { search: false })
    }
    const history = `messages/${c}/`
    let first: string | null = null
    let second: string | null = null
    let third: string | null = null
    const target = join(root, 'store-backup')
    await createBackup(dataDir, target, {
      afterRead: async (path) => {
        // Right after the first of records and history is read; then right after the first of edits and messages.
        if (first === null && (path === 'db.json' || path.startsWith(history))) {
          first = path
          await sendAndEdit(v)
        } else if (first !== null && second === null && (path === `${history}changes.log` || /\d{8}\.jsonl$/.test(path))) {
          second = path
          await sendAndEdit(u)
        } else if (second !== null && third === null && (path === `${history}system.seqs` || /\d{8}\.jsonl$/.test(path))) {
          // Right after the first of the system-message list and the messages: a system message (listed before it is written).
          third = path
          await store.messages.append(c, { clientId: `sys-${randomUUID()}`, senderId: u, text: '', kind: 'system', system: { type: 'group_renamed', title: 'r' } })
          await store.close()
          store = await openFileStore(dataDir, { search: false })
        }
      }
    })
    await store.close()

    const restored = join(root, 'store-restored')
    await restoreBackup(target, restored)
    const copy = await openFileStore(restored, { search: false })
    try {
      const page = await copy.messages.page(c, { after: 0, limit: 100 })
      const last = page.messages.length
      expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: last }, (_, i) => i + 1))
      for (const m of await copy.conversations.members(c)) expect(m.readSeq, `read cursor of ${m.userId}`).toBeLessThanOrEqual(last)
      const changes = await copy.messages.changes(c, 0, 100)
      for (const m of changes.messages) expect(m.seq, 'an edit of a message the copy lacks').toBeLessThanOrEqual(last)
      // Unread counts leave system messages out: every one the copy holds is listed.
      const system = page.messages.filter((m) => m.kind === 'system').length
      expect(await copy.messages.systemCount(c, 0, last)).toBe(system)
      // The edit made before the history was read is there with its message.
      expect(page.messages.find((m) => m.seq === 4)?.text).toBe('edited 4')
      expect([first, second, third]).toEqual(['db.json', `${history}changes.log`, `${history}00000000.jsonl`])
    } finally {
      await copy.close()
    }
  })
})
