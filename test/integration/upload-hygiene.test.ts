// What the server lets go of: unfinished uploads idle past their time (by
// the server's own timer, and at once when the quota is asked), and a
// complete file its sender deletes before any message carries it.
import { randomUUID } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, register, type TestUser } from '../helpers/http'
import { bytesOf, createUpload, download, sendBytes } from '../helpers/files'
import { startServer, type TestServer } from '../helpers/server'

const TTL = 60_000
let srv: TestServer
let alice: TestUser
let group = ''
/** Added to the server's clock, to make uploads idle without waiting. */
let skew = 0

const filesOf = async (server: TestServer, id: string): Promise<string[]> => (await readdir(join(server.dataDir, 'files'))).filter((f) => f.startsWith(id))
const status = async (server: TestServer, user: TestUser, id: string): Promise<number> => (await api(server.url, 'GET', `/uploads/${id}`, { token: user.accessToken })).status

beforeAll(async () => {
  srv = await startServer({ clock: () => Date.now() + skew, unfinishedUploadTtlMs: TTL, maxFileBytes: 2000, userQuotaBytes: 3000 })
  alice = await register(srv.url)
  group = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Hygiene', memberIds: [] } })).body.conversation.id
})
afterAll(() => srv.destroy())

describe('unfinished uploads expire', () => {
  it('idle past the limit since its last byte, an upload is deleted and stops counting against the quota', async () => {
    const bytes = bytesOf(2000)
    const id = (await createUpload(srv.url, alice, { conversationId: group, name: 'left.bin', size: 2000 })).body.upload.id as string
    await sendBytes(srv.url, alice, id, 0, bytes.subarray(0, 500))
    skew += TTL - 5000
    expect((await createUpload(srv.url, alice, { conversationId: group, name: 'next.bin', size: 2000 })).body.error.code).toBe('quota_exceeded')
    // A byte restarts the wait: the limit counts from the last byte, not from the start.
    await sendBytes(srv.url, alice, id, 500, bytes.subarray(500, 1000))
    skew += TTL - 5000
    expect((await createUpload(srv.url, alice, { conversationId: group, name: 'next.bin', size: 2000 })).status).toBe(413)
    expect(await status(srv, alice, id)).toBe(200)
    skew += 10_000
    const next = await createUpload(srv.url, alice, { conversationId: group, name: 'next.bin', size: 2000 })
    expect(next.status, JSON.stringify(next.body)).toBe(201)
    expect(await status(srv, alice, id)).toBe(404)
    expect(await filesOf(srv, id)).toEqual([])
    expect((await api(srv.url, 'DELETE', `/uploads/${next.body.upload.id}`, { token: alice.accessToken })).status).toBe(204)
  })

  it('every answer about an unfinished upload says when it expires (Upload-Expires), counted from its last byte', async () => {
    const bytes = bytesOf(1000, 3)
    const at = (): number => Date.now() + skew
    const created = await createUpload(srv.url, alice, { conversationId: group, name: 'dated.bin', size: 1000 })
    const id = created.body.upload.id as string
    const near = (iso: string, expected: number): void => expect(Math.abs(Date.parse(iso) - expected)).toBeLessThan(2000)
    near(created.body.upload.expiresAt, at() + TTL)
    // The header carries the same moment as an HTTP date (whole seconds).
    expect(Math.abs(Date.parse(created.headers.get('upload-expires')!) - Date.parse(created.body.upload.expiresAt))).toBeLessThan(1000)
    skew += 20_000
    const part = await sendBytes(srv.url, alice, id, 0, bytes.subarray(0, 400))
    near(part.body.upload.expiresAt, at() + TTL)
    expect(part.headers.get('upload-expires')).toBe(new Date(part.body.upload.expiresAt).toUTCString())
    const asked = await api(srv.url, 'GET', `/uploads/${id}`, { token: alice.accessToken })
    expect(asked.body.upload.expiresAt).toBe(part.body.upload.expiresAt)
    const done = await sendBytes(srv.url, alice, id, 400, bytes.subarray(400))
    expect(done.body.upload.complete).toBe(true)
    expect(done.body.upload.expiresAt).toBeUndefined()
    expect(done.headers.get('upload-expires')).toBeNull()
    expect((await api(srv.url, 'DELETE', `/uploads/${id}`, { token: alice.accessToken })).status).toBe(204)
  })

  it('complete files never expire', async () => {
    const bytes = bytesOf(1000, 2)
    const id = (await createUpload(srv.url, alice, { conversationId: group, name: 'kept.bin', size: 1000 })).body.upload.id as string
    expect((await sendBytes(srv.url, alice, id, 0, bytes)).body.upload.complete).toBe(true)
    skew += 10 * TTL
    expect((await createUpload(srv.url, alice, { conversationId: group, name: 'other.bin', size: 10 })).status).toBe(201)
    expect((await download(srv.url, alice, id)).bytes.equals(bytes)).toBe(true)
  })

  it("the server's own timer deletes them, without any request asking", async () => {
    const quick = await startServer({ unfinishedUploadTtlMs: 300 })
    try {
      const bob = await register(quick.url)
      const conv = (await api(quick.url, 'POST', '/conversations', { token: bob.accessToken, body: { kind: 'group', title: 'Quick', memberIds: [] } })).body.conversation.id
      const id = (await createUpload(quick.url, bob, { conversationId: conv, name: 'gone.bin', size: 100 })).body.upload.id as string
      await sendBytes(quick.url, bob, id, 0, bytesOf(10))
      // Its bytes (the record is beside them on the data-dir engine, in the database on PostgreSQL).
      expect(await filesOf(quick, id)).toContain(`${id}.part`)
      // The record goes first (404), then its bytes.
      const deadline = Date.now() + 10_000
      while ((await status(quick, bob, id)) !== 404 || (await filesOf(quick, id)).length > 0) {
        expect(Date.now()).toBeLessThan(deadline)
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(await filesOf(quick, id)).toEqual([])
    } finally {
      await quick.destroy()
    }
  })
})

describe('a complete file no message carries yet', () => {
  it('its sender can delete it, freeing the quota; once sent in a message it stays', async () => {
    const bytes = bytesOf(2000, 3)
    // Someone with a whole quota (dave's holds the files above).
    const dave = await register(srv.url)
    await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, body: { userIds: [dave.user.id] } })
    const id = (await createUpload(srv.url, dave, { conversationId: group, name: 'wrong.bin', size: 2000 })).body.upload.id as string
    expect((await sendBytes(srv.url, dave, id, 0, bytes)).body.upload.complete).toBe(true)
    expect((await createUpload(srv.url, dave, { conversationId: group, name: 'more.bin', size: 2000 })).status).toBe(413)
    expect((await api(srv.url, 'DELETE', `/uploads/${id}`, { token: dave.accessToken })).status).toBe(204)
    expect((await download(srv.url, dave, id)).status).toBe(404)
    expect(await filesOf(srv, id)).toEqual([])
    const kept = (await createUpload(srv.url, dave, { conversationId: group, name: 'more.bin', size: 2000 })).body.upload.id as string
    await sendBytes(srv.url, dave, kept, 0, bytes)
    const sent = await api(srv.url, 'POST', `/conversations/${group}/messages`, { token: dave.accessToken, body: { clientId: randomUUID(), text: '', attachments: [kept] } })
    expect(sent.status).toBe(201)
    const refused = await api(srv.url, 'DELETE', `/uploads/${kept}`, { token: dave.accessToken })
    expect(refused.status).toBe(409)
    expect(refused.body.error.message).toMatch(/in a message/)
    // Still sent in a message after a restart: it was written down before the message.
    await srv.server.close()
    srv = await startServer({ clock: () => Date.now() + skew, unfinishedUploadTtlMs: TTL, maxFileBytes: 2000, userQuotaBytes: 3000 }, srv.dataDir)
    expect((await api(srv.url, 'DELETE', `/uploads/${kept}`, { token: dave.accessToken })).status).toBe(409)
    expect((await download(srv.url, dave, kept)).bytes.equals(bytes)).toBe(true)
  })
})
