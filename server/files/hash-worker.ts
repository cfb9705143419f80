// SHA-256 of an upload's bytes on another thread, so hashing a gigabyte
// runs beside the network and the disk instead of after them. The worker
// first hashes the part's existing prefix from disk (after a cut or a
// restart), then the chunks posted to it, in order. Posting waits while too
// many bytes are in flight, so memory stays bounded whatever the file size.
import { Worker } from 'node:worker_threads'

// Plain CommonJS, evaluated: it runs the same from tsx and from the bundled server.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { openSync, readSync, closeSync } = require('node:fs')
const hash = createHash('sha256')
if (workerData.prefix > 0) {
  const fd = openSync(workerData.path, 'r')
  const buf = Buffer.allocUnsafe(1 << 20)
  for (let at = 0; at < workerData.prefix; ) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, workerData.prefix - at), at)
    if (n === 0) break
    hash.update(buf.subarray(0, n))
    at += n
  }
  closeSync(fd)
}
parentPort.on('message', (m) => {
  if (m === 'end') parentPort.postMessage({ digest: hash.digest('hex') })
  else {
    hash.update(m)
    parentPort.postMessage({ done: m.byteLength })
  }
})
`

/** Bytes posted but not hashed yet, beyond which posting waits. */
const IN_FLIGHT_MAX = 8 * 1024 * 1024

export class HashWorker {
  private readonly worker: Worker
  private inFlight = 0
  private waiting: (() => void) | null = null
  private digest: ((hex: string) => void) | null = null
  private failed: Error | null = null

  constructor(path: string, prefix: number) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { path, prefix } })
    this.worker.on('message', (m: { done?: number; digest?: string }) => {
      if (m.done !== undefined) {
        this.inFlight -= m.done
        if (this.inFlight <= IN_FLIGHT_MAX / 2) this.release()
      } else if (m.digest) this.digest?.(m.digest)
    })
    this.worker.on('error', (err) => {
      this.failed = err
      this.release()
    })
  }

  /** Hashes a chunk after those before it; resolves when there is room for more. */
  async update(chunk: Buffer): Promise<void> {
    if (this.failed) throw this.failed
    this.inFlight += chunk.length
    this.worker.postMessage(chunk)
    if (this.inFlight > IN_FLIGHT_MAX) await new Promise<void>((resolve) => (this.waiting = resolve))
  }

  /** The digest of the prefix and every chunk; the worker then stops. */
  async finish(): Promise<string> {
    if (this.failed) throw this.failed
    const hex = await new Promise<string>((resolve, reject) => {
      this.digest = resolve
      this.worker.once('error', reject)
      this.worker.postMessage('end')
    })
    await this.worker.terminate()
    return hex
  }

  stop(): void {
    void this.worker.terminate()
  }

  private release(): void {
    const waiting = this.waiting
    this.waiting = null
    waiting?.()
  }
}
