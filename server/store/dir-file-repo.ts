// File records of the data-directory engine: `<id>.json` beside the bytes in
// files/, each written atomically, all read into memory at start (one per
// file, small). Unfinished uploads' progress and leases live in memory only:
// one process owns the directory, and at start FileStore reads the progress
// from the part files.
import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir, mkdirDurable, writeFileAtomic } from '../../src/node/fsync'
import type { Logger } from '../logger'
import type { FileRecord } from './records'
import type { FileRepo, UploadProgress, UploadState } from './types'

const RECORD_FILE = /^([0-9a-f-]{36})\.json$/

interface Upload extends UploadProgress {
  lease: string | null
  /** When the lease expires (Date.now() ms). */
  leaseUntil: number
}

const live = (upload: Upload): boolean => upload.lease !== null && upload.leaseUntil > Date.now()

export class DirFileRepo implements FileRepo {
  private readonly records = new Map<string, FileRecord>()
  private readonly uploads = new Map<string, Upload>()

  private constructor(private readonly dir: string) {}

  static async open(dir: string, log: Logger): Promise<DirFileRepo> {
    await mkdirDurable(dir)
    const repo = new DirFileRepo(dir)
    for (const entry of await readdir(dir)) {
      const id = RECORD_FILE.exec(entry)?.[1]
      if (!id) continue
      try {
        repo.records.set(id, JSON.parse(await readFile(join(dir, entry), 'utf8')) as FileRecord)
      } catch (err) {
        log.warn({ err, file: entry }, 'skipped an unreadable file record')
      }
    }
    return repo
  }

  async get(id: string): Promise<FileRecord | undefined> {
    return this.records.get(id)
  }

  async incomplete(): Promise<FileRecord[]> {
    return [...this.records.values()].filter((r) => !r.complete)
  }

  async untracked(): Promise<FileRecord[]> {
    return [...this.records.values()].filter((r) => !r.complete && !this.uploads.has(r.id))
  }

  async usage(userId: string): Promise<number> {
    let total = 0
    for (const record of this.records.values()) if (record.uploaderId === userId) total += record.size
    return total
  }

  async put(record: FileRecord): Promise<void> {
    this.records.set(record.id, record)
    if (record.complete) this.uploads.delete(record.id)
    await writeFileAtomic(join(this.dir, `${record.id}.json`), JSON.stringify(record))
  }

  /** In memory at once, then on disk. */
  async attach(ids: readonly string[]): Promise<void> {
    const fresh = ids.map((id) => this.records.get(id)).filter((r): r is FileRecord => r?.attached === false)
    for (const record of fresh) this.records.set(record.id, { ...record, attached: true })
    await Promise.all(fresh.map((record) => writeFileAtomic(join(this.dir, `${record.id}.json`), JSON.stringify({ ...record, attached: true }))))
  }

  async delete(id: string): Promise<void> {
    this.uploads.delete(id)
    if (!this.records.delete(id)) return
    await unlink(join(this.dir, `${id}.json`)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    })
    await fsyncDir(this.dir)
  }

  async track(id: string, progress: UploadProgress): Promise<void> {
    const record = this.records.get(id)
    if (!record || record.complete || this.uploads.has(id)) return
    this.uploads.set(id, { offset: progress.offset, touchedAt: progress.touchedAt, lease: null, leaseUntil: 0 })
  }

  async upload(id: string): Promise<UploadState | undefined> {
    const upload = this.uploads.get(id)
    return upload && { offset: upload.offset, touchedAt: upload.touchedAt, writing: live(upload) }
  }

  async claim(id: string, lease: string, ttlMs: number): Promise<UploadProgress | 'busy' | undefined> {
    const upload = this.uploads.get(id)
    if (!upload) return undefined
    if (live(upload)) return 'busy'
    upload.lease = lease
    upload.leaseUntil = Date.now() + ttlMs
    return { offset: upload.offset, touchedAt: upload.touchedAt }
  }

  async renew(id: string, lease: string, ttlMs: number, progress: UploadProgress): Promise<boolean> {
    const upload = this.uploads.get(id)
    if (upload?.lease !== lease) return false
    upload.leaseUntil = Date.now() + ttlMs
    upload.offset = progress.offset
    upload.touchedAt = progress.touchedAt
    return true
  }

  async release(id: string, lease: string, progress?: UploadProgress): Promise<void> {
    const upload = this.uploads.get(id)
    if (upload?.lease !== lease) return
    upload.lease = null
    upload.leaseUntil = 0
    if (progress) {
      upload.offset = progress.offset
      upload.touchedAt = progress.touchedAt
    }
  }

  async idle(before: number, uploaderId?: string): Promise<string[]> {
    return [...this.uploads]
      .filter(([id, upload]) => upload.touchedAt < before && !live(upload) && (uploaderId === undefined || this.records.get(id)?.uploaderId === uploaderId))
      .map(([id]) => id)
  }

  async deleteIdle(id: string, before: number): Promise<boolean> {
    const upload = this.uploads.get(id)
    if (!upload || upload.touchedAt >= before || live(upload)) return false
    await this.delete(id)
    return true
  }
}
