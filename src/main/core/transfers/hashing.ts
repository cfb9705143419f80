// The SHA-256 both directions keep of a transfer: after the bytes already
// there (src/node/hash-prefix.ts), every byte as it passes, with the running
// count reported as progress.
import type { Hash } from 'node:crypto'
import { Transform } from 'node:stream'

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
