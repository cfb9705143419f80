// Files against a real server: resumable uploads, downloads with Range, who
// may read, and every bad input the issue names, each answered clearly with
// nothing lost or left half-written.
import { randomUUID } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { parse as parseDisposition } from 'content-disposition'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, register, type TestUser } from '../helpers/http'
import { bytesOf, createUpload, download, headersOnly, sendBytes, sendThenCut, sha256 } from '../helpers/files'
import { startServer, type TestServer } from '../helpers/server'

const LIMIT = 1024 * 1024
const QUOTA = 3 * LIMIT
let srv: TestServer
let alice: TestUser
let bob: TestUser
let carol: TestUser
let group = ''
let direct = ''

async function upload(user: TestUser, bytes: Buffer, extra: Record<string, unknown> = {}, conversationId = group): Promise<string> {
  const created = await createUpload(srv.url, user, { conversationId, name: 'notes.txt', size: bytes.length, sha256: sha256(bytes), ...extra })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const id = created.body.upload.id as string
  if (bytes.length === 0) return id
  const sent = await sendBytes(srv.url, user, id, 0, bytes)
  expect(sent.status, JSON.stringify(sent.body)).toBe(200)
  expect(sent.body.upload).toMatchObject({ offset: bytes.length, complete: true, sha256: sha256(bytes) })
  return id
}

beforeAll(async () => {
  srv = await startServer({ maxFileBytes: LIMIT, userQuotaBytes: QUOTA })
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
  const g = await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'Files', memberIds: [bob.user.id] } })
  group = g.body.conversation.id
  direct = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'direct', userId: bob.user.id } })).body.conversation.id
})
afterAll(() => srv.destroy())

describe('uploads', () => {
  it('an upload becomes a file when its last byte arrives and members download the same bytes', async () => {
    const bytes = bytesOf(300_000)
    const id = await upload(alice, bytes, { name: 'report.pdf', type: 'application/pdf' })
    const got = await download(srv.url, bob, id)
    expect(got.status).toBe(200)
    expect(got.bytes.equals(bytes)).toBe(true)
    expect(got.headers.get('content-type')).toBe('application/octet-stream')
    expect(got.headers.get('x-content-type-options')).toBe('nosniff')
    expect(parseDisposition(got.headers.get('content-disposition')!)).toEqual({ type: 'attachment', parameters: { filename: 'report.pdf' } })
    expect(got.headers.get('accept-ranges')).toBe('bytes')
    expect(got.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(sha256(bytes), 'hex').toString('base64')}:`)
  })

  it('sends in pieces, asks the offset, and refuses bytes at the wrong offset without taking them', async () => {
    const bytes = bytesOf(100_000, 7)
    const { body } = await createUpload(srv.url, alice, { conversationId: group, name: 'pieces.bin', size: bytes.length })
    const id = body.upload.id as string
    expect((await sendBytes(srv.url, alice, id, 0, bytes.subarray(0, 40_000))).body.upload).toMatchObject({ offset: 40_000, complete: false })
    const wrong = await sendBytes(srv.url, alice, id, 10_000, bytes.subarray(10_000, 20_000))
    expect(wrong.status).toBe(409)
    expect(wrong.body.error.message).toMatch(/send from 40000/)
    expect((await api(srv.url, 'GET', `/uploads/${id}`, { token: alice.accessToken })).body.upload.offset).toBe(40_000)
    const done = await sendBytes(srv.url, alice, id, 40_000, bytes.subarray(40_000))
    expect(done.body.upload).toMatchObject({ complete: true, sha256: sha256(bytes) })
    expect((await download(srv.url, alice, id)).bytes.equals(bytes)).toBe(true)
  })

  it('a cut in the middle keeps what arrived; the rest is sent from the server offset and nothing is re-sent', async () => {
    const bytes = bytesOf(LIMIT, 3)
    const { body } = await createUpload(srv.url, alice, { conversationId: group, name: 'cut.bin', size: bytes.length, sha256: sha256(bytes) })
    const id = body.upload.id as string
    const half = bytes.length / 2
    await sendThenCut(srv.url, alice, id, 0, bytes.subarray(0, half), bytes.length)
    const state = (await api(srv.url, 'GET', `/uploads/${id}`, { token: alice.accessToken })).body.upload
    expect(state).toMatchObject({ offset: half, complete: false })
    expect((await download(srv.url, bob, id)).status).toBe(404)
    const rest = await sendBytes(srv.url, alice, id, state.offset, bytes.subarray(state.offset))
    expect(rest.body.upload).toMatchObject({ complete: true, sha256: sha256(bytes) })
    expect((await download(srv.url, bob, id)).bytes.equals(bytes)).toBe(true)
  })

  it('the same file uploaded twice makes two files, both whole', async () => {
    const bytes = bytesOf(5000, 11)
    const [a, b] = await Promise.all([upload(alice, bytes), upload(alice, bytes)])
    expect(a).not.toBe(b)
    for (const id of [a, b]) expect((await download(srv.url, bob, id)).bytes.equals(bytes)).toBe(true)
  })

  it('a zero-byte file is complete at once and downloads as nothing', async () => {
    const id = await upload(alice, Buffer.alloc(0), { name: 'empty.txt' })
    const status = await api(srv.url, 'GET', `/uploads/${id}`, { token: alice.accessToken })
    expect(status.body.upload).toMatchObject({ size: 0, offset: 0, complete: true, sha256: sha256(Buffer.alloc(0)) })
    const got = await download(srv.url, bob, id)
    expect(got.status).toBe(200)
    expect(got.bytes.length).toBe(0)
  })

  it('a checksum mismatch discards the upload and says so', async () => {
    const bytes = bytesOf(2000, 5)
    const { body } = await createUpload(srv.url, alice, { conversationId: group, name: 'bad.bin', size: bytes.length, sha256: sha256(bytesOf(2000, 6)) })
    const sent = await sendBytes(srv.url, alice, body.upload.id, 0, bytes)
    expect(sent.status).toBe(409)
    expect(sent.body.error.code).toBe('checksum_mismatch')
    expect(sent.body.error.message).toMatch(/discarded/)
    expect((await api(srv.url, 'GET', `/uploads/${body.upload.id}`, { token: alice.accessToken })).status).toBe(404)
    const left = await readdir(join(srv.dataDir, 'files'))
    expect(left.filter((f) => f.startsWith(body.upload.id))).toEqual([])
  })

  it('a client lying about the size: more bytes than declared → 413, the declared bytes are kept', async () => {
    const bytes = bytesOf(1000, 9)
    const { body } = await createUpload(srv.url, alice, { conversationId: group, name: 'liar.bin', size: 600 })
    const more = await sendBytes(srv.url, alice, body.upload.id, 0, bytes)
    expect(more.status).toBe(413)
    expect(more.body.error.message).toMatch(/600/)
    // Fewer than declared: the upload waits for the rest.
    const { body: short } = await createUpload(srv.url, alice, { conversationId: group, name: 'short.bin', size: 2000 })
    const fewer = await sendBytes(srv.url, alice, short.upload.id, 0, bytes)
    expect(fewer.status).toBe(200)
    expect(fewer.body.upload).toMatchObject({ offset: 1000, complete: false })
    expect((await download(srv.url, bob, short.upload.id)).status).toBe(404)
  })

  it('a file bigger than the limit is refused at creation, before any byte (413)', async () => {
    const res = await createUpload(srv.url, alice, { conversationId: group, name: 'huge.iso', size: LIMIT + 1 })
    expect(res.status).toBe(413)
    expect(res.body.error).toMatchObject({ code: 'payload_too_large' })
    expect(res.body.error.message).toMatch(String(LIMIT))
  })

  it('a body longer than what remains is refused from its headers, before the server asks for it', async () => {
    const { body } = await createUpload(srv.url, alice, { conversationId: group, name: 'ahead.bin', size: 1000 })
    const res = await headersOnly(srv.url, alice, `/uploads/${body.upload.id}`, { 'upload-offset': '0', 'content-length': '5000' })
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error.message).toMatch(/only 1000 remain/)
    const okay = await headersOnly(srv.url, alice, `/uploads/${randomUUID()}`, { 'upload-offset': '0', 'content-length': '10' })
    expect(okay.status).toBe(404)
  })

  it('past the quota, a new upload is refused (413 quota_exceeded); cancelling one frees its room', async () => {
    const fresh = await register(srv.url)
    await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, body: { userIds: [fresh.user.id] } })
    const ids: string[] = []
    for (let i = 0; i < 3; i++) ids.push((await createUpload(srv.url, fresh, { conversationId: group, name: `q${i}`, size: LIMIT })).body.upload.id)
    const over = await createUpload(srv.url, fresh, { conversationId: group, name: 'q3', size: 1 })
    expect(over.status).toBe(413)
    expect(over.body.error.code).toBe('quota_exceeded')
    expect((await api(srv.url, 'DELETE', `/uploads/${ids[0]}`, { token: fresh.accessToken })).status).toBe(204)
    expect((await createUpload(srv.url, fresh, { conversationId: group, name: 'q3', size: 1 })).status).toBe(201)
  })

  it('names: ../, control characters, 300 characters and empty names are refused naming the field; odd but valid names download safely', async () => {
    const bad: [string, RegExp][] = [
      ['../../etc/passwd', /not a path/],
      ['..', /only dots/],
      ['a\\b.txt', /not a path/],
      ['bell\u0007.txt', /control/],
      ['line\nbreak.txt', /control/],
      ['x'.repeat(300), /255/],
      ['   ', /at least 1|too small|>=1/i]
    ]
    for (const [name, why] of bad) {
      const res = await createUpload(srv.url, alice, { conversationId: group, name, size: 1 })
      expect(res.status, name).toBe(400)
      expect(res.body.error.message, name).toMatch(/body\.name/)
      expect(res.body.error.message, name).toMatch(why)
    }
    const name = 'Résumé "final"; 100%.txt'
    const id = await upload(alice, bytesOf(10), { name })
    const disposition = (await download(srv.url, bob, id)).headers.get('content-disposition')!
    expect(disposition).toBe(`attachment; filename="Resume \\"final\\"; 100_.txt"; filename*=UTF-8''${encodeURIComponent(name)}`)
    expect(parseDisposition(disposition).parameters['filename']).toBe(name)
    // Nothing on disk is named after the user's names.
    for (const f of await readdir(join(srv.dataDir, 'files'))) expect(f).toMatch(/^[0-9a-f-]{36}(\.json|\.part)?$/)
  })

  it('other bad input: unknown conversation, wrong media type, missing offset, another user continuing an upload', async () => {
    expect((await createUpload(srv.url, alice, { conversationId: randomUUID(), name: 'a', size: 1 })).status).toBe(404)
    expect((await createUpload(srv.url, alice, { conversationId: group, name: 'a', size: -1 })).status).toBe(400)
    expect((await createUpload(srv.url, alice, { conversationId: group, name: 'a', size: 1, sha256: 'abc' })).body.error.message).toMatch(/sha256/)
    const { body } = await createUpload(srv.url, alice, { conversationId: group, name: 'a.bin', size: 10 })
    const id = body.upload.id as string
    const json = await sendBytes(srv.url, alice, id, 0, bytesOf(10), { 'content-type': 'application/octet-stream' })
    expect(json.status).toBe(415)
    const noOffset = await fetch(`${srv.url}/api/v1/uploads/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/offset+octet-stream' },
      body: bytesOf(10) as unknown as BodyInit
    })
    expect(noOffset.status).toBe(400)
    expect(((await noOffset.json()) as { error: { message: string } }).error.message).toMatch(/Upload-Offset/i)
    const bobs = await sendBytes(srv.url, bob, id, 0, bytesOf(10))
    expect(bobs.status).toBe(403)
    expect((await api(srv.url, 'GET', `/uploads/${id}`, { token: bob.accessToken })).status).toBe(403)
    expect((await api(srv.url, 'GET', `/uploads/${id}`, { token: alice.accessToken })).body.upload.offset).toBe(0)
  })
})

describe('downloads', () => {
  it('Range: a start, an end, the last bytes; outside the file is 416', async () => {
    const bytes = bytesOf(10_000, 13)
    const id = await upload(alice, bytes)
    const part = await download(srv.url, bob, id, { range: 'bytes=1000-1999' })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe('bytes 1000-1999/10000')
    expect(part.bytes.equals(bytes.subarray(1000, 2000))).toBe(true)
    const from = await download(srv.url, bob, id, { range: 'bytes=9000-' })
    expect(from.bytes.equals(bytes.subarray(9000))).toBe(true)
    const last = await download(srv.url, bob, id, { range: 'bytes=-100' })
    expect(last.bytes.equals(bytes.subarray(9900))).toBe(true)
    const beyond = await download(srv.url, bob, id, { range: 'bytes=10000-' })
    expect(beyond.status).toBe(416)
    expect(beyond.headers.get('content-range')).toBe('bytes */10000')
    expect(beyond.json().error.code).toBe('range_not_satisfiable')
    // Several ranges: the whole file, as RFC 9110 allows.
    expect((await download(srv.url, bob, id, { range: 'bytes=0-1,5-6' })).status).toBe(200)
  })

  it('a non-member asking for a file id gets 403; a member removed from the group loses access', async () => {
    const id = await upload(alice, bytesOf(100))
    const denied = await download(srv.url, carol, id)
    expect(denied.status).toBe(403)
    expect(denied.json().error.code).toBe('forbidden')
    expect((await download(srv.url, carol, randomUUID())).status).toBe(404)
    expect((await download(srv.url, bob, id)).status).toBe(200)
    expect((await api(srv.url, 'DELETE', `/conversations/${group}/members/${bob.user.id}`, { token: alice.accessToken })).status).toBe(204)
    expect((await download(srv.url, bob, id)).status).toBe(403)
    expect((await download(srv.url, bob, id, {}, `/files/${id}/preview`)).status).toBe(403)
    await api(srv.url, 'POST', `/conversations/${group}/members`, { token: alice.accessToken, body: { userIds: [bob.user.id] } })
    expect((await download(srv.url, bob, id)).status).toBe(200)
  })

  it('previews: images as themselves, inline; anything else is refused and only downloads', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    const img = await upload(alice, png, { name: 'dot.png', type: 'image/png', width: 1, height: 1 })
    const shown = await download(srv.url, bob, img, {}, `/files/${img}/preview`)
    expect(shown.status).toBe(200)
    expect(shown.headers.get('content-type')).toBe('image/png')
    expect(shown.headers.get('content-disposition')).toMatch(/^inline; /)
    expect(shown.bytes.equals(png)).toBe(true)
    const svg = await upload(alice, Buffer.from('<svg onload="alert(1)"/>'), { name: 'x.svg', type: 'image/svg+xml' })
    expect((await download(srv.url, bob, svg, {}, `/files/${svg}/preview`)).status).toBe(409)
    expect((await download(srv.url, bob, svg)).headers.get('content-type')).toBe('application/octet-stream')
  })
})

describe('attachments', () => {
  it('a message carries its files with name, size, type, image size and thumbnail; the text may then be empty', async () => {
    const bytes = bytesOf(4000, 21)
    const thumbnail = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    const id = await upload(alice, bytes, { name: 'photo.jpg', type: 'image/jpeg', width: 640, height: 480, thumbnail })
    const sent = await api(srv.url, 'POST', `/conversations/${group}/messages`, {
      token: alice.accessToken,
      body: { clientId: randomUUID(), text: '', attachments: [id] }
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    expect(sent.body.message.attachments).toEqual([
      { id, name: 'photo.jpg', size: 4000, type: 'image/jpeg', sha256: sha256(bytes), width: 640, height: 480, thumbnail }
    ])
    const page = await api(srv.url, 'GET', `/conversations/${group}/messages?limit=1`, { token: bob.accessToken })
    expect(page.body.messages[0].attachments[0].id).toBe(id)
  })

  it('refuses attachments that are not the sender’s complete uploads to that conversation, and empty messages without files', async () => {
    const mine = await upload(alice, bytesOf(10), {}, direct)
    const { body: unfinished } = await createUpload(srv.url, alice, { conversationId: group, name: 'u', size: 10 })
    const bobs = await upload(bob, bytesOf(10))
    const cases: [unknown, RegExp][] = [
      [[mine], /another conversation/],
      [[unfinished.upload.id], /not complete/],
      [[bobs], /no upload/],
      [[randomUUID()], /no upload/],
      [[], /attachments/]
    ]
    for (const [attachments, why] of cases) {
      const res = await api(srv.url, 'POST', `/conversations/${group}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: 'x', attachments } })
      expect(res.status).toBe(400)
      expect(res.body.error.message).toMatch(why)
    }
    const empty = await api(srv.url, 'POST', `/conversations/${group}/messages`, { token: alice.accessToken, body: { clientId: randomUUID(), text: ' ' } })
    expect(empty.status).toBe(400)
    expect(empty.body.error.message).toMatch(/body\.text: must not be empty/)
  })
})

describe('restart', () => {
  it('an unfinished upload survives a server restart and completes from its offset', async () => {
    const dir = await import('node:fs/promises').then((fs) => fs.mkdtemp(join(srv.dataDir, '..', 'files-restart-')))
    let s = await startServer({}, dir)
    const dan = await register(s.url)
    const g = (await api(s.url, 'POST', '/conversations', { token: dan.accessToken, body: { kind: 'group', title: 'R', memberIds: [] } })).body.conversation.id
    const bytes = bytesOf(50_000, 17)
    const { body } = await createUpload(s.url, dan, { conversationId: g, name: 'r.bin', size: bytes.length, sha256: sha256(bytes) })
    await sendBytes(s.url, dan, body.upload.id, 0, bytes.subarray(0, 20_000))
    await s.stop()
    s = await startServer({}, dir)
    try {
      const login = await api(s.url, 'POST', '/auth/login', { body: { username: dan.user.username, password: dan.password } })
      const again = { ...dan, accessToken: login.body.accessToken as string }
      expect((await api(s.url, 'GET', `/uploads/${body.upload.id}`, { token: again.accessToken })).body.upload.offset).toBe(20_000)
      const done = await sendBytes(s.url, again, body.upload.id, 20_000, bytes.subarray(20_000))
      expect(done.body.upload).toMatchObject({ complete: true, sha256: sha256(bytes) })
      expect((await download(s.url, again, body.upload.id)).bytes.equals(bytes)).toBe(true)
    } finally {
      await s.destroy()
    }
  })
})
