// Files on disk under server-generated ids: `<id>.part` while uploading,
// `<id>` once complete. Their records (what the sender declared) live in the
// store's FileRepo, whichever engine that is. The user's name for a file is
// only ever data, never a path.
import { open, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir, mkdirDurable } from '../../src/node/fsync'
import type { Logger } from '../logger'
import type { FileRecord } from '../store/records'
import type { FileRepo } from '../store/types'

export type { FileRecord }

export class FileStore {
  /** Bytes on disk of each incomplete upload: the offset to continue from. */
  private readonly offsets = new Map<string, number>()
  /** When each incomplete upload last received a byte (or was created), in ms. */
  private readonly touched = new Map<string, number>()

  private constructor(
    readonly dir: string,
    private readonly records: FileRepo
  ) {}

  /** An unfinished upload's offset is what its part file holds. */
  static async open(dir: string, records: FileRepo, log: Logger): Promise<FileStore> {
    await mkdirDurable(dir)
    const store = new FileStore(dir, records)
    for (const record of await records.incomplete()) {
      try {
        const part = await stat(store.partPath(record.id))
        store.offsets.set(record.id, part.size)
        store.touched.set(record.id, part.mtimeMs)
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

  offset(record: FileRecord): number {
    return record.complete ? record.size : (this.offsets.get(record.id) ?? 0)
  }

  setOffset(id: string, offset: number, at: number): void {
    this.offsets.set(id, offset)
    this.touched.set(id, at)
  }

  /** When bytes last came for an unfinished upload (its creation before any). */
  touchedAt(id: string): number | undefined {
    return this.touched.get(id)
  }

  /** Ids of incomplete uploads that received no byte since `before` (ms). */
  idleSince(before: number): string[] {
    return [...this.touched].filter(([, at]) => at < before).map(([id]) => id)
  }

  /** Whether an incomplete upload still received no byte since `before` (ms). */
  isIdle(id: string, before: number): boolean {
    const at = this.touched.get(id)
    return at !== undefined && at < before
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
    await this.records.put(record)
    this.offsets.set(record.id, 0)
    this.touched.set(record.id, at)
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
    this.offsets.delete(record.id)
    this.touched.delete(record.id)
    return done
  }

  /** Marks files as carried by a message: from now on they stay. */
  attach(ids: string[]): Promise<void> {
    return this.records.attach(ids)
  }

  /** Forgets an upload or file and its bytes. */
  async remove(id: string): Promise<void> {
    const record = await this.records.get(id)
    this.offsets.delete(id)
    this.touched.delete(id)
    if (!record) return
    await this.records.delete(id)
    await unlink(record.complete ? this.filePath(id) : this.partPath(id)).catch(ignoreMissing)
    await fsyncDir(this.dir)
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}
