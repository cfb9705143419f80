// Files on disk under server-generated ids: `<id>.part` while uploading,
// `<id>` once complete, and `<id>.json` beside it with what the sender
// declared. The user's name for a file is only ever data, never a path.
import { open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir, mkdirDurable, writeFileAtomic } from '../../src/node/fsync'
import type { Logger } from '../logger'
import type { FileRecord } from '../store/records'

export type { FileRecord }

const ID_FILE = /^([0-9a-f-]{36})\.json$/

export class FileStore {
  private readonly records = new Map<string, FileRecord>()
  /** Bytes on disk of each incomplete upload: the offset to continue from. */
  private readonly offsets = new Map<string, number>()
  /** When each incomplete upload last received a byte (or was created), in ms. */
  private readonly touched = new Map<string, number>()

  private constructor(readonly dir: string) {}

  /** Reads every record; an upload's offset is what its part file holds. */
  static async open(dir: string, log: Logger): Promise<FileStore> {
    await mkdirDurable(dir)
    const store = new FileStore(dir)
    for (const entry of await readdir(dir)) {
      const id = ID_FILE.exec(entry)?.[1]
      if (!id) continue
      try {
        const record = JSON.parse(await readFile(join(dir, entry), 'utf8')) as FileRecord
        store.records.set(id, record)
        if (!record.complete) {
          const part = await stat(store.partPath(id))
          store.offsets.set(id, part.size)
          store.touched.set(id, part.mtimeMs)
        }
      } catch (err) {
        log.warn({ err, file: entry }, 'skipped an unreadable file record')
      }
    }
    return store
  }

  get(id: string): FileRecord | undefined {
    return this.records.get(id)
  }

  offset(id: string): number {
    const record = this.records.get(id)
    if (!record) return 0
    return record.complete ? record.size : (this.offsets.get(id) ?? 0)
  }

  setOffset(id: string, offset: number, at: number): void {
    this.offsets.set(id, offset)
    this.touched.set(id, at)
  }

  /** When bytes last came for an unfinished upload (its creation before any). */
  touchedAt(id: string): number | undefined {
    return this.touched.get(id)
  }

  /** Incomplete uploads that received no byte since `before` (ms). */
  idleSince(before: number): FileRecord[] {
    return [...this.touched].filter(([, at]) => at < before).map(([id]) => this.records.get(id)!)
  }

  /** Whether an incomplete upload still received no byte since `before` (ms). */
  isIdle(id: string, before: number): boolean {
    const at = this.touched.get(id)
    return at !== undefined && at < before
  }

  /** Bytes a user's files and unfinished uploads take or will take. */
  usage(userId: string): number {
    let total = 0
    for (const record of this.records.values()) if (record.uploaderId === userId) total += record.size
    return total
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
    await this.writeRecord(record)
    this.records.set(record.id, record)
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
    const done: FileRecord = { ...record, sha256, complete: true, attached: false }
    await this.writeRecord(done)
    this.records.set(record.id, done)
    this.offsets.delete(record.id)
    this.touched.delete(record.id)
    return done
  }

  /** Marks files as carried by a message: from now on they stay. In memory at once, then on disk. */
  async attach(ids: string[]): Promise<void> {
    const fresh = ids.map((id) => this.records.get(id)).filter((r): r is FileRecord => r?.attached === false)
    for (const record of fresh) this.records.set(record.id, { ...record, attached: true })
    await Promise.all(fresh.map((record) => this.writeRecord({ ...record, attached: true })))
  }

  /** Forgets an upload or file and its bytes. */
  async remove(id: string): Promise<void> {
    const record = this.records.get(id)
    if (!record) return
    this.records.delete(id)
    this.offsets.delete(id)
    this.touched.delete(id)
    await unlink(join(this.dir, `${id}.json`)).catch(ignoreMissing)
    await unlink(record.complete ? this.filePath(id) : this.partPath(id)).catch(ignoreMissing)
    await fsyncDir(this.dir)
  }

  private writeRecord(record: FileRecord): Promise<void> {
    return writeFileAtomic(join(this.dir, `${record.id}.json`), JSON.stringify(record))
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}
