// Streams a request body onto the end of an upload's part file: bounded,
// never held in memory beyond one stream buffer. The SHA-256 is computed
// beside it, on the hash thread (tail-hasher.ts), from what reached the disk.
import { fdatasync, writev } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { Writable, type Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import type { TailHash, TailHasher } from './tail-hasher'

export interface WriteOutcome {
  /** Bytes the part file holds now, whatever happened. */
  offset: number
  /** The sender sent more than the rest of the declared size. */
  overflow: boolean
  /** The body was cut short (the connection broke); what arrived is kept. */
  cut: boolean
  /** SHA-256 of the whole part when this request completed it and the hash thread gave it (else null: hash the file). */
  digest: string | null
}

class TooMuch extends Error {}

/** Flushing to disk as the bytes come keeps the fsync at completion short. */
const FLUSH_EVERY = 64 * 1024 * 1024

/**
 * Writes what it is given at `position` onward, at most `room` bytes: a
 * chunk past that is cut there and the stream fails with TooMuch. One
 * writev per batch of queued chunks; `onWritten` hears the bytes on disk.
 */
class PartSink extends Writable {
  /** Bytes this sink has put on disk. */
  written = 0
  /** The last flush: awaited before the file is closed, so it never runs on a closed (or reused) descriptor. */
  flushing: Promise<void> = Promise.resolve()
  private flushed = 0

  constructor(
    private readonly fd: number,
    private readonly position: number,
    private readonly room: number,
    private readonly onWritten: (written: number) => void
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

  private put(buffers: Buffer[], done: (err?: Error | null) => void): void {
    const room = this.room - this.written
    if (buffers.reduce((sum, b) => sum + b.length, 0) <= room) return this.writeAll(buffers, done)
    // More than the declared size: keep what fits, then fail.
    const fits: Buffer[] = []
    let left = room
    for (const b of buffers) {
      if (left === 0) break
      const part = b.length > left ? b.subarray(0, left) : b
      fits.push(part)
      left -= part.length
    }
    this.writeAll(fits, (err) => done(err ?? new TooMuch()))
  }

  /** writev until every byte is down: a regular file may take fewer than asked. */
  private writeAll(buffers: Buffer[], done: (err: Error | null) => void): void {
    if (buffers.length === 0) return done(null)
    writev(this.fd, buffers, this.position + this.written, (err, n) => {
      if (err) return done(err)
      this.written += n
      this.onWritten(this.written)
      if (this.written - this.flushed >= FLUSH_EVERY) {
        this.flushed = this.written
        this.flushing = new Promise((settled) => fdatasync(this.fd, () => settled()))
      }
      const rest: Buffer[] = []
      for (const b of buffers) {
        if (n >= b.length) n -= b.length
        else {
          rest.push(b.subarray(n))
          n = 0
        }
      }
      this.writeAll(rest, done)
    })
  }
}

/**
 * Appends `source` to the part at `offset`, taking at most `max` bytes.
 * When that fills the part (`offset + max` bytes), the digest of the whole
 * part comes back with it when the hash thread could give it.
 */
export async function writePart(
  path: string,
  offset: number,
  source: Readable,
  max: number,
  /** Told how to read the bytes on disk so far, while the write runs. */
  watch: (written: () => number) => void = () => undefined,
  hasher: TailHasher | null = null
): Promise<WriteOutcome> {
  // The prefix already on disk (after a cut or a restart) is hashed first, on the thread, while the body comes.
  let tail: TailHash | null = null
  if (hasher && max > 0) {
    try {
      tail = hasher.follow(path, offset)
    } catch {
      tail = null // No thread (it could not start): the file is hashed at completion instead.
    }
  }
  const file = await open(path, 'r+')
  const sink = new PartSink(file.fd, offset, max, (written) => tail?.advance(offset + written))
  watch(() => offset + sink.written)
  let cut = false
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
  let overflow = false
  try {
    await finished(sink)
  } catch (err) {
    if (err instanceof TooMuch) overflow = true
    else cut = true
    source.unpipe(sink)
  } finally {
    source.off('error', onCut)
    source.off('close', onCut)
    await sink.flushing
    await file.close()
  }
  const size = (await stat(path)).size
  let digest: string | null = null
  if (size === offset + max && tail) digest = await tail.digest(size).catch(() => null)
  else tail?.drop()
  return { offset: size, overflow, cut, digest }
}
