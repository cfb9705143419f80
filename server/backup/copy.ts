// Moving one file's bytes into a backup, or back out: read once, hashed on the
// way, written to a new file and fsynced, so the hash is of exactly what was
// written and a crash never leaves a file that looks whole but is not.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, readFile, type FileHandle } from 'node:fs/promises'

const CHUNK = 1024 * 1024

export interface Copied {
  size: number
  sha256: string
}

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT'
}

/**
 * Copies `from` to the new file `to` as `from` is while it is read: an
 * append-only log may grow meanwhile, and what was read is what is hashed.
 * One open handle reads one inode, so a file replaced by rename meanwhile is
 * copied whole, old or new. Null when `from` is gone (deleted meanwhile).
 */
export async function copyHashed(from: string, to: string): Promise<Copied | null> {
  let source: FileHandle
  try {
    source = await open(from, 'r')
  } catch (err) {
    if (isMissing(err)) return null
    throw err
  }
  try {
    const target = await open(to, 'wx', 0o600)
    try {
      const hash = createHash('sha256')
      const buf = Buffer.allocUnsafe(CHUNK)
      let size = 0
      for (;;) {
        const { bytesRead } = await source.read(buf, 0, CHUNK, size)
        if (bytesRead === 0) break
        const chunk = buf.subarray(0, bytesRead)
        hash.update(chunk)
        await target.write(chunk, 0, bytesRead, size)
        size += bytesRead
      }
      await target.sync()
      return { size, sha256: hash.digest('hex') }
    } finally {
      await target.close()
    }
  } finally {
    await source.close()
  }
}

/** Writes bytes already read to the new file `to`, fsynced. */
export async function writeHashed(to: string, bytes: Uint8Array): Promise<Copied> {
  const target = await open(to, 'wx', 0o600)
  try {
    await target.writeFile(bytes)
    await target.sync()
  } finally {
    await target.close()
  }
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }
}

/** Reads a whole file, null if it does not exist. */
export async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path)
  } catch (err) {
    if (isMissing(err)) return null
    throw err
  }
}

/** The size and SHA-256 of a file, null if it does not exist. */
export async function hashFile(path: string): Promise<Copied | null> {
  const hash = createHash('sha256')
  let size = 0
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk)
      size += chunk.length
    }
  } catch (err) {
    if (isMissing(err)) return null
    throw err
  }
  return { size, sha256: hash.digest('hex') }
}
