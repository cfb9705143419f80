// Files on disk under server-generated ids: `<id>.part` while uploading,
// `<id>` once complete, in one directory every node reaches. Their records
// (what the sender declared), unfinished uploads' progress and who is
// writing them live in the store's FileRepo, whichever engine that is, so
// any node can continue an upload or serve a file. The user's name for a
// file is only ever data, never a path.
import { link, open, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir, mkdirDurable } from '../../src/node/fsync'
import type { Logger } from '../logger'
import type { FileRecord } from '../store/records'
import type { FileRepo, UploadProgress, UploadState } from '../store/types'

export type { FileRecord }

export class FileStore {
  private constructor(
    readonly dir: string,
    private readonly records: FileRepo
  ) {}

  /** An unfinished upload whose progress is not recorded gets it from its part file. */
  static async open(dir: string, records: FileRepo, log: Logger): Promise<FileStore> {
    await mkdirDurable(dir)
    const store = new FileStore(dir, records)
    for (const record of await records.untracked()) {
      try {
        const part = await stat(store.partPath(record.id))
        await records.track(record.id, { offset: part.size, touchedAt: Math.floor(part.mtimeMs) })
      } catch (err) {
        log.warn({ err, upload: record.id }, 'an unfinished upload has no part file; it is forgotten')
        await records.delete(record.id)
      }
    }
    return store
  }

  get(id: string): Promise<FileRecord | undefined> {
    return this.records.get(id)
  }

  /** An unfinished upload's recorded progress (undefined: complete, or gone). */
  upload(id: string): Promise<UploadState | undefined> {
    return this.records.upload(id)
  }

  /** Takes the writer's lease of an unfinished upload (see FileRepo.claim). */
  claim(id: string, lease: string, ttlMs: number): Promise<UploadProgress | 'busy' | undefined> {
    return this.records.claim(id, lease, ttlMs)
  }

  renew(id: string, lease: string, ttlMs: number, progress: UploadProgress): Promise<boolean> {
    return this.records.renew(id, lease, ttlMs, progress)
  }

  release(id: string, lease: string, progress?: UploadProgress): Promise<void> {
    return this.records.release(id, lease, progress)
  }

  /** Unfinished uploads (only `uploaderId`'s, if given) that received no byte since `before` (ms), none being written. */
  idle(before: number, uploaderId?: string): Promise<string[]> {
    return this.records.idle(before, uploaderId)
  }

  /** Bytes a user's files and unfinished uploads take or will take. */
  usage(userId: string): Promise<number> {
    return this.records.usage(userId)
  }

  partPath(id: string): string {
    return join(this.dir, `${id}.part`)
  }

  filePath(id: string): string {
    return join(this.dir, id)
  }

  /** An empty part file, then the record: a record never points at nothing. */
  async create(record: FileRecord, at: number): Promise<void> {
    const handle = await open(this.partPath(record.id), 'wx', 0o600)
    await handle.close()
    await fsyncDir(this.dir)
    await this.records.put(record)
    await this.records.track(record.id, { offset: 0, touchedAt: at })
  }

  /** Makes the part durable, gives it its final name, then marks the record complete. */
  async complete(record: FileRecord, sha256: string): Promise<FileRecord> {
    const handle = await open(this.partPath(record.id), 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(this.partPath(record.id), this.filePath(record.id))
    await fsyncDir(this.dir)
    const done: FileRecord = { ...record, sha256, complete: true, attached: false }
    await this.records.put(done)
    return done
  }

  /**
   * A complete file made by the server itself (a link preview's image) from
   * bytes it holds: written and made durable under its final name, then the
   * record, so a record never points at nothing. Writing the same id again
   * (a retried preview) replaces it.
   */
  async write(record: FileRecord, bytes: Buffer): Promise<void> {
    const handle = await open(this.partPath(record.id), 'w', 0o600)
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(this.partPath(record.id), this.filePath(record.id))
    await fsyncDir(this.dir)
    await this.records.put(record)
  }

  /** Marks files as carried by a message: from now on they stay. */
  attach(ids: string[]): Promise<void> {
    return this.records.attach(ids)
  }

  /**
   * Issue 20 (forwarding): a complete file under a second id, sharing its
   * bytes through a hard link: no byte is copied, and deleting either name
   * (retention, a conversation's deletion) leaves the other whole. Linking
   * again to an id that exists (a retried forward) keeps it. The link is
   * durable before the record, so a record never points at nothing.
   */
  async share(source: FileRecord, copy: FileRecord): Promise<void> {
    await link(this.filePath(source.id), this.filePath(copy.id)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err
    })
    await fsyncDir(this.dir)
    await this.records.put(copy)
  }

  /** Forgets an upload or file and its bytes. */
  async remove(id: string): Promise<void> {
    const record = await this.records.get(id)
    if (!record) return
    await this.records.delete(id)
    await this.unlink(record.complete ? this.filePath(id) : this.partPath(id))
  }

  /** Forgets an unfinished upload if it is still idle since `before` and nobody writes it (a check and delete in one); true if it did. */
  async removeIdle(id: string, before: number): Promise<boolean> {
    if (!(await this.records.deleteIdle(id, before))) return false
    await this.unlink(this.partPath(id))
    return true
  }

  private async unlink(path: string): Promise<void> {
    await unlink(path).catch(ignoreMissing)
    await fsyncDir(this.dir)
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}
