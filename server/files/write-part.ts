// Streams a request body onto the end of an upload's part file: bounded,
// never held in memory beyond a few MiB in flight. The writing and the
// SHA-256 happen on the writer thread (part-writer.ts).
import { open, stat } from 'node:fs/promises'
import { Writable, type Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { PartJob, PartWriter } from './part-writer'

export interface WriteOutcome {
  /** Bytes durably in the part file now, whatever happened: where the next bytes go. */
  offset: number
  /** The sender sent more than the rest of the declared size. */
  overflow: boolean
  /** The body was cut short (the connection broke); what arrived is kept. */
  cut: boolean
  /** The server could not write (the disk, or its writer thread, failed): why. What reached the disk is kept. */
  failed: string | null
  /** SHA-256 of the whole part when this request completed it and the thread gave it (else null: hash the file). */
  digest: string | null
}

class TooMuch extends Error {}

/**
 * Bytes handed to the thread and not yet written, before the sink stops
 * taking more (and the socket is no longer read): enough that the thread
 * always has the next batch waiting, few enough to stay small beside the
 * socket's own buffers.
 */
const IN_FLIGHT = 4 << 20

/**
 * Hands what it is given to the thread, at most `room` bytes: a chunk past
 * that is cut there and the stream fails with TooMuch, once what fits is
 * written.
 */
class PartSink extends Writable {
  /** Bytes the thread has put on disk. */
  written = 0
  /** Bytes handed to the thread. */
  private sent = 0
  private failure: Error | null = null
  /** The one write or final call held back until the thread catches up (a Writable makes one at a time). */
  private held: { until: () => boolean; then: () => void } | null = null

  constructor(
    private readonly job: PartJob,
    private readonly room: number,
    /** Sees each chunk before it is moved to the thread (a checksum of this request's bytes). */
    private readonly tap?: (chunk: Buffer) => void
  ) {
    super({ highWaterMark: 1 << 20 })
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.put([chunk], done)
  }

  override _writev(chunks: { chunk: Buffer }[], done: (err?: Error | null) => void): void {
    this.put(
      chunks.map((c) => c.chunk),
      done
    )
  }

  override _final(done: (err?: Error | null) => void): void {
    this.hold(() => this.sent === this.written, () => done(this.failure))
  }

  private put(buffers: Buffer[], done: (err?: Error | null) => void): void {
    if (this.failure) return done(this.failure)
    const fits: Buffer[] = []
    let left = this.room - this.sent
    let over = false
    for (const b of buffers) {
      if (b.length > left) over = true
      if (left === 0) break
      const part = b.length > left ? b.subarray(0, left) : b
      fits.push(part)
      left -= part.length
    }
    if (this.tap) for (const b of fits) this.tap(b)
    if (fits.length > 0) this.send(fits)
    // More than the declared size: what fits is written, then the stream fails.
    if (over) return this.hold(() => this.sent === this.written, () => done(this.failure ?? new TooMuch()))
    this.hold(() => this.sent - this.written <= IN_FLIGHT, () => done(this.failure))
  }

  private send(buffers: Buffer[]): void {
    const bytes = buffers.reduce((sum, b) => sum + b.length, 0)
    this.sent += bytes
    this.job.write(buffers).then(
      () => {
        this.written += bytes
        this.wake()
      },
      (err: Error) => {
        this.failure ??= err
        // Nothing waiting to hear it (the body may send no more): fail the stream now.
        if (this.held) this.wake()
        else this.destroy(err)
      }
    )
  }

  private hold(until: () => boolean, then: () => void): void {
    this.held = { until, then }
    this.wake()
  }

  private wake(): void {
    const held = this.held
    if (!held || !(this.failure || held.until())) return
    this.held = null
    held.then()
  }
}

/** A write in progress, for its caller: valid until writePart resolves. */
export interface PartProgress {
  /** Bytes the part file holds so far (not all of them durable yet). */
  written: () => number
  /** Makes what was written so far durable and answers where it ends. */
  durable: () => Promise<number>
}

/**
 * Appends `source` to the part at `offset`, taking at most `max` bytes.
 * Bytes past `offset` already in the file (written by a node that died
 * before it could record them) are cut off first. The chunks of `source`
 * are moved to the writer thread (their memory is detached): pass a stream
 * whose chunks nothing else holds, such as a request body. When the body
 * fills the part (`offset + max` bytes), the digest of the whole part comes
 * back with it when the thread could give it. What was written is made
 * durable before this resolves. `tap` sees the bytes written, on this thread.
 */
export async function writePart(
  path: string,
  offset: number,
  source: Readable,
  max: number,
  writer: PartWriter,
  watch: (progress: PartProgress) => void = () => undefined,
  tap?: (chunk: Buffer) => void
): Promise<WriteOutcome> {
  const file = await open(path, 'r+')
  let digest: string | null
  let overflow = false
  let cut = false
  let failed: string | null = null
  let written: number
  /** Where the bytes known to be durable end. */
  let durable = offset
  let syncing: Promise<unknown> = Promise.resolve()
  let active = true
  try {
    if ((await file.stat()).size > offset) await file.truncate(offset)
    // The prefix already on disk (after a cut or a restart) is hashed first, while the body comes.
    const job = writer.open(file.fd, offset, max > 0)
    const sink = new PartSink(job, max, tap)
    const sync = (): Promise<number> => {
      if (!active) return Promise.reject(new Error('this write is over'))
      const upTo = offset + sink.written
      const done = syncing.then(() => file.datasync()).then(() => (durable = Math.max(durable, upTo)))
      syncing = done.catch(() => undefined)
      return done
    }
    watch({ written: () => offset + sink.written, durable: sync })
    // A cut connection ends the body early rather than failing the write, so
    // every byte that arrived reaches the disk and a resume re-sends none of it.
    const onCut = (): void => {
      if (source.readableEnded || cut) return
      cut = true
      source.unpipe(sink)
      sink.end()
    }
    source.once('error', onCut)
    source.once('close', onCut)
    source.pipe(sink)
    if (source.destroyed) onCut()
    try {
      await finished(sink)
    } catch (err) {
      if (err instanceof TooMuch) overflow = true
      else if (!cut) failed = (err as Error).message
      source.unpipe(sink)
    } finally {
      source.off('error', onCut)
      source.off('close', onCut)
    }
    // Always ended, so the thread lets go of the descriptor before it is closed.
    digest = await job.end(sink.written === max).catch(() => null)
    written = sink.written
    if (written > 0) {
      await sync().catch((err: Error) => {
        failed ??= err.message
      })
    }
  } finally {
    active = false
    await syncing
    await file.close()
  }
  // Not past the file's end: a chunk the thread failed midway is not counted, and a failed sync leaves the last durable end.
  const size = Math.min((await stat(path)).size, durable, offset + written)
  return { offset: size, overflow, cut, failed, digest: size === offset + max ? digest : null }
}
