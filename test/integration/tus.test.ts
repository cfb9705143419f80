// tus 1.0 against a real server: a standard client (tus-js-client) uploads,
// loses its connection midway, resumes from what the server kept, and the
// file goes out in a message; the protocol's own answers (OPTIONS, HEAD, 412,
// 460, termination) with plain fetch.
import { createHash, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tusClient from 'tus-js-client'
import { Upload, type HttpRequest, type UploadOptions, type UrlStorage } from 'tus-js-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProxy, type TcpProxy } from '../helpers/client'
import { bytesOf, download, sha256, waitFor } from '../helpers/files'
import { api, register, type TestUser } from '../helpers/http'
import { startServer, type TestServer } from '../helpers/server'
import { connect, emitAck } from '../helpers/socket'
import type { Message } from '../../src/shared/schemas/messages'

const LIMIT = 32 * 1024 * 1024
/** Room for every upload of this file and one more of LIMIT, not two. */
const QUOTA = 48 * 1024 * 1024
let srv: TestServer
let proxy: TcpProxy
let alice: TestUser
let bob: TestUser
let carol: TestUser
let group = ''
/** Where tus-js-client remembers its uploads' URLs. */
let urlDir = ''

/** tus-js-client's URL storage in a file, Node's default for remembering uploads (its types leave it out). */
const { FileUrlStorage } = tusClient as unknown as { FileUrlStorage: new (path: string) => UrlStorage }

const b64 = (s: string): string => Buffer.from(s).toString('base64')
const digest = (algorithm: string, bytes: Uint8Array): string => createHash(algorithm).update(bytes).digest('base64')

beforeAll(async () => {
  srv = await startServer({ maxFileBytes: LIMIT, userQuotaBytes: QUOTA })
  proxy = await startProxy(srv.url)
  urlDir = await mkdtemp(join(tmpdir(), 'tus-urls-'))
  ;[alice, bob, carol] = (await Promise.all([1, 2, 3].map(() => register(srv.url)))) as [TestUser, TestUser, TestUser]
  group = (await api(srv.url, 'POST', '/conversations', { token: alice.accessToken, body: { kind: 'group', title: 'tus', memberIds: [bob.user.id] } })).body.conversation.id
})
afterAll(async () => {
  await proxy.close()
  await srv.destroy()
  await rm(urlDir, { recursive: true, force: true })
})

/** A raw tus request to the server (fetch: no contract check, tus answers carry no JSON on success). */
function tus(method: string, path: string, user: TestUser | null, headers: Record<string, string> = {}, body?: Uint8Array) {
  return fetch(`${srv.url}/api/v1${path}`, {
    method,
    headers: { ...(user ? { authorization: `Bearer ${user.accessToken}` } : {}), 'tus-resumable': '1.0.0', ...headers },
    ...(body ? { body: body as unknown as BodyInit } : {})
  })
}

async function create(user: TestUser, size: number, metadata: Record<string, string> = { conversationId: group, filename: 'a.bin' }) {
  const res = await tus('POST', '/uploads', user, {
    'upload-length': String(size),
    'upload-metadata': Object.entries(metadata).map(([k, v]) => `${k} ${b64(v)}`).join(',')
  })
  return { res, id: res.headers.get('location')?.split('/').pop() ?? '' }
}

const offsetOf = async (user: TestUser, id: string): Promise<number> => Number((await tus('HEAD', `/uploads/${id}`, user)).headers.get('upload-offset'))

/**
 * The offset once no request writes the upload any more (a cut request's
 * last bytes reach the disk after the cut): an empty PATCH at the offset HEAD
 * tells is accepted only when nobody else writes and that offset is recorded.
 */
async function settledOffset(user: TestUser, id: string): Promise<number> {
  let settled = -1
  await waitFor(async () => {
    const offset = await offsetOf(user, id)
    const probe = await tus('PATCH', `/uploads/${id}`, user, { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) }, new Uint8Array(0))
    if (probe.status === 204) settled = offset
    return probe.status === 204
  })
  return settled
}

function run(upload: Upload): Promise<void> {
  return new Promise((resolve, reject) => {
    upload.options.onSuccess = () => resolve()
    upload.options.onError = (err) => reject(err)
    upload.start()
  })
}

describe('tus 1.0 with tus-js-client', () => {
  it('uploads, is cut midway, resumes from what the server kept, and the file is sent in a message and downloaded the same', async () => {
    const bytes = bytesOf(8 * 1024 * 1024, 11)
    const urlStorage = new FileUrlStorage(join(urlDir, 'uploads.json'))
    const options = (extra: Partial<UploadOptions>): UploadOptions => ({
      endpoint: `${proxy.url}/api/v1/uploads`,
      headers: { authorization: `Bearer ${alice.accessToken}` },
      metadata: { conversationId: group, filename: 'holiday.mov', filetype: 'video/quicktime', sha256: sha256(bytes) },
      urlStorage,
      ...extra
    })
    // The network stalls after about 3 MiB, then the cable is pulled.
    proxy.stallAfter(3 * 1024 * 1024)
    let id = ''
    const first = new Upload(bytes, options({ retryDelays: null, onUploadUrlAvailable: () => void (id = first.url!.split('/').pop()!) }))
    const failed = run(first)
    await waitFor(async () => id !== '' && (await offsetOf(alice, id)) > 1024 * 1024)
    proxy.cut()
    await expect(failed).rejects.toThrow()
    const kept = await settledOffset(alice, id)
    expect(kept).toBeGreaterThan(1024 * 1024)
    expect(kept).toBeLessThan(bytes.length)

    // A new client finds the upload it stored and continues from the server's offset.
    const requests: string[] = []
    const second = new Upload(bytes, options({ onBeforeRequest: (req: HttpRequest) => void requests.push(`${req.getMethod()} ${req.getHeader('Upload-Offset') ?? ''}`.trim()) }))
    const previous = await second.findPreviousUploads()
    expect(previous).toHaveLength(1)
    second.resumeFromPreviousUpload(previous[0]!)
    await run(second)
    expect(second.url).toBe(first.url)
    // Asked where to go on, then sent only the rest: nothing the server kept was sent again.
    expect(requests).toEqual(['HEAD', `PATCH ${kept}`])

    const socket = await connect(srv.url, alice.accessToken)
    try {
      const sent = await emitAck<{ message: Message }>(socket, 'message:send', { conversationId: group, clientId: randomUUID(), text: '', attachments: [id] })
      expect(sent).toMatchObject({ ok: true })
      if (!sent.ok) return
      expect(sent.data.message.attachments).toEqual([expect.objectContaining({ id, name: 'holiday.mov', type: 'video/quicktime', size: bytes.length, sha256: sha256(bytes) })])
    } finally {
      socket.close()
    }
    const got = await download(srv.url, bob, id)
    expect(got.status).toBe(200)
    expect(got.bytes.equals(bytes)).toBe(true)
  })

  it('creation-with-upload: the first request creates the upload and carries the bytes', async () => {
    const bytes = bytesOf(200_000, 12)
    const methods: string[] = []
    const upload = new Upload(bytes, {
      endpoint: `${srv.url}/api/v1/uploads`,
      headers: { authorization: `Bearer ${alice.accessToken}` },
      metadata: { conversationId: group, filename: 'at-once.bin' },
      uploadDataDuringCreation: true,
      onBeforeRequest: (req: HttpRequest) => void methods.push(req.getMethod())
    })
    await run(upload)
    expect(methods).toEqual(['POST'])
    const id = upload.url!.split('/').pop()!
    expect((await download(srv.url, bob, id)).bytes.equals(bytes)).toBe(true)
  })
})

describe('tus 1.0 on the wire', () => {
  it('OPTIONS tells the version, extensions, largest size and checksum algorithms, to anyone', async () => {
    const res = await fetch(`${srv.url}/api/v1/uploads`, { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('tus-version')).toBe('1.0.0')
    expect(res.headers.get('tus-resumable')).toBe('1.0.0')
    expect(res.headers.get('tus-extension')!.split(',')).toEqual(['creation', 'creation-with-upload', 'expiration', 'checksum', 'termination'])
    expect(res.headers.get('tus-max-size')).toBe(String(LIMIT))
    expect(res.headers.get('tus-checksum-algorithm')).toBe('sha1,sha256,sha512')
  })

  it('creation answers 201 with Location; HEAD tells offset, length, expiry and metadata, never cached', async () => {
    const { res, id } = await create(alice, 1000, { conversationId: group, name: 'Übersicht.pdf', type: 'application/pdf', relativePath: 'null' })
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toBe(`/api/v1/uploads/${id}`)
    expect(res.headers.get('tus-resumable')).toBe('1.0.0')
    expect(new Date(res.headers.get('upload-expires')!).getTime()).toBeGreaterThan(Date.now())
    const head = await tus('HEAD', `/uploads/${id}`, alice)
    expect(head.status).toBe(200)
    expect(head.headers.get('upload-offset')).toBe('0')
    expect(head.headers.get('upload-length')).toBe('1000')
    expect(head.headers.get('cache-control')).toBe('no-store')
    expect(head.headers.get('tus-resumable')).toBe('1.0.0')
    expect(new Date(head.headers.get('upload-expires')!).getTime()).toBeGreaterThan(Date.now())
    const metadata = Object.fromEntries(head.headers.get('upload-metadata')!.split(',').map((pair) => pair.split(' ')).map(([k, v]) => [k, Buffer.from(v!, 'base64').toString()]))
    expect(metadata).toEqual({ conversationId: group, filename: 'Übersicht.pdf', type: 'application/pdf' })
    // The upload is its uploader's: others learn nothing.
    expect((await tus('HEAD', `/uploads/${id}`, bob)).status).toBe(403)
    expect((await tus('HEAD', `/uploads/${id}`, null)).status).toBe(401)
    expect((await tus('HEAD', `/uploads/${randomUUID()}`, alice)).status).toBe(404)
  })

  it('creation is refused clearly: bad or missing metadata 400, a non-member 403, too big 413', async () => {
    const cases: [TestUser, Record<string, string>, number, RegExp][] = [
      [alice, { 'upload-length': '10' }, 400, /Upload-Metadata.*conversationId/],
      [alice, { 'upload-length': '10', 'upload-metadata': `conversationId ${b64(group)}` }, 400, /Upload-Metadata.*filename/],
      [alice, { 'upload-length': '10', 'upload-metadata': `conversationId ${b64(group)},filename ${b64('a/b')}` }, 400, /Upload-Metadata\.filename/],
      [alice, { 'upload-length': '10', 'upload-metadata': 'conversationId not*base64' }, 400, /Upload-Metadata/],
      [alice, { 'upload-metadata': `conversationId ${b64(group)},filename ${b64('a')}` }, 400, /Upload-Length/],
      [alice, { 'upload-defer-length': '1', 'upload-metadata': `conversationId ${b64(group)},filename ${b64('a')}` }, 400, /Upload-Defer-Length/],
      [carol, { 'upload-length': '10', 'upload-metadata': `conversationId ${b64(group)},filename ${b64('a')}` }, 403, /member/],
      [alice, { 'upload-length': String(LIMIT + 1), 'upload-metadata': `conversationId ${b64(group)},filename ${b64('a')}` }, 413, /limit/]
    ]
    for (const [user, headers, status, mentions] of cases) {
      const res = await tus('POST', '/uploads', user, headers)
      const body = (await res.json()) as { error: { message: string } }
      expect(`${res.status} ${body.error.message}`, JSON.stringify(headers)).toMatch(new RegExp(`^${status} .*${mentions.source}`))
      expect(res.headers.get('location')).toBeNull()
    }
  })

  it('creation counts against the quota, unfinished uploads included: past it 413 quota_exceeded', async () => {
    const { res, id } = await create(alice, LIMIT)
    expect(res.status).toBe(201)
    const over = await tus('POST', '/uploads', alice, { 'upload-length': String(LIMIT), 'upload-metadata': `conversationId ${b64(group)},filename ${b64('b.bin')}` })
    expect(over.status).toBe(413)
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('quota_exceeded')
    expect((await tus('DELETE', `/uploads/${id}`, alice)).status).toBe(204)
  })

  it('a Tus-Resumable this server does not speak is 412 with Tus-Version, and the JSON error', async () => {
    const { id } = await create(alice, 10)
    for (const [method, path] of [['POST', '/uploads'], ['HEAD', `/uploads/${id}`], ['PATCH', `/uploads/${id}`], ['DELETE', `/uploads/${id}`]] as const) {
      const res = await tus(method, path, alice, { 'tus-resumable': '0.2.2', 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' })
      expect(res.status, method).toBe(412)
      expect(res.headers.get('tus-version')).toBe('1.0.0')
      if (method !== 'HEAD') expect(((await res.json()) as { error: { code: string } }).error.code).toBe('precondition_failed')
    }
    expect(await offsetOf(alice, id)).toBe(0)
  })

  it.each(['sha1', 'sha256', 'sha512'])('Upload-Checksum %s: a mismatch is 460 and keeps none of the chunk; a match is stored', async (algorithm) => {
    const bytes = bytesOf(100_000, 13)
    const { id } = await create(alice, bytes.length)
    const patch = (offset: number, chunk: Uint8Array, checksum: string) =>
      tus('PATCH', `/uploads/${id}`, alice, { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), 'upload-checksum': `${algorithm} ${checksum}` }, chunk)
    const first = bytes.subarray(0, 60_000)
    const wrong = await patch(0, first, digest(algorithm, bytes.subarray(1, 60_001)))
    expect(wrong.status).toBe(460)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('chunk_checksum_mismatch')
    expect(await offsetOf(alice, id)).toBe(0)
    const right = await patch(0, first, digest(algorithm, first))
    expect(right.status).toBe(204)
    expect(right.headers.get('upload-offset')).toBe('60000')
    expect(right.headers.get('tus-resumable')).toBe('1.0.0')
    // The last chunk wrong: the upload does not become a file.
    const rest = bytes.subarray(60_000)
    expect((await patch(60_000, rest, digest(algorithm, first))).status).toBe(460)
    expect(await offsetOf(alice, id)).toBe(60_000)
    expect((await download(srv.url, alice, id)).status).toBe(404)
    const done = await patch(60_000, rest, digest(algorithm, rest))
    expect(done.status).toBe(204)
    expect(done.headers.get('upload-offset')).toBe(String(bytes.length))
    expect((await download(srv.url, bob, id)).bytes.equals(bytes)).toBe(true)
  })

  it('Upload-Checksum with an algorithm the server does not verify is 400, before any byte is kept', async () => {
    const { id } = await create(alice, 10)
    const res = await tus('PATCH', `/uploads/${id}`, alice, { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0', 'upload-checksum': `md5 ${digest('md5', bytesOf(10))}` }, bytesOf(10))
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Upload-Checksum.*sha1, sha256, sha512/)
    expect(await offsetOf(alice, id)).toBe(0)
  })

  it('termination: DELETE removes the upload; HEAD then answers 404', async () => {
    const { id } = await create(alice, 10)
    const res = await tus('DELETE', `/uploads/${id}`, alice)
    expect(res.status).toBe(204)
    expect(res.headers.get('tus-resumable')).toBe('1.0.0')
    expect((await tus('HEAD', `/uploads/${id}`, alice)).status).toBe(404)
  })

  it('the app, sending no Tus-Resumable, still gets its JSON answers', async () => {
    const { id } = await create(alice, 4)
    const res = await fetch(`${srv.url}/api/v1/uploads/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: bytesOf(4) as unknown as BodyInit
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { upload: { complete: boolean } }).upload.complete).toBe(true)
  })
})
