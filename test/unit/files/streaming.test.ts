// The upload and download paths' parts: the hash thread that follows a part
// file as it grows, the writer that feeds it, and the file sender with its
// reused buffers. Real files, a real worker thread, a real HTTP server.
import { createHash, randomBytes } from 'node:crypto'
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sendFile } from '../../../src/node/send-file'
import { TailHasher } from '../../../server/files/tail-hasher'
import { writePart } from '../../../server/files/write-part'

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

let dir: string
let hasher: TailHasher
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streaming-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))
afterEach(() => hasher?.close())

describe('TailHasher', () => {
  it('hashes a file as it grows, from a prefix already there, to the size asked', async () => {
    hasher = new TailHasher()
    const path = join(dir, 'grow.bin')
    const parts = [randomBytes(300_000), randomBytes(2_500_000), randomBytes(1)]
    await writeFile(path, parts[0]!)
    const tail = hasher.follow(path, parts[0]!.length)
    let size = parts[0]!.length
    for (const part of parts.slice(1)) {
      await appendFile(path, part)
      size += part.length
      tail.advance(size)
    }
    expect(await tail.digest(size)).toBe(sha256(Buffer.concat(parts)))
  })

  it('refuses a digest the file cannot give, and keeps serving other files', async () => {
    hasher = new TailHasher()
    const short = join(dir, 'short.bin')
    await writeFile(short, randomBytes(10))
    await expect(hasher.follow(short, 0).digest(11)).rejects.toThrow(/ends at 10, before 11/)
    await expect(hasher.follow(join(dir, 'missing.bin'), 0).digest(1)).rejects.toThrow(/ENOENT/)
    const ok = join(dir, 'ok.bin')
    const bytes = randomBytes(5000)
    await writeFile(ok, bytes)
    expect(await hasher.follow(ok, 0).digest(bytes.length)).toBe(sha256(bytes))
  })

  it('a dropped hash gives no digest; a closed hasher fails what waits and starts again when asked', async () => {
    hasher = new TailHasher()
    const path = join(dir, 'drop.bin')
    const bytes = randomBytes(1000)
    await writeFile(path, bytes)
    const dropped = hasher.follow(path, 0)
    dropped.drop()
    await expect(dropped.digest(bytes.length)).rejects.toThrow(/dropped/)
    const orphan = hasher.follow(path, 0)
    await hasher.close()
    await expect(orphan.digest(bytes.length)).rejects.toThrow(/lost/)
    expect(await hasher.follow(path, 0).digest(bytes.length)).toBe(sha256(bytes))
  })
})

describe('writePart', () => {
  it('appends after a prefix and gives the digest of the whole part, computed on the thread', async () => {
    hasher = new TailHasher()
    const path = join(dir, 'part.bin')
    const head = randomBytes(70_000)
    const rest = randomBytes(3_000_000)
    await writeFile(path, head)
    const outcome = await writePart(path, head.length, Readable.from([rest.subarray(0, 1_000_000), rest.subarray(1_000_000)]), rest.length, undefined, hasher)
    expect(outcome).toEqual({ offset: head.length + rest.length, overflow: false, cut: false, digest: sha256(Buffer.concat([head, rest])) })
    expect(await readFile(path)).toEqual(Buffer.concat([head, rest]))
  })

  it('keeps the declared bytes of a body that sends more, and says so', async () => {
    hasher = new TailHasher()
    const path = join(dir, 'over.bin')
    await writeFile(path, '')
    const body = randomBytes(200_000)
    const outcome = await writePart(path, 0, Readable.from([body.subarray(0, 150_000), body.subarray(150_000)]), 160_000, undefined, hasher)
    expect(outcome).toMatchObject({ offset: 160_000, overflow: true, digest: sha256(body.subarray(0, 160_000)) })
    expect(await readFile(path)).toEqual(body.subarray(0, 160_000))
  })

  it('keeps every byte of a body cut short, and gives no digest for a part not complete', async () => {
    hasher = new TailHasher()
    const path = join(dir, 'cut.bin')
    await writeFile(path, '')
    const sent = randomBytes(100_000)
    const source = new Readable({ read() {} })
    source.push(sent)
    setTimeout(() => source.destroy(new Error('connection reset')), 50)
    const outcome = await writePart(path, 0, source, 1_000_000, undefined, hasher)
    expect(outcome).toEqual({ offset: sent.length, overflow: false, cut: true, digest: null })
    expect(await readFile(path)).toEqual(sent)
  })
})

describe('sendFile', () => {
  let server: Server
  let port: number
  let path: string
  const bytes = randomBytes(3 * 1024 * 1024 + 17)
  /** How each request's sendFile ended, by its URL. */
  const finished = new Map<string, boolean>()
  beforeAll(async () => {
    path = join(dir, 'send.bin')
    await writeFile(path, bytes)
    server = createServer((req, res) => {
      const [from, to] = (req.url ?? '').slice(1).split('-').map(Number) as [number, number]
      res.setHeader('content-length', String(to - from))
      void sendFile(res, path, from, to).then((all) => {
        finished.set(req.url ?? '', all)
        if (all) res.end()
      })
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

  const fetchBytes = async (from: number, to: number): Promise<Buffer> => Buffer.from(await (await fetch(`http://127.0.0.1:${port}/${from}-${to}`)).arrayBuffer())

  it('sends exactly the bytes asked for, whole or a range', async () => {
    expect((await fetchBytes(0, bytes.length)).equals(bytes)).toBe(true)
    expect((await fetchBytes(1_000_001, 2_500_000)).equals(bytes.subarray(1_000_001, 2_500_000))).toBe(true)
    expect((await fetchBytes(5, 6)).equals(bytes.subarray(5, 6))).toBe(true)
  })

  it('stops, and says so, when the reader goes away midway', async () => {
    await new Promise<void>((ok) => {
      const req = request({ host: '127.0.0.1', port, path: `/1-${bytes.length}` }, (res) => {
        res.once('data', () => {
          req.destroy()
          ok()
        })
      })
      req.end()
    })
    await expect.poll(() => finished.get(`/1-${bytes.length}`)).toBe(false)
    expect(finished.get(`/0-${bytes.length}`)).toBe(true)
  })
})
