import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../src/node/fsync'

/** The access-token signing key, made on first start and kept in the data directory. */
export async function loadOrCreateSecret(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, 'jwt.key')
  try {
    const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url')
    if (key.length >= 32) return key
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const key = randomBytes(32)
  await writeFileAtomic(path, key.toString('base64url') + '\n', 0o600)
  return key
}
