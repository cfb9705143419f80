// Streams a request body onto the end of an upload's part file: bounded,
// hashed on the way, never held in memory beyond the stream's buffers.
import { createHash, type Hash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** A running SHA-256 of a part file's first `bytes` bytes, kept between requests. */
export interface PartHash {
  hash: Hash
  bytes: number
}

export interface WriteOutcome {
  /** Bytes the part file holds now, whatever happened. */
  offset: number
  /** The sender sent more than the rest of the declared size. */
  overflow: boolean
  /** The body was cut short (the connection broke); what arrived is kept. */
  cut: boolean
}

class TooMuch extends Error {}

/**
 * Appends `source` to the part at `offset`, taking at most `max` bytes. The
 * hash follows exactly the bytes that reached the disk; when a failure leaves
 * it unsure, it is dropped (returned null) and rebuilt from the file later.
 */
export async function writePart(
  path: string,
  offset: number,
  source: Readable,
  max: number,
  hash: PartHash | null,
  /** Told how to read the bytes on disk so far, while the write runs. */
  watch: (written: () => number) => void = () => undefined
): Promise<{ outcome: WriteOutcome; hash: PartHash | null }> {
  let seen = 0
  const running = hash && hash.bytes === offset ? hash : null
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const room = max - seen
      const take = chunk.length > room ? chunk.subarray(0, room) : chunk
      seen += take.length
      running?.hash.update(take)
      if (running) running.bytes += take.length
      if (take.length < chunk.length) {
        this.push(take)
        done(new TooMuch())
        return
      }
      done(null, take)
    }
  })
  const sink = createWriteStream(path, { flags: 'r+', start: offset, highWaterMark: 1 << 20 })
  watch(() => offset + sink.bytesWritten)
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
  // Bytes the disk holds past the offset: a failed write may have dropped buffered ones.
  const kept = running && running.bytes === size ? running : null
  return { outcome: { offset: size, overflow, cut }, hash: kept }
}

/** SHA-256 of a whole file, read from disk (after a restart, or when the running hash was lost). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash)
  return hash.digest('hex')
}

export function newPartHash(): PartHash {
  return { hash: createHash('sha256'), bytes: 0 }
}
