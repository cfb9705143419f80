// Secret storage for the Electron app, on top of Electron's safeStorage
// (passed in, so this runs and is tested without Electron). Where the OS
// offers no real encryption (Linux `basic_text`: no keyring) the sign-in is
// kept for this run only, unless the user opts in to a plain 0600 file.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SecretStorageStatus } from '../../shared/ipc'
import { writeFileAtomic } from '../../node/fsync'
import type { Logger } from './logger'
import { FileSecretStore, MemorySecretStore, type SecretStorage, type SecretStore } from './secret-store'

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plain: string): Buffer
  decryptString(encrypted: Buffer): string
  /** Linux only. */
  getSelectedStorageBackend?(): string
}

/** Values encrypted by the OS, kept base64 in a 0600 file. */
class EncryptedSecretStore implements SecretStore {
  readonly secure = true
  readonly persistent = true

  constructor(
    private readonly file: FileSecretStore,
    private readonly safe: SafeStorageLike,
    readonly backend: string
  ) {}

  async get(key: string): Promise<string | null> {
    const value = await this.file.get(key)
    if (value === null) return null
    try {
      return this.safe.decryptString(Buffer.from(value, 'base64'))
    } catch {
      // Encrypted under another OS user or a reset keyring: as good as absent.
      return null
    }
  }

  set(key: string, value: string): Promise<void> {
    return this.file.set(key, this.safe.encryptString(value).toString('base64'))
  }

  delete(key: string): Promise<void> {
    return this.file.delete(key)
  }
}

export async function safeSecretStorage(
  safe: SafeStorageLike,
  userDataDir: string,
  platform: NodeJS.Platform,
  log: Logger
): Promise<SecretStorage> {
  const settingsPath = join(userDataDir, 'secret-storage.json')
  let allowPlaintext = await readAllow(settingsPath)
  const backend =
    platform === 'linux' ? (safe.getSelectedStorageBackend?.() ?? 'unknown') : platform === 'darwin' ? 'keychain' : 'dpapi'
  const secure = safe.isEncryptionAvailable() && backend !== 'basic_text' && backend !== 'unknown'
  const encrypted = secure ? new EncryptedSecretStore(new FileSecretStore(join(userDataDir, 'secrets.enc.json')), safe, backend) : null
  const plain = new FileSecretStore(join(userDataDir, 'secrets.plain.json'), 'plaintext-file')
  const memory = new MemorySecretStore()
  if (!secure) {
    log.warn(
      allowPlaintext
        ? 'no OS keyring: sign-ins are kept in a plain file readable only by this user, as the user chose'
        : 'no OS keyring (safeStorage backend is basic_text): sign-ins are not kept between launches unless the user allows a plain file'
    )
  }
  const store = (): SecretStore => encrypted ?? (allowPlaintext ? plain : memory)
  const status = (): SecretStorageStatus => ({ secure, backend, allowPlaintext, persistent: store().persistent })
  return {
    store,
    status,
    async allowPlaintext(allow) {
      allowPlaintext = allow
      await writeFileAtomic(settingsPath, JSON.stringify({ allowPlaintext: allow }))
      return status()
    }
  }
}

async function readAllow(path: string): Promise<boolean> {
  try {
    return (JSON.parse(await readFile(path, 'utf8')) as { allowPlaintext?: unknown }).allowPlaintext === true
  } catch {
    return false
  }
}
