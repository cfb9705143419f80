// The upload and download paths' parts: the writer thread that appends to
// part files and hashes them, the stream that feeds it, and the file sender
// with its reused buffers. Real files, a real worker thread, a real HTTP server.
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { sendFile } from '../../../src/node/send-file'
import { PartWriter, type PartJob } from '../../../server/files/part-writer'
import { writePart, type PartProgress } from '../../../server/files/write-part'

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

let dir: string
let writer: PartWriter
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streaming-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))
afterEach(() => writer?.close())

/** Opens `path` for a job and ends it: the descriptor is the caller's, as in writePart. */
async function withJob<T>(path: string, offset: number, hash: boolean, use: (job: PartJob) => Promise<T>): Promise<T> {
  const file = await open(path, 'r+')
  try {
    return await use(writer.open(file.fd, offset, hash))
  } finally {
    await file.close()
  }
}

describe('PartWriter', () => {
  it('appends after a prefix already there and gives the digest of the whole part', async () => {
    writer = new PartWriter()
    const path = join(dir, 'grow.bin')
    const head = randomBytes(300_000)
    // One chunk far larger than the thread's 128 KiB write pieces, one owning its memory, one a view into a larger buffer.
    const big = randomBytes(2_500_000)
    const owned = Buffer.from(randomBytes(70_000))
    const backing = randomBytes(10_000)
    const view = backing.subarray(10, 20)
    const expected = Buffer.concat([head, big, owned, view])
    await writeFile(path, head)
    const digest = await withJob(path, head.length, true, async (job) => {
      expect(await job.write([big])).toBe(head.length + 2_500_000)
      expect(await job.write([owned, view])).toBe(expected.length)
      return job.end(true)
    })
    expect(digest).toBe(sha256(expected))
    expect(await readFile(path)).toEqual(expected)
    // Whole buffers are moved to the thread (they are empty here now); a view is copied and stays.
    expect(big.length).toBe(0)
    expect(view.length).toBe(10)
    expect(backing.length).toBe(10_000)
  })

  it('keeps jobs apart, and fails a job whose prefix the file does not hold without harming the others', async () => {
    writer = new PartWriter()
    const [a, b, short] = ['a.bin', 'b.bin', 'short.bin'].map((name) => join(dir, name)) as [string, string, string]
    await writeFile(a, '')
    await writeFile(b, '')
    await writeFile(short, randomBytes(10))
    const partsA = [randomBytes(200_000), randomBytes(1)]
    const partsB = [randomBytes(5), randomBytes(400_000)]
    const digests = await withJob(a, 0, true, (jobA) =>
      withJob(b, 0, true, async (jobB) => {
        await Promise.all([jobA.write([Buffer.from(partsA[0]!)]), jobB.write([Buffer.from(partsB[0]!)])])
        await withJob(short, 11, true, async (broken) => {
          await expect(broken.write([randomBytes(3)])).rejects.toThrow(/ends at 10, before 11/)
          await expect(broken.end(true)).rejects.toThrow(/ends at 10/)
        })
        await Promise.all([jobA.write([Buffer.from(partsA[1]!)]), jobB.write([Buffer.from(partsB[1]!)])])
        return Promise.all([jobA.end(true), jobB.end(true)])
      })
    )
    expect(digests).toEqual([sha256(Buffer.concat(partsA)), sha256(Buffer.concat(partsB))])
    expect(await readFile(short)).toHaveLength(10)
  })

  it('gives no digest unless asked and hashed; a closed writer fails what waits and starts again when asked', async () => {
    writer = new PartWriter()
    const path = join(dir, 'drop.bin')
    const bytes = randomBytes(1000)
    await writeFile(path, bytes)
    expect(await withJob(path, bytes.length, false, (job) => job.end(true))).toBeNull()
    expect(await withJob(path, bytes.length, true, (job) => job.end(false))).toBeNull()
    await withJob(path, bytes.length, true, async (orphan) => {
      await writer.close()
      await expect(orphan.write([randomBytes(5)])).rejects.toThrow(/lost/)
      await expect(orphan.end(true)).rejects.toThrow(/lost/)
    })
    expect(await withJob(path, bytes.length, true, (job) => job.end(true))).toBe(sha256(bytes))
    expect(await readFile(path)).toEqual(bytes)
  })
})

describe('writePart', () => {
  it('appends after a prefix and gives the digest of the whole part, computed on the thread', async () => {
    writer = new PartWriter()
    const path = join(dir, 'part.bin')
    const head = randomBytes(70_000)
    const rest = randomBytes(3_000_000)
    await writeFile(path, head)
    const outcome = await writePart(path, head.length, Readable.from([rest.subarray(0, 1_000_000), rest.subarray(1_000_000)]), rest.length, writer)
    expect(outcome).toEqual({ offset: head.length + rest.length, overflow: false, cut: false, failed: null, digest: sha256(Buffer.concat([head, rest])) })
    expect(await readFile(path)).toEqual(Buffer.concat([head, rest]))
  })

  it('streams a body many times what it lets wait for the thread, in order, and tells the bytes on disk as it goes', async () => {
    writer = new PartWriter()
    const path = join(dir, 'long.bin')
    await writeFile(path, '')
    const body = randomBytes(24 * 1024 * 1024)
    // 64 KiB chunks that own their memory, as a request body's do.
    const chunks = Array.from({ length: body.length / 65536 }, (_, i) => Buffer.from(body.subarray(i * 65536, (i + 1) * 65536)))
    const seen: number[] = []
    const source = Readable.from(chunks)
    // Listened to once writePart is about to pipe the source, so it flows no sooner.
    const watch = ({ written }: PartProgress): void => void source.on('data', () => seen.push(written()))
    const outcome = await writePart(path, 0, source, body.length, writer, watch)
    expect(outcome).toEqual({ offset: body.length, overflow: false, cut: false, failed: null, digest: sha256(body) })
    expect((await readFile(path)).equals(body)).toBe(true)
    // Reported progress only grows, and stays behind what was sent.
    expect(seen.some((n) => n > 0)).toBe(true)
    expect(seen.every((n, i) => n <= i * 65536 && (i === 0 || n >= seen[i - 1]!))).toBe(true)
  })

  it('keeps the declared bytes of a body that sends more, and says so', async () => {
    writer = new PartWriter()
    const path = join(dir, 'over.bin')
    await writeFile(path, '')
    const body = randomBytes(200_000)
    const outcome = await writePart(path, 0, Readable.from([body.subarray(0, 150_000), body.subarray(150_000)]), 160_000, writer)
    expect(outcome).toMatchObject({ offset: 160_000, overflow: true, digest: sha256(body.subarray(0, 160_000)) })
    expect(await readFile(path)).toEqual(body.subarray(0, 160_000))
  })

  it('says so when the server cannot write (its thread is lost), keeping what reached the disk', async () => {
    writer = new PartWriter()
    const path = join(dir, 'lost.bin')
    await writeFile(path, '')
    const first = randomBytes(100_000)
    const source = new Readable({ read() {} })
    source.push(Buffer.from(first))
    const outcome = writePart(path, 0, source, 1_000_000, writer)
    await expect.poll(async () => (await readFile(path)).length).toBe(first.length)
    await writer.close()
    source.push(randomBytes(1000))
    expect(await outcome).toEqual({ offset: first.length, overflow: false, cut: false, failed: expect.stringMatching(/lost|exited/), digest: null })
    expect(await readFile(path)).toEqual(first)
  })

  it('cuts off bytes past the offset first (written by a node that died before recording them), and says where the durable bytes end as it goes', async () => {
    writer = new PartWriter()
    const path = join(dir, 'resumed.bin')
    const head = randomBytes(50_000)
    await writeFile(path, Buffer.concat([head, randomBytes(400_000)]))
    const sent = randomBytes(100_000)
    const source = new Readable({ read() {} })
    source.push(Buffer.from(sent))
    let progress: PartProgress | null = null
    const outcome = writePart(path, head.length, source, 1_000_000, writer, (p) => (progress = p))
    await expect.poll(() => progress?.written()).toBe(head.length + sent.length)
    expect(await progress!.durable()).toBe(head.length + sent.length)
    source.destroy(new Error('connection reset'))
    expect(await outcome).toEqual({ offset: head.length + sent.length, overflow: false, cut: true, failed: null, digest: null })
    expect(await readFile(path)).toEqual(Buffer.concat([head, sent]))
    await expect(progress!.durable()).rejects.toThrow(/over/)
  })

  it('keeps every byte of a body cut short, and gives no digest for a part not complete', async () => {
    writer = new PartWriter()
    const path = join(dir, 'cut.bin')
    await writeFile(path, '')
    const sent = randomBytes(100_000)
    const source = new Readable({ read() {} })
    source.push(Buffer.from(sent))
    setTimeout(() => source.destroy(new Error('connection reset')), 50)
    const outcome = await writePart(path, 0, source, 1_000_000, writer)
    expect(outcome).toEqual({ offset: sent.length, overflow: false, cut: true, failed: null, digest: null })
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
