import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { silentLogger } from '../../../src/main/core/logger'
import { safeSecretStorage, type SafeStorageLike } from '../../../src/main/core/safe-secret-storage'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'safe-secrets-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A stand-in for Electron's safeStorage: reversible, but visibly not the plain text. */
function fakeSafe(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
    decryptString: (b) => Buffer.from(b.toString().slice(4), 'hex').toString(),
    getSelectedStorageBackend: () => backend
  }
}

test('with a keyring, sign-ins are kept encrypted in a 0600 file', async () => {
  const storage = await safeSecretStorage(fakeSafe('gnome_libsecret'), dir, 'linux', silentLogger)
  expect(storage.status()).toEqual({ secure: true, backend: 'gnome_libsecret', allowPlaintext: false, persistent: true })
  await storage.store().set('refresh:a', 'secret-token')
  expect(await storage.store().get('refresh:a')).toBe('secret-token')
  const file = join(dir, 'secrets.enc.json')
  expect(await readFile(file, 'utf8')).not.toContain('secret-token')
  expect((await stat(file)).mode & 0o777).toBe(0o600)
})

test('Linux basic_text is refused: kept for this run only until the user opts in', async () => {
  const storage = await safeSecretStorage(fakeSafe('basic_text'), dir, 'linux', silentLogger)
  expect(storage.status()).toMatchObject({ secure: false, backend: 'basic_text', allowPlaintext: false, persistent: false })
  await storage.store().set('refresh:a', 'token-1')
  expect(await storage.store().get('refresh:a')).toBe('token-1')
  const reopened = await safeSecretStorage(fakeSafe('basic_text'), dir, 'linux', silentLogger)
  expect(await reopened.store().get('refresh:a')).toBeNull()

  expect(await reopened.allowPlaintext(true)).toMatchObject({ secure: false, allowPlaintext: true, persistent: true })
  await reopened.store().set('refresh:a', 'token-2')
  const third = await safeSecretStorage(fakeSafe('basic_text'), dir, 'linux', silentLogger)
  expect(third.status().allowPlaintext).toBe(true)
  expect(await third.store().get('refresh:a')).toBe('token-2')
})

test('macOS and Windows use the OS store when encryption is available', async () => {
  expect((await safeSecretStorage(fakeSafe(''), dir, 'darwin', silentLogger)).status()).toMatchObject({ secure: true, backend: 'keychain' })
  expect((await safeSecretStorage(fakeSafe(''), dir, 'win32', silentLogger)).status()).toMatchObject({ secure: true, backend: 'dpapi' })
  expect((await safeSecretStorage(fakeSafe('', false), dir, 'win32', silentLogger)).status()).toMatchObject({ secure: false, persistent: false })
})
