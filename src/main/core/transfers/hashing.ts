// The SHA-256 both directions keep of a transfer: the bytes already there
// (a resumed upload's sent part, a resumed download's part file), then every
// byte as it passes, with the running count reported as progress.
import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** The digest of the first `bytes` bytes of a file, to be continued. */
export async function hashPrefix(path: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256')
  if (bytes > 0) {
    await pipeline(createReadStream(path, { start: 0, end: bytes - 1, highWaterMark: 1 << 20 }), async function (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) hash.update(chunk)
    })
  }
  return hash
}

/** A pass-through that adds each chunk to `hash` and reports the bytes so far, counting from `start`. */
export function hashingMeter(hash: Hash, start: number, progress: (bytes: number) => void): Transform & { readonly bytes: number } {
  let bytes = start
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      bytes += chunk.length
      progress(bytes)
      done(null, chunk)
    }
  })
  return Object.defineProperty(meter, 'bytes', { get: () => bytes }) as Transform & { readonly bytes: number }
}
