// File records of the data-directory engine: `<id>.json` beside the bytes in
// files/, each written atomically, all read into memory at start (one per
// file, small).
import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir, mkdirDurable, writeFileAtomic } from '../../src/node/fsync'
import type { Logger } from '../logger'
import type { FileRecord } from './records'
import type { FileRepo } from './types'

const RECORD_FILE = /^([0-9a-f-]{36})\.json$/

export class DirFileRepo implements FileRepo {
  private readonly records = new Map<string, FileRecord>()

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

  async usage(userId: string): Promise<number> {
    let total = 0
    for (const record of this.records.values()) if (record.uploaderId === userId) total += record.size
    return total
  }

  async put(record: FileRecord): Promise<void> {
    this.records.set(record.id, record)
    await writeFileAtomic(join(this.dir, `${record.id}.json`), JSON.stringify(record))
  }

  /** In memory at once, then on disk. */
  async attach(ids: readonly string[]): Promise<void> {
    const fresh = ids.map((id) => this.records.get(id)).filter((r): r is FileRecord => r?.attached === false)
    for (const record of fresh) this.records.set(record.id, { ...record, attached: true })
    await Promise.all(fresh.map((record) => writeFileAtomic(join(this.dir, `${record.id}.json`), JSON.stringify({ ...record, attached: true }))))
  }

  async delete(id: string): Promise<void> {
    if (!this.records.delete(id)) return
    await unlink(join(this.dir, `${id}.json`)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    })
    await fsyncDir(this.dir)
  }
}
