// Retention against a real server: with retentionDays set, messages older
// than that are gone for everyone (pages, catch-up, changes, search, replies,
// receipts) and from disk (segments, change log, attached files), seqs go on
// from where they were, and all of it holds after a restart. The server's
// clock is moved instead of waiting days.
import { randomUUID } from 'node:crypto'
import { readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MessagePage } from '../../src/shared/schemas/messages'
import { createUpload, download, sendBytes, sha256, waitFor } from '../helpers/files'
import { api, register, type ApiResponse, type TestUser } from '../helpers/http'
import { recordsAtRest, startServer, type TestServer } from '../helpers/server'
import { connect, emitAck } from '../helpers/socket'

const DAY = 24 * 3600 * 1000
let srv: TestServer
let skew = 0
let admin: TestUser
let bob: TestUser
let chat: string
let fileId: string
const clock = (): number => Date.now() + skew

const as = (user: TestUser, method: string, path: string, body?: unknown): Promise<ApiResponse> =>
  api(srv.url, method, path, { token: user.accessToken, ...(body !== undefined ? { body } : {}) })

async function send(user: TestUser, text: string, extra: Record<string, unknown> = {}): Promise<ApiResponse> {
  const res = await as(user, 'POST', `/conversations/${chat}/messages`, { clientId: randomUUID(), text, ...extra })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res
}

const page = async (user: TestUser, query: string): Promise<MessagePage> => (await as(user, 'GET', `/conversations/${chat}/messages?${query}`)).body as MessagePage
const texts = (p: MessagePage): string[] => p.messages.map((m) => m.text)

/**
 * The conversation's history at rest, as text: every line of every file of it
 * (each must parse) on the data-dir engine, every row of the database on the
 * postgres engine.
 */
async function historyOnDisk(server: TestServer): Promise<string> {
  if (server.databaseUrl) return recordsAtRest(server)
  const dir = join(server.dataDir, 'messages', chat)
  let all = ''
  for (const name of await readdir(dir)) {
    // A temp file of a rewrite in progress may be gone by now (renamed).
    const text = await readFile(join(dir, name), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return ''
      throw err
    })
    if (name.endsWith('.jsonl') || name === 'changes.log') {
      for (const line of text.split('\n')) if (line !== '') JSON.parse(line)
    }
    all += text
  }
  return all
}

beforeAll(async () => {
  srv = await startServer({ clock })
  admin = await register(srv.url)
  bob = await register(srv.url)
  chat = (await as(admin, 'POST', '/conversations', { kind: 'direct', userId: bob.user.id })).body.conversation.id as string
  // Old history: three messages, one edited, one with a file.
  await send(admin, 'ancient pineapple plans')
  const edited = await send(bob, 'ancient walrus memo')
  await as(bob, 'PATCH', `/conversations/${chat}/messages/${edited.body.message.seq}`, { text: 'ancient walrus memo, edited' })
  const bytes = Buffer.from('the old spreadsheet')
  const upload = await createUpload(srv.url, admin, { conversationId: chat, name: 'old.csv', size: bytes.length, sha256: sha256(bytes) })
  fileId = upload.body.upload.id as string
  expect((await sendBytes(srv.url, admin, fileId, 0, bytes)).status).toBe(200)
  await send(admin, 'ancient attachment', { attachments: [fileId] })
  // Ten days later: new history.
  skew = 10 * DAY
  await send(bob, 'fresh pineapple news')
  await send(admin, 'fresh walrus sighting')
  await as(admin, 'POST', `/conversations/${chat}/messages/5/reactions`, { emoji: '👍' })
})
afterAll(() => srv.destroy())

describe('retention', () => {
  it('deletes nothing while retention is off', async () => {
    expect(texts(await page(bob, 'after=0'))).toHaveLength(5)
    expect((await download(srv.url, bob, fileId)).status).toBe(200)
  })

  it('once set, hides and deletes the messages older than that for everyone, keeping the newer ones', async () => {
    const res = await as(admin, 'PATCH', '/admin/settings', { retentionDays: 5 })
    expect(res.status).toBe(200)
    expect(res.body.settings.retentionDays).toBe(5)
    // The job runs at once; the file attached only to an expired message goes last.
    await waitFor(async () => (await download(srv.url, bob, fileId)).status === 404)
    // The record goes first (from then on: 404), its bytes right after it.
    await waitFor(async () => !(await readdir(join(srv.dataDir, 'files'))).includes(fileId))

    for (const user of [admin, bob]) {
      const latest = await page(user, '')
      expect(texts(latest)).toEqual(['fresh pineapple news', 'fresh walrus sighting'])
      expect(latest).toMatchObject({ hasMore: false, expiredSeq: 3 })
      // Catching up from below the floor is not an error: the page starts after it and says so.
      const fromZero = await page(user, 'after=0')
      expect(fromZero.messages.map((m) => m.seq)).toEqual([4, 5])
      expect(fromZero.expiredSeq).toBe(3)
      expect((await page(user, 'before=4')).messages).toEqual([])
    }
    const conversation = (await as(bob, 'GET', `/conversations/${chat}`)).body.conversation
    expect(conversation).toMatchObject({ lastSeq: 5, expiredSeq: 3 })
    expect(conversation.lastMessage.text).toBe('fresh walrus sighting')
  })

  it('gives no expired message through sockets, changes, search, replies, receipts or edits', async () => {
    const socket = await connect(srv.url, bob.accessToken)
    try {
      const listed = await emitAck<MessagePage>(socket, 'message:list', { conversationId: chat, after: 0 })
      expect(listed.ok && listed.data.messages.map((m) => m.seq)).toEqual([4, 5])
      expect(listed.ok && listed.data.expiredSeq).toBe(3)
      const changes = await emitAck<{ messages: { seq: number }[]; version: number }>(socket, 'message:changes', { conversationId: chat, since: 0 })
      // The edit of message 2 expired with it; the reaction on 5 stays, and change numbers do not go back.
      expect(changes.ok && changes.data.messages.map((m) => m.seq)).toEqual([5])
      expect(changes.ok && changes.data.version).toBe(2)
    } finally {
      socket.close()
    }
    const search = async (q: string): Promise<string[]> =>
      ((await as(bob, 'GET', `/search?q=${q}`)).body.results as { message: { text: string } }[]).map((r) => r.message.text)
    expect(await search('pineapple')).toEqual(['fresh pineapple news'])
    expect(await search('ancient')).toEqual([])
    const reply = await as(bob, 'POST', `/conversations/${chat}/messages`, { clientId: randomUUID(), text: 're', replyTo: 1 })
    expect(reply.status).toBe(400)
    expect(reply.body.error.code).toBe('validation_failed')
    expect((await as(bob, 'GET', `/conversations/${chat}/messages/2/receipts`)).status).toBe(404)
    expect((await as(bob, 'PATCH', `/conversations/${chat}/messages/2`, { text: 'again' })).status).toBe(404)
    expect((await as(bob, 'POST', `/conversations/${chat}/messages/1/reactions`, { emoji: '👍' })).status).toBe(404)
  })

  it('leaves no expired text in the history files, and every file parses', async () => {
    const disk = await historyOnDisk(srv)
    expect(disk).not.toContain('ancient')
    expect(disk).toContain('fresh walrus sighting')
  })

  it('keeps all of it after a restart, and new messages go on from the last seq', async () => {
    await srv.stop()
    const dataDir = srv.dataDir
    // The search index is rebuilt from the log too: from the floor on.
    for (const name of ['search.sqlite', 'search.sqlite-wal', 'search.sqlite-shm']) await rm(join(dataDir, name), { force: true })
    srv = await startServer({ clock }, dataDir)
    expect(texts(await page(bob, 'after=0'))).toEqual(['fresh pineapple news', 'fresh walrus sighting'])
    const found = async (q: string): Promise<number> => (await as(bob, 'GET', `/search?q=${q}`)).body.results.length as number
    await waitFor(async () => (await found('pineapple')) === 1)
    expect(await found('ancient')).toBe(0)
    expect((await send(bob, 'after the restart')).body.message.seq).toBe(6)
    await historyOnDisk(srv)
  })

  it('moves the floor on when the clock does, and deletes everything when everything is old', async () => {
    skew = 30 * DAY
    // Saving the setting again with another value runs the job; the same value would not need to.
    await as(admin, 'PATCH', '/admin/settings', { retentionDays: 6 })
    // The floor moves first (reads hide everything at once), then the files follow.
    await waitFor(async () => !(await historyOnDisk(srv)).includes('fresh'))
    expect((await page(bob, '')).messages).toEqual([])
    const conversation = (await as(bob, 'GET', `/conversations/${chat}`)).body.conversation
    expect(conversation).toMatchObject({ lastSeq: 6, expiredSeq: 6, lastMessage: null, unreadCount: 0 })
    // A restart with no message left on disk still knows where seqs were.
    await srv.stop()
    srv = await startServer({ clock }, srv.dataDir)
    expect((await send(bob, 'a new start')).body.message.seq).toBe(7)
  })

  it('stops deleting when turned off; what was deleted stays deleted', async () => {
    await as(admin, 'PATCH', '/admin/settings', { retentionDays: null })
    skew = 400 * DAY
    await srv.stop()
    srv = await startServer({ clock }, srv.dataDir)
    expect(texts(await page(bob, 'after=0'))).toEqual(['a new start'])
    expect((await page(bob, 'after=0')).expiredSeq).toBe(6)
  })
})
