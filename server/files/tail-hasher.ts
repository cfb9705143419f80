// SHA-256 of part files on a worker thread that reads, from the page cache,
// what an upload has just written. The event loop then only moves bytes from
// the socket to the disk, as a bare req.pipe(fs.createWriteStream) does, and
// the hash runs beside it on another core: on a 2-core box the inline hash
// (0.45–0.75 s of CPU per GiB) was the upload's whole lag behind that
// baseline. Reading back costs a memcpy per byte, far less than passing each
// chunk to the thread would (a copy or a transfer, and a new buffer for V8 to
// collect); the thread reads into one buffer it reuses, so it allocates
// nothing per chunk.
import { Worker } from 'node:worker_threads'

/**
 * The thread, as plain CommonJS evaluated in place: no file to find next to a
 * bundle, inside an asar archive or under a test runner's transform.
 * Messages in: {id, path, written} opens a job and hashes [0, written);
 * {id, written} hashes on to `written`; {id, end} hashes to `end` and answers
 * {id, digest}; {id, end: null} drops the job. Errors answer {id, error}.
 */
const SOURCE = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { openSync, readSync, closeSync } = require('node:fs')
const buffer = Buffer.allocUnsafe(1 << 20)
const jobs = new Map()
function drop(id) {
  const job = jobs.get(id)
  jobs.delete(id)
  if (job) closeSync(job.fd)
}
function hashTo(job, upTo) {
  while (job.read < upTo) {
    const n = readSync(job.fd, buffer, 0, Math.min(buffer.length, upTo - job.read), job.read)
    if (n === 0) throw new Error('the part file ends at ' + job.read + ', before ' + upTo)
    job.hash.update(n === buffer.length ? buffer : buffer.subarray(0, n))
    job.read += n
  }
}
parentPort.on('message', (m) => {
  try {
    if (m.path !== undefined) jobs.set(m.id, { fd: openSync(m.path, 'r'), hash: createHash('sha256'), read: 0 })
    const job = jobs.get(m.id)
    if (!job) {
      if (m.end != null) parentPort.postMessage({ id: m.id, error: 'this hash failed earlier' })
      return
    }
    if (m.end === null) return drop(m.id)
    hashTo(job, m.end ?? m.written)
    if (m.end !== undefined) {
      const digest = job.hash.digest('hex')
      drop(m.id)
      parentPort.postMessage({ id: m.id, digest })
    }
  } catch (err) {
    try { drop(m.id) } catch {}
    parentPort.postMessage({ id: m.id, error: err && err.message ? err.message : String(err) })
  }
})
`

interface Answer {
  id: number
  digest?: string
  error?: string
}

/** One file being hashed as it grows. */
export interface TailHash {
  /** The file now holds at least `written` bytes on disk; hash on to there. */
  advance(written: number): void
  /** The SHA-256 of the file's first `size` bytes. */
  digest(size: number): Promise<string>
  /** No digest wanted any more. */
  drop(): void
}

/** Progress is posted every 4 MiB: each message costs the event loop a few tens of microseconds, and the thread is never more than 4 MiB (2-3 ms of hashing) behind. */
const STEP = 4 << 20

export class TailHasher {
  private worker: Worker | null = null
  private nextId = 0
  private readonly waiting = new Map<number, { ok: (digest: string) => void; fail: (err: Error) => void }>()

  /** Starts hashing `path` from its first byte; it holds `written` bytes now. */
  follow(path: string, written: number): TailHash {
    const worker = this.thread()
    const id = this.nextId++
    let posted = written
    let open = true
    worker.postMessage({ id, path, written })
    return {
      advance: (now) => {
        if (!open || now - posted < STEP) return
        posted = now
        worker.postMessage({ id, written: now })
      },
      digest: (size) => {
        if (!open) return Promise.reject(new Error('this hash was dropped'))
        open = false
        if (this.worker !== worker) return Promise.reject(new Error('the hash thread was lost'))
        return new Promise<string>((ok, fail) => {
          this.waiting.set(id, { ok, fail })
          worker.postMessage({ id, end: size })
        })
      },
      drop: () => {
        if (!open) return
        open = false
        worker.postMessage({ id, end: null })
      }
    }
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }

  private thread(): Worker {
    if (this.worker) return this.worker
    // A small heap: the thread holds a hash state per upload and one buffer.
    const worker = new Worker(SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } })
    // Idle, it must not keep a process alive; the server terminates it on close.
    worker.unref()
    worker.on('message', (answer: Answer) => {
      const waiter = this.waiting.get(answer.id)
      if (!waiter) return
      this.waiting.delete(answer.id)
      if (answer.digest !== undefined) waiter.ok(answer.digest)
      else waiter.fail(new Error(answer.error ?? 'no digest'))
    })
    const lost = (err: Error): void => {
      if (this.worker === worker) this.worker = null
      for (const waiter of this.waiting.values()) waiter.fail(err)
      this.waiting.clear()
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`the hash thread exited with code ${code}`)))
    this.worker = worker
    return worker
  }
}
