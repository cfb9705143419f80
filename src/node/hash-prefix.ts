// SHA-256 of what a file holds: its first bytes, to be continued with the
// bytes that follow (a resumed upload or download in the client core), or all
// of it (the server's digest when its writer thread could not give one).
import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/** A hash fed with the first `bytes` bytes of a file (all of it for Infinity). */
export async function hashPrefix(path: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256')
  if (bytes <= 0) return hash
  const file = createReadStream(path, { highWaterMark: 1 << 20, ...(Number.isFinite(bytes) ? { end: bytes - 1 } : {}) })
  for await (const chunk of file) hash.update(chunk as Buffer)
  return hash
}

/** SHA-256 of a whole file, read from disk (hex). */
export async function hashFile(path: string): Promise<string> {
  return (await hashPrefix(path, Infinity)).digest('hex')
}
