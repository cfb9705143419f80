// Streams a request body onto the end of an upload's part file: bounded,
// hashed on the way (on another thread), never held in memory beyond the
// streams' buffers.
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream, fdatasync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { HashWorker } from './hash-worker'

export interface WriteOutcome {
  /** Bytes the part file holds now, whatever happened. */
  offset: number
  /** The sender sent more than the rest of the declared size. */
  overflow: boolean
  /** The body was cut short (the connection broke); what arrived is kept. */
  cut: boolean
  /** SHA-256 of the whole part when this request completed it (else null). */
  digest: string | null
}

class TooMuch extends Error {}

/** Flushing to disk as the bytes come keeps the fsync at completion short. */
const FLUSH_EVERY = 64 * 1024 * 1024

/**
 * Appends `source` to the part at `offset`, taking at most `max` bytes.
 * When that fills the part (`offset + max` bytes), the digest of the whole
 * part comes back with it, computed beside the transfer.
 */
export async function writePart(
  path: string,
  offset: number,
  source: Readable,
  max: number,
  /** Told how to read the bytes on disk so far, while the write runs. */
  watch: (written: () => number) => void = () => undefined
): Promise<WriteOutcome> {
  const hasher = max > 0 ? new HashWorker(path, offset) : null
  let seen = 0
  let flushed = 0
  const sink = createWriteStream(path, { flags: 'r+', start: offset, highWaterMark: 1 << 20 })
  watch(() => offset + sink.bytesWritten)
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const room = max - seen
      const take = chunk.length > room ? chunk.subarray(0, room) : chunk
      seen += take.length
      // WriteStream has its fd at run time; Node's types leave it out.
      const fd = (sink as unknown as { fd: number | null }).fd
      if (seen - flushed >= FLUSH_EVERY && typeof fd === 'number') {
        flushed = seen
        fdatasync(fd, () => undefined)
      }
      const pass = (): void => {
        if (take.length < chunk.length) {
          this.push(take)
          done(new TooMuch())
        } else done(null, take)
      }
      if (!hasher || take.length === 0) return pass()
      hasher.update(take).then(pass, (err: Error) => done(err))
    }
  })
  let overflow = false
  let cut = false
  // A cut connection ends the body early rather than failing the write, so
  // every byte that arrived reaches the disk and a resume re-sends none of it.
  async function* untilCut(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of source) yield chunk as Buffer
    } catch {
      cut = true
    }
  }
  try {
    await pipeline(untilCut, meter, sink)
  } catch (err) {
    if (err instanceof TooMuch) overflow = true
    else cut = true
  }
  const size = (await stat(path)).size
  let digest: string | null = null
  if (hasher) {
    // The worker hashed the prefix and every byte passed on; if the disk holds other than that, read it again.
    if (size === offset + max && size === offset + seen) digest = await hasher.finish().catch(() => null)
    else hasher.stop()
  }
  if (size === offset + max && digest === null) digest = await hashFile(path)
  return { offset: size, overflow, cut, digest }
}

/** SHA-256 of a whole file, read from disk. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash)
  return hash.digest('hex')
}
