// Transfers through the client core against a real server: a file sent
// with a message and downloaded by the other side, verified and saved
// without overwriting; uploads and downloads cut by an app restart resume
// where they stopped; a wrong checksum saves nothing.
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Message } from '../../src/shared/schemas/messages'
import { directChat, startClient, type TestClient } from '../helpers/client'
import { bytesOf, sendBytes } from '../helpers/files'
import type { TestUser } from '../helpers/http'
import { databaseRows } from '../helpers/engines'
import { gatedFetch } from '../helpers/gated-fetch'
import { startServer, type TestServer } from '../helpers/server'

let srv: TestServer
const clients: TestClient[] = []
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

beforeAll(async () => {
  srv = await startServer()
})
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy()))
  await srv.destroy()
})

function withFiles(client: TestClient, conversationId: string) {
  return client.waitFor('messages', (m) => m.conversationId === conversationId && m.upserted.some((x) => x.attachments?.length))
}

/**
 * Restarts A's core with a fetch that holds its uploads after `holdAfter`
 * bytes, and sends `bytes` (written to a file named `name`) with `text`;
 * resolves once the upload is held.
 */
async function sendHeld(a: TestClient, conversationId: string, name: string, bytes: Buffer, text: string, holdAfter: number): Promise<{ a2: TestClient; path: string }> {
  const path = join(await mkdtemp(join(tmpdir(), 'messenger-src-')), name)
  await writeFile(path, bytes)
  await a.close()
  const gate = gatedFetch((url, method) => method === 'PATCH' && url.includes('/uploads/'), holdAfter)
  const a2 = await startClient(a.userDataDir, { fetch: gate.fetch })
  await a2.waitFor('connection', (c) => c.status === 'online')
  const staged = await a2.core.ctx().transfers.staging.stagePath(path)
  await a2.call('files.send', { conversationId, text, files: [{ stagedId: staged.stagedId }] })
  await gate.reached
  return { a2, path }
}

/** The server's upload and file records with this name: `<id>.json` files (data-dir engine) or rows of its database (postgres engine). */
async function recordsNamed(name: string): Promise<{ id: string; name: string; complete: boolean }[]> {
  if (srv.databaseUrl) {
    const rows = (await databaseRows(srv.databaseUrl)).map((r) => r.row)
    return rows.filter((r) => r['name'] === name && typeof r['complete'] === 'boolean') as { id: string; name: string; complete: boolean }[]
  }
  const dir = join(srv.dataDir, 'files')
  const all = await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.json')).map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as { id: string; name: string; complete: boolean }))
  return all.filter((r) => r.name === name)
}

describe('transfers through the client core', () => {
  it('A sends a file with a message; B sees it, downloads it verified, and a second copy is "name (1).ext"', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const bytes = bytesOf(3 * 1024 * 1024, 2)
    const staged = await a.core.ctx().transfers.staging.stageStream(Readable.from([bytes]), 'report.pdf', 'application/pdf')
    expect(staged).toMatchObject({ name: 'report.pdf', size: bytes.length, type: 'application/pdf' })
    const pending = await a.call('files.send', { conversationId, text: 'the report', files: [{ stagedId: staged.stagedId }] })
    expect(pending.attachments).toEqual([expect.objectContaining({ name: 'report.pdf', size: bytes.length })])
    await a.waitFor('transfers', (t) => t.upserted.some((x) => x.state === 'done' && x.direction === 'upload'))
    const got = await withFiles(b, conversationId)
    const message = got.upserted.find((m) => m.attachments?.length) as Message
    const file = message.attachments![0]!
    expect(file).toMatchObject({ name: 'report.pdf', size: bytes.length, type: 'application/pdf', sha256: sha(bytes) })
    expect(message.text).toBe('the report')
    // The staged copy is gone once sent.
    expect(await readdir(a.core.ctx().transfers.staging.dir)).toEqual([])

    for (const expected of ['report.pdf', 'report (1).pdf']) {
      const since = b.mark()
      const started = await b.call('files.download', { conversationId, fileId: file.id, name: file.name, size: file.size, sha256: file.sha256 })
      const done = await b.waitFor('transfers', (t) => t.upserted.some((x) => x.id === started.id && x.state === 'done'), 15_000, since)
      expect(done.upserted.find((x) => x.id === started.id)!.savedName).toBe(expected)
    }
    const dir = (await b.call('files.downloadDir')).directory
    expect((await readFile(join(dir, 'report.pdf'))).equals(bytes)).toBe(true)
    expect((await readFile(join(dir, 'report (1).pdf'))).equals(bytes)).toBe(true)
    const list = await b.call('transfers.list')
    expect(list.filter((t) => t.direction === 'download' && t.state === 'done')).toHaveLength(2)
  })

  it('a download with the wrong checksum fails and leaves nothing behind', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const staged = await a.core.ctx().transfers.staging.stageStream(Readable.from([bytesOf(1000)]), 'x.bin', undefined)
    await a.call('files.send', { conversationId, text: '', files: [{ stagedId: staged.stagedId }] })
    const file = (await withFiles(b, conversationId)).upserted.find((m) => m.attachments?.length)!.attachments![0]!
    const since = b.mark()
    const started = await b.call('files.download', { conversationId, fileId: file.id, name: 'x.bin', size: file.size, sha256: 'f'.repeat(64) })
    const failed = await b.waitFor('transfers', (t) => t.upserted.some((x) => x.id === started.id && x.state === 'failed'), 15_000, since)
    expect(failed.upserted.find((x) => x.id === started.id)!.error?.code).toBe('checksum_mismatch')
    expect(await readdir((await b.call('files.downloadDir')).directory)).toEqual([])
  })

  it('an upload cut by an app restart goes on from the server offset and its message is sent once', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(b)
    const bytes = bytesOf(4 * 1024 * 1024, 4)
    // Held after 1 MiB, then the app closes.
    const { a2 } = await sendHeld(a, conversationId, 'big.bin', bytes, 'big one', 1024 * 1024)
    await a2.close()
    const a3 = await startClient(a.userDataDir)
    clients.push(a3)
    const [transfer] = await a3.call('transfers.list')
    expect(transfer).toMatchObject({ direction: 'upload', state: 'queued' })
    await a3.waitFor('transfers', (t) => t.upserted.some((x) => x.id === transfer!.id && x.state === 'done'), 20_000)
    // It went on from the server's offset: the first progress after the restart is already past the cut.
    const moved = a3.payloads('transfers').flatMap((t) => t.upserted).filter((x) => x.id === transfer!.id && x.bytes > 0)
    expect(moved[0]!.bytes).toBeGreaterThanOrEqual(1024 * 1024)
    const got = await withFiles(b, conversationId)
    const file = got.upserted.find((m) => m.attachments?.length)!.attachments![0]!
    expect(file).toMatchObject({ name: 'big.bin', size: bytes.length, sha256: sha(bytes) })
    const history = await b.call('messages.page', { conversationId })
    expect(history.messages.filter((m) => m.text === 'big one')).toHaveLength(1)
  })

  it('a file changed between a cut and its resume fails checksum_mismatch and leaves nothing on the server', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(b)
    const bytes = bytesOf(2 * 1024 * 1024, 12)
    // The upload is created, then its bytes are held back; the first MiB reaches the server another way below.
    const { a2, path } = await sendHeld(a, conversationId, 'changing.bin', bytes, 'changing', 0)
    const sender = { accessToken: await a2.core.ctx().session.accessToken() } as TestUser
    await a2.close()
    const uploadId = (await recordsNamed('changing.bin'))[0]!.id
    // Once the server has let go of the held request, the old first MiB arrives.
    for (let sent = await sendBytes(srv.url, sender, uploadId, 0, bytes.subarray(0, 1024 * 1024)); sent.status !== 200; ) {
      await new Promise((r) => setTimeout(r, 50))
      sent = await sendBytes(srv.url, sender, uploadId, 0, bytes.subarray(0, 1024 * 1024))
    }
    // Edited in place while the app was closed: the server holds the old first MiB.
    await writeFile(path, bytesOf(bytes.length, 13))
    const a3 = await startClient(a.userDataDir)
    clients.push(a3)
    const [transfer] = await a3.call('transfers.list')
    const failed = await a3.waitFor('transfers', (t) => t.upserted.some((x) => x.id === transfer!.id && x.state === 'failed'), 20_000)
    expect(failed.upserted.find((x) => x.id === transfer!.id)!.error).toMatchObject({ code: 'checksum_mismatch', message: expect.stringMatching(/deleted from the server/) })
    expect(await recordsNamed('changing.bin')).toEqual([])
    expect((await readdir(join(srv.dataDir, 'files'))).filter((f) => f.startsWith(uploadId))).toEqual([])
  })

  it('an upload the server deleted while the app was closed (expired unfinished) starts again and its message is sent once', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(b)
    const bytes = bytesOf(2 * 1024 * 1024, 21)
    const { a2 } = await sendHeld(a, conversationId, 'late.bin', bytes, 'late one', 512 * 1024)
    const token = await a2.core.ctx().session.accessToken()
    await a2.close()
    const [first] = await recordsNamed('late.bin')
    // The server forgets it, as its sweeper does an upload idle past the expiry (refused while the cut request is still held).
    for (;;) {
      const res = await fetch(`${srv.url}/api/v1/uploads/${first!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
      if (res.status === 204) break
      await new Promise((r) => setTimeout(r, 50))
    }
    const a3 = await startClient(a.userDataDir)
    clients.push(a3)
    const [transfer] = await a3.call('transfers.list')
    await a3.waitFor('transfers', (t) => t.upserted.some((x) => x.id === transfer!.id && x.state === 'done'), 20_000)
    const got = await withFiles(b, conversationId)
    const file = got.upserted.find((m) => m.text === 'late one')!.attachments![0]!
    expect(file).toMatchObject({ name: 'late.bin', size: bytes.length, sha256: sha(bytes) })
    expect(file.id).not.toBe(first!.id)
    expect(await recordsNamed('late.bin')).toEqual([expect.objectContaining({ id: file.id, complete: true })])
    const history = await b.call('messages.page', { conversationId })
    expect(history.messages.filter((m) => m.text === 'late one')).toHaveLength(1)
  })

  it('Electron: dropped files are staged by their path, pasted images by their bytes; the browser host takes no paths', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(b)
    const path = join(await mkdtemp(join(tmpdir(), 'messenger-src-')), 'dropped.txt')
    const dropped = bytesOf(3000, 14)
    await writeFile(path, dropped)
    expect((await a.callError('files.stagePaths', { paths: [path] })).code).toBe('unavailable')
    await a.close()
    const desktop = await startClient(a.userDataDir, { files: { pagePaths: true } })
    clients.push(desktop)
    await desktop.waitFor('connection', (c) => c.status === 'online')
    const [byPath] = await desktop.call('files.stagePaths', { paths: [path] })
    expect(byPath).toMatchObject({ name: 'dropped.txt', size: 3000 })
    expect((await desktop.callError('files.stagePaths', { paths: [join(path, '..')] })).message).toMatch(/not a file/)
    const png = bytesOf(2000, 15)
    const pasted = await desktop.call('files.stageBytes', { name: 'pasted image.png', type: 'image/png', bytes: new Uint8Array(png) })
    expect(pasted).toMatchObject({ name: 'pasted image.png', size: 2000, type: 'image/png' })
    await desktop.call('files.send', { conversationId, text: '', files: [{ stagedId: byPath!.stagedId }, { stagedId: pasted.stagedId }] })
    const got = (await withFiles(b, conversationId)).upserted.find((m) => m.attachments?.length)!.attachments!
    expect(got.map((f) => [f.name, f.size, f.sha256])).toEqual([
      ['dropped.txt', 3000, sha(dropped)],
      ['pasted image.png', 2000, sha(png)]
    ])
  })

  it('a download cut by an app restart resumes with Range and is verified', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a)
    const bytes = bytesOf(4 * 1024 * 1024, 8)
    const staged = await a.core.ctx().transfers.staging.stageStream(Readable.from([bytes]), 'video.mp4', 'video/mp4')
    await a.call('files.send', { conversationId, text: '', files: [{ stagedId: staged.stagedId }] })
    const file = (await withFiles(b, conversationId)).upserted.find((m) => m.attachments?.length)!.attachments![0]!
    await b.close()
    const gate = gatedFetch((url, method) => method === 'GET' && url.includes(`/files/${file.id}`), 1024 * 1024)
    const b2 = await startClient(b.userDataDir, { fetch: gate.fetch })
    await b2.waitFor('connection', (c) => c.status === 'online')
    await b2.call('files.download', { conversationId, fileId: file.id, name: file.name, size: file.size, sha256: file.sha256 })
    await gate.reached
    await b2.close()
    const b3 = await startClient(b.userDataDir)
    clients.push(b3)
    const [transfer] = await b3.call('transfers.list')
    const done = await b3.waitFor('transfers', (t) => t.upserted.some((x) => x.id === transfer!.id && x.state === 'done'), 20_000)
    expect(done.upserted.find((x) => x.id === transfer!.id)!.savedName).toBe('video.mp4')
    expect((await readFile(join((await b3.call('files.downloadDir')).directory, 'video.mp4'))).equals(bytes)).toBe(true)
  })

  it('pause holds a transfer, cancel takes an upload out of its message, resume sends the rest', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const staged = await a.core.ctx().transfers.staging.stageStream(Readable.from([bytesOf(5000)]), 'a.txt', 'text/plain')
    const dropped = await a.core.ctx().transfers.staging.stageStream(Readable.from([bytesOf(10)]), 'b.txt', 'text/plain')
    // Offline, the transfers wait: they can be paused and cancelled before they run.
    const socket = a.core.ctx().realtime.socket
    const offline = a.mark()
    socket.disconnect()
    await a.waitFor('connection', (c) => c.status !== 'online', 10_000, offline)
    const pending = await a.call('files.send', { conversationId, text: 'two files', files: [{ stagedId: staged.stagedId }, { stagedId: dropped.stagedId }] })
    const [first, second] = pending.attachments!
    expect((await a.call('transfers.pause', { id: first!.transferId })).state).toBe('paused')
    const since = a.mark()
    expect((await a.call('transfers.cancel', { id: second!.transferId })).state).toBe('cancelled')
    await a.waitFor('outbox', (o) => o.upserted.some((e) => e.clientId === pending.clientId && e.attachments?.length === 1), 10_000, since)
    socket.connect()
    await a.waitFor('connection', (c) => c.status === 'online', 10_000, since)
    // Paused stays paused while online, until resumed.
    expect((await a.call('transfers.list')).find((t) => t.id === first!.transferId)!.state).toBe('paused')
    expect((await a.call('transfers.resume', { id: first!.transferId })).state).not.toBe('paused')
    const got = await withFiles(b, conversationId)
    expect(got.upserted.find((m) => m.attachments?.length)!.attachments!.map((x) => x.name)).toEqual(['a.txt'])
  })
  it('cancelling the only file of a message whose text is only invisible characters takes the message away (the server would refuse it as empty)', async () => {
    const { a, b, conversationId } = await directChat(srv.url)
    clients.push(a, b)
    const staged = await a.core.ctx().transfers.staging.stageStream(Readable.from([bytesOf(100)]), 'c.txt', 'text/plain')
    const socket = a.core.ctx().realtime.socket
    const offline = a.mark()
    socket.disconnect()
    await a.waitFor('connection', (c) => c.status !== 'online', 10_000, offline)
    const pending = await a.call('files.send', { conversationId, text: '\u200b', files: [{ stagedId: staged.stagedId }] })
    const since = a.mark()
    await a.call('transfers.cancel', { id: pending.attachments![0]!.transferId })
    await a.waitFor('outbox', (o) => o.removed.includes(pending.clientId), 10_000, since)
  })
})
