// Retention as the desktop client sees it: messages the server's retention
// deleted leave the client's cache, on disk too, whether the client was
// connected when it happened (conversation:expired) or catches up later
// (the conversation's expiredSeq); newer messages stay, and nothing is
// fetched twice or missed.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../helpers/files'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { directChat, startClient, waitSynced, type TestClient } from '../helpers/client'

const DAY = 24 * 3600 * 1000
let srv: TestServer
let skew = 0
let admin: TestUser
const clients: TestClient[] = []

beforeAll(async () => {
  srv = await startServer({ clock: () => Date.now() + skew })
  admin = await register(srv.url) // the first account: the server admin
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

/** Every file under a directory, as one text (the client's cache on disk). */
async function everything(dir: string): Promise<string> {
  let out = ''
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out += await readFile(join(entry.parentPath, entry.name), 'utf8')
  }
  return out
}

describe('a client and retention', () => {
  it('drops expired messages from its cache, live when connected and at catch-up after being away', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    for (const text of ['old marmalade one', 'old marmalade two']) await a.call('messages.send', { conversationId, text })
    await b.waitFor('messages', (m) => m.upserted.some((x) => x.text === 'old marmalade two'))
    await waitFor(async () => (await a.call('messages.page', { conversationId })).messages.length === 2)
    // b quits the app with both cached; a stays connected.
    await b.close()

    skew = 10 * DAY
    await a.call('messages.send', { conversationId, text: 'new marmalade' })
    await waitFor(async () => (await a.call('messages.page', { conversationId })).messages.some((m) => m.text === 'new marmalade'))
    const since = a.mark()
    expect((await api(srv.url, 'PATCH', '/admin/settings', { token: admin.accessToken, body: { retentionDays: 5 } })).status).toBe(200)

    // Connected: told at once; the open view drops the rows and the cache forgets them.
    const expired = await a.waitFor('cleared', (c) => c.conversationId === conversationId, 10_000, since)
    expect(expired.clearedSeq).toBe(2)
    expect((await a.call('messages.page', { conversationId })).messages.map((m) => m.text)).toEqual(['new marmalade'])

    // Away meanwhile: at the next start its catch-up learns the floor and prunes its cache.
    const b2 = await startClient(b.userDataDir)
    clients.push(b2)
    await waitSynced(b2)
    const page = await b2.call('messages.page', { conversationId })
    expect(page.messages.map((m) => [m.seq, m.text])).toEqual([[3, 'new marmalade']])
    expect(page.hasMore).toBe(false)
    const conversation = (await b2.call('conversations.list')).find((c) => c.id === conversationId)
    expect(conversation).toMatchObject({ expiredSeq: 2, lastSeq: 3 })

    // On disk too, for both (after their caches flush on close).
    await a.close()
    await b2.close()
    for (const dir of [a.userDataDir, b2.userDataDir]) {
      const disk = await everything(dir)
      expect(disk).not.toContain('old marmalade')
      expect(disk).toContain('new marmalade')
    }
  })
})
