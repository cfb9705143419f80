import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../src/node/fsync'
import type { Logger } from './logger'
import type { SecretRepo } from './store/types'

/** Name of the signing key among the store's shared secrets. */
export const TOKEN_KEY_SECRET = 'jwt-key'

/**
 * The access-token signing key. Where the store keeps secrets for every node
 * (PostgreSQL), it lives there, so a token one node issued is valid on all;
 * the first start moves a key this data directory already had (jwt.key) into
 * it, so people stay signed in. Otherwise: the data directory's jwt.key.
 */
export async function loadTokenSecret(dataDir: string, secrets: SecretRepo | null, log: Logger): Promise<Uint8Array> {
  if (!secrets) return loadOrCreateSecret(dataDir)
  let moved = false
  const { value, created } = await secrets.getOrCreate(TOKEN_KEY_SECRET, async () => {
    const existing = await dataDirTokenKey(dataDir)
    moved = existing !== null
    return (existing ?? randomBytes(32)).toString('base64url')
  })
  if (created && moved) log.info('moved the token signing key from the data directory (jwt.key) into the database: sessions stay signed in')
  const key = Buffer.from(value, 'base64url')
  if (key.length < 32) throw new Error(`the token signing key in the database is ${key.length} bytes; at least 32 are needed`)
  return key
}

/** The access-token signing key, made on first start and kept in the data directory. */
export async function loadOrCreateSecret(dataDir: string): Promise<Uint8Array> {
  const existing = await dataDirTokenKey(dataDir)
  if (existing) return existing
  const key = randomBytes(32)
  await writeFileAtomic(join(dataDir, 'jwt.key'), key.toString('base64url') + '\n', 0o600)
  return key
}

/** The data directory's key (jwt.key), or null when there is none (or it is too short to use). */
export async function dataDirTokenKey(dataDir: string): Promise<Buffer | null> {
  try {
    const key = Buffer.from((await readFile(join(dataDir, 'jwt.key'), 'utf8')).trim(), 'base64url')
    return key.length >= 32 ? key : null
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    return null
  }
}
