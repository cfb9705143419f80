// Streams a request body onto the end of an upload's part file: bounded,
// hashed on the way, never held in memory beyond the streams' buffers.
// Hashing runs inline: with SHA extensions (sha_ni / ARMv8 SHA2) Node's
// SHA-256 runs at well over a gigabyte a second on one core, faster than
// loopback delivers bytes, and a worker thread would cost a copy per chunk
// and a V8 isolate's memory.
import { createWriteStream, fdatasync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { hashPrefix } from '../../src/node/hash-prefix'

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
 * part comes back with it, computed as the bytes pass.
 */
export async function writePart(
  path: string,
  offset: number,
  source: Readable,
  max: number,
  /** Told how to read the bytes on disk so far, while the write runs. */
  watch: (written: () => number) => void = () => undefined
): Promise<WriteOutcome> {
  // The prefix already on disk (after a cut or a restart) is hashed first; the body waits in the socket meanwhile.
  const hash = max > 0 ? await hashPrefix(path, offset) : null
  let seen = 0
  let flushed = 0
  const sink = createWriteStream(path, { flags: 'r+', start: offset, highWaterMark: 1 << 20 })
  watch(() => offset + sink.bytesWritten)
  const meter = new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, done) {
      const room = max - seen
      const take = chunk.length > room ? chunk.subarray(0, room) : chunk
      seen += take.length
      hash?.update(take)
      // WriteStream has its fd at run time; Node's types leave it out.
      const fd = (sink as unknown as { fd: number | null }).fd
      if (seen - flushed >= FLUSH_EVERY && typeof fd === 'number') {
        flushed = seen
        fdatasync(fd, () => undefined)
      }
      if (take.length < chunk.length) {
        this.push(take)
        done(new TooMuch())
      } else done(null, take)
    }
  })
  let cut = false
  // A cut connection ends the body early rather than failing the write, so
  // every byte that arrived reaches the disk and a resume re-sends none of it.
  const onCut = (): void => {
    if (source.readableEnded || cut) return
    cut = true
    source.unpipe(meter)
    meter.end()
  }
  source.once('error', onCut)
  source.once('close', onCut)
  source.pipe(meter)
  // Cut while the prefix was being hashed: no event will come.
  if (source.destroyed) onCut()
  let overflow = false
  try {
    await pipeline(meter, sink)
  } catch (err) {
    if (err instanceof TooMuch) overflow = true
    else cut = true
    source.unpipe(meter)
  } finally {
    source.off('error', onCut)
    source.off('close', onCut)
  }
  const size = (await stat(path)).size
  let digest: string | null = null
  // The hash covers the prefix and every byte passed on; if the disk holds other than that, read it again.
  if (size === offset + max) digest = hash && size === offset + seen ? hash.digest('hex') : await hashFile(path)
  return { offset: size, overflow, cut, digest }
}

/** SHA-256 of a whole file, read from disk. */
export async function hashFile(path: string): Promise<string> {
  return (await hashPrefix(path, Infinity)).digest('hex')
}
