// A server restored from a backup goes back in time: messages acknowledged
// after the backup are gone, and the restored server gives their seqs to new
// messages. An app that cached the later history must not keep it (it would
// show a message that no longer exists at a seq where the server now has
// another, and never fetch that one): the restore gives the history a new
// epoch, the app sees it in the conversation list, drops its cached history
// (the open view empties) and fetches the restored one.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createBackup } from '../../server/backup/backup'
import { restoreBackup } from '../../server/backup/restore'
import { directChat, pageAll, waitSynced, type TestClient } from '../helpers/client'
import { testEngine } from '../helpers/engines'
import { startServer, type TestServer } from '../helpers/server'

const servers: TestServer[] = []
const clients: TestClient[] = []
const dirs: string[] = []

afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  for (const s of servers) await s.destroy()
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

const texts = async (c: TestClient, conversationId: string): Promise<string[]> =>
  (await pageAll(c, conversationId)).filter((m) => m.kind === 'text').map((m) => m.text)

// Backup and restore are the data directory's; PostgreSQL is restored with its own tools.
describe.skipIf(testEngine() === 'postgres')('an app after its server was restored from a backup', () => {
  it('drops the history it cached after the backup and shows the restored one, with the new message at the reused seq', async () => {
    const root = await mkdtemp(join(tmpdir(), 'messenger-restore-'))
    dirs.push(root)
    const first = await startServer()
    servers.push(first)
    const port = Number(new URL(first.url).port)
    const { a, b, conversationId } = await directChat(first.url)
    clients.push(a, b)
    for (const text of ['one', 'two']) await a.call('messages.send', { conversationId, text })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'two'))

    // A backup, then more history the backup does not hold, cached by both apps.
    await first.stop()
    await createBackup(first.dataDir, join(root, 'backup'))
    let since = [a.mark(), b.mark()] as const
    const second = await startServer({ port }, first.dataDir)
    servers.push(second)
    await Promise.all([waitSynced(a, since[0]), waitSynced(b, since[1])])
    await b.call('messages.send', { conversationId, text: 'after the backup' })
    await a.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'after the backup'))
    expect(await texts(a, conversationId)).toEqual(['one', 'two', 'after the backup'])

    // The server is restored from the backup, at the same address; its next message takes the seq 'after the backup' had.
    await second.stop()
    await restoreBackup(join(root, 'backup'), join(root, 'restored'))
    since = [a.mark(), b.mark()] as const
    const third = await startServer({ port }, join(root, 'restored'))
    servers.push(third)
    await waitSynced(b, since[1])
    await b.call('messages.send', { conversationId, text: 'after the restore' })
    await waitSynced(a, since[0])
    await a.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'after the restore'), 10_000, since[0])

    for (const c of [a, b]) {
      expect(await texts(c, conversationId)).toEqual(['one', 'two', 'after the restore'])
      // The open view was told to drop what it showed.
      expect(c.payloads('cleared').some((e) => e.conversationId === conversationId)).toBe(true)
    }
  })
})
