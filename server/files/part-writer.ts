// Upload bytes are written to their part files, and their SHA-256 computed,
// on one worker thread. The event loop then only reads sockets. Why the
// thread does both:
// - The hash (0.6 s of CPU per GiB) runs on another core.
// - Each chunk is hashed from the memory it was just written from, with no
//   reading back and no thread-pool round trip per write.
// - It writes in pieces of at most 128 KiB. For a larger write, the kernel
//   (6.x, ext4) fills large page-cache folios. On a VM that hands free memory
//   back to its host (free page reporting), those cost 5-10x more to fill.
//   Measured here: 1 GiB in 1 MiB writes, 1.3-2.6 s; in 128 KiB writes,
//   0.17 s; a bare req.pipe(fs.createWriteStream) writes 64 KiB chunks.
// Chunks are moved to the thread, not copied: each body chunk from Node's
// HTTP parser owns its memory.
import { Worker } from 'node:worker_threads'

/**
 * The thread, as plain CommonJS evaluated in place: no file to find next to a
 * bundle, inside an asar archive or under a test runner's transform.
 * Messages in (each answered {req, ...} in order per job):
 * - {req, id, fd, offset, hash}: a job appends to `fd` from `offset`, hashing
 *   the `offset` bytes already there first when `hash`; answers {req, at}.
 * - {req, id, chunks}: appends the chunks; answers {req, at}.
 * - {req, id, end, digest}: the job is over, after its last flush; answers
 *   {req, digest} (the SHA-256 of the whole part, when asked and hashed).
 * A failure answers {req, error}, and so does every later message of that job.
 * The descriptor is the caller's: it opens and closes it.
 */
const SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { fdatasync, readSync, writeSync } = require('node:fs')
const PIECE = 128 << 10
const FLUSH_EVERY = 64 << 20
const PREFIX_STEP = 16 << 20
const scratch = Buffer.allocUnsafe(1 << 20)
const jobs = new Map()
const tick = () => new Promise((resolve) => setImmediate(resolve))

async function hashPrefix(job, end) {
  for (let read = 0; read < end; ) {
    // A long prefix (a resume) is hashed in steps, so other uploads' chunks are written meanwhile.
    const stop = Math.min(end, read + PREFIX_STEP)
    while (read < stop) {
      const n = readSync(job.fd, scratch, 0, Math.min(scratch.length, stop - read), read)
      if (n === 0) throw new Error('the part file ends at ' + read + ', before ' + end)
      job.hash.update(n === scratch.length ? scratch : scratch.subarray(0, n))
      read += n
    }
    await tick()
  }
}

function append(job, chunks) {
  for (const memory of chunks) {
    const bytes = new Uint8Array(memory)
    for (let done = 0; done < bytes.length; ) {
      done += writeSync(job.fd, bytes, done, Math.min(PIECE, bytes.length - done), job.at + done)
    }
    job.at += bytes.length
    if (job.hash) job.hash.update(bytes)
    // Freed now, not at this thread's next collection: the event loop's next
    // chunk then reuses warm memory. (A runtime without transfer, older than
    // the Node 22 the package asks for, leaves it to the collector.)
    if (typeof memory.transfer === 'function') memory.transfer(0)
  }
  // Flushed as the bytes come, so the fsync at completion is short.
  if (job.at - job.flushedAt >= FLUSH_EVERY && !job.flushing) {
    job.flushedAt = job.at
    job.flushing = new Promise((settled) => fdatasync(job.fd, () => settled())).then(() => { job.flushing = null })
  }
  return { at: job.at }
}

async function handle(job, m) {
  // The last flush is over before the caller may close the descriptor, even after a failure.
  if (m.end) await job.flushing
  if (job.error) throw new Error(job.error)
  if (m.chunks) return append(job, m.chunks)
  if (m.end) return { digest: m.digest && job.hash ? job.hash.digest('hex') : null }
  if (job.hash) await hashPrefix(job, m.offset)
  return { at: job.at }
}

parentPort.on('message', (m) => {
  let job = jobs.get(m.id)
  if (!job) {
    if (m.fd === undefined) return parentPort.postMessage({ req: m.req, error: 'no such job' })
    job = { fd: m.fd, at: m.offset, flushedAt: m.offset, flushing: null, hash: m.hash ? createHash('sha256') : null, error: null, chain: Promise.resolve() }
    jobs.set(m.id, job)
  }
  if (m.end) jobs.delete(m.id)
  job.chain = job.chain.then(() => handle(job, m)).then(
    (answer) => parentPort.postMessage({ req: m.req, ...answer }),
    (err) => {
      job.error = job.error || (err && err.message ? err.message : String(err))
      parentPort.postMessage({ req: m.req, error: job.error })
    }
  )
})
`

interface Answer {
  req: number
  at?: number
  digest?: string | null
  error?: string
}

/** One part file being appended to, through the thread. */
export interface PartJob {
  /**
   * Appends these chunks, whose memory is moved to the thread (they are
   * empty afterwards); resolves with the part's size after them.
   */
  write(chunks: Buffer[]): Promise<number>
  /** No more chunks; resolves after the last flush with the SHA-256 of the whole part, if `digest` and it was hashed. */
  end(digest: boolean): Promise<string | null>
}

export class PartWriter {
  private worker: Worker | null = null
  private nextId = 0
  private nextReq = 0
  private readonly waiting = new Map<number, { ok: (answer: Answer) => void; fail: (err: Error) => void }>()

  /**
   * Starts appending to the open file `fd`, which holds `offset` bytes; with
   * `hash`, they are hashed first, so the digest covers the whole part.
   */
  open(fd: number, offset: number, hash: boolean): PartJob {
    const worker = this.thread()
    const id = this.nextId++
    const ask = (message: object, transfer: ArrayBuffer[] = []): Promise<Answer> => {
      // A job lives on the thread it started on; if that thread is gone, so is its hash.
      if (this.worker !== worker) return Promise.reject(new Error('the writer thread was lost'))
      const req = this.nextReq++
      return new Promise((ok, fail) => {
        this.waiting.set(req, { ok, fail })
        worker.postMessage({ req, id, ...message }, transfer)
      })
    }
    const opened = ask({ fd, offset, hash })
    opened.catch(() => undefined) // Its failure reaches the caller through the job's next answer.
    return {
      write: async (chunks) => {
        const memory = chunks.map(movable)
        return (await ask({ chunks: memory }, memory)).at ?? 0
      },
      end: async (digest) => (await ask({ end: true, digest })).digest ?? null
    }
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }

  private thread(): Worker {
    if (this.worker) return this.worker
    // A small heap: the thread holds a hash state per upload and the chunks in flight.
    const worker = new Worker(SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } })
    // Idle, it must not keep a process alive; the server terminates it on close.
    worker.unref()
    worker.on('message', (answer: Answer) => {
      const waiter = this.waiting.get(answer.req)
      if (!waiter) return
      this.waiting.delete(answer.req)
      if (answer.error !== undefined) waiter.fail(new Error(answer.error))
      else waiter.ok(answer)
    })
    const lost = (err: Error): void => {
      if (this.worker === worker) this.worker = null
      for (const waiter of this.waiting.values()) waiter.fail(err)
      this.waiting.clear()
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`the writer thread exited with code ${code}`)))
    this.worker = worker
    return worker
  }
}

/** The chunk's own memory when it has it whole (a request body's chunks do), else a copy of its bytes. */
function movable(chunk: Buffer): ArrayBuffer {
  const memory = chunk.buffer
  if (memory instanceof ArrayBuffer && chunk.byteOffset === 0 && memory.byteLength === chunk.length) return memory
  return chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length) as ArrayBuffer
}
