// Where the refresh token rests between launches. Electron keeps it with
// safeStorage (src/main/electron/secret-store.ts); the Node host keeps it in a
// file only the user can read. The access token never leaves memory.
import { readFile, unlink } from 'node:fs/promises'
import type { SecretStorageStatus } from '../../shared/ipc'
import { writeFileAtomic } from '../../node/fsync'

export interface SecretStore {
  /** Encrypted by the OS, or protected only by file permissions. */
  readonly secure: boolean
  readonly backend: string
  /** Secrets survive a restart (false when the store refused to keep them). */
  readonly persistent: boolean
  get(key: string): Promise<string | null>
  set(key: string, value: string): Promise<void>
  delete(key: string): Promise<void>
}

/** A JSON file with mode 0600, for the Node host (and Electron when the user opts in). */
export class FileSecretStore implements SecretStore {
  readonly secure = false
  readonly persistent = true
  private chain: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly path: string,
    readonly backend = 'file'
  ) {}

  async get(key: string): Promise<string | null> {
    return (await this.readAll())[key] ?? null
  }

  set(key: string, value: string): Promise<void> {
    return this.update((all) => {
      all[key] = value
    })
  }

  delete(key: string): Promise<void> {
    return this.update((all) => {
      delete all[key]
    })
  }

  /** Updates run one at a time so two changes never overwrite each other. */
  private update(change: (all: Record<string, string>) => void): Promise<void> {
    const run = this.chain.then(async () => {
      const all = await this.readAll()
      change(all)
      if (Object.keys(all).length === 0) await unlink(this.path).catch(() => undefined)
      else await writeFileAtomic(this.path, JSON.stringify(all), 0o600)
    })
    this.chain = run.catch(() => undefined)
    return run
  }

  private async readAll(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as unknown
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {}
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw err
    }
  }
}

/** Keeps secrets for this run only: used when the OS offers no safe storage and the user has not opted in. */
export class MemorySecretStore implements SecretStore {
  readonly secure = false
  readonly persistent = false
  private readonly values = new Map<string, string>()

  constructor(readonly backend = 'memory') {}

  get(key: string): Promise<string | null> {
    return Promise.resolve(this.values.get(key) ?? null)
  }

  set(key: string, value: string): Promise<void> {
    this.values.set(key, value)
    return Promise.resolve()
  }

  delete(key: string): Promise<void> {
    this.values.delete(key)
    return Promise.resolve()
  }
}

/** The store in use and how safe it is; Electron swaps stores when the user opts in to plaintext. */
export interface SecretStorage {
  store(): SecretStore
  status(): SecretStorageStatus
  allowPlaintext(allow: boolean): Promise<SecretStorageStatus>
}

/** The Node host's storage: a 0600 file in the user-data directory. */
export function fileSecretStorage(path: string): SecretStorage {
  const store = new FileSecretStore(path)
  const status = (): SecretStorageStatus => ({ secure: false, backend: 'file', allowPlaintext: true, persistent: true })
  return { store: () => store, status, allowPlaintext: () => Promise.resolve(status()) }
}
