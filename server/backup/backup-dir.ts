// A backup being written: files go into a hidden temporary directory beside
// the target and are listed with their sizes and hashes; `seal` writes the
// manifest last, fsyncs it and every directory, then renames the whole into
// place. A backup cut short (error, kill -9, power cut) is never found under
// the target's name.
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { BACKUP_FORMAT_VERSION, type BackupFile, type BackupManifest } from '../../src/shared/schemas/backup'
import { fsyncDir } from '../../src/node/fsync'
import { crashPoint } from '../crash-point'
import { isAlive } from '../store/lock'
import { SERVER_VERSION } from '../version'
import { copyHashed, writeHashed } from './copy'

export const MANIFEST = 'manifest.json'

/** The hidden names a backup or restore to `target` works under: `.NAME.partial-PID-RANDOM`. */
export function workName(target: string, kind: 'partial' | 'restoring'): string {
  return join(dirname(target), `.${basename(target)}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`)
}

/** Removes what earlier runs to `target` left when they were killed (their process is gone); answers how many. */
export async function removeLeftovers(target: string, kind: 'partial' | 'restoring'): Promise<number> {
  const prefix = `.${basename(target)}.${kind}-`
  let removed = 0
  for (const name of await readdir(dirname(target)).catch(() => [])) {
    if (!name.startsWith(prefix)) continue
    const pid = Number(name.slice(prefix.length).split('-')[0])
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
      await rm(join(dirname(target), name), { recursive: true, force: true })
      removed++
    }
  }
  return removed
}

/** True when `dir` does not exist or is an empty directory. */
export async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true
    throw err
  }
}

/** Renames the finished `work` directory to `target` (an empty directory there is replaced) and makes the rename durable. */
export async function moveIntoPlace(work: string, target: string): Promise<void> {
  await rmdir(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err
  })
  await rename(work, target)
  await fsyncDir(dirname(target))
}

export class BackupDir {
  private readonly files = new Map<string, BackupFile>()
  private readonly dirs = new Set<string>()
  readonly startedAt = new Date().toISOString()

  private constructor(
    readonly work: string,
    private readonly target: string,
    private readonly afterRead: ((path: string) => Promise<void>) | undefined
  ) {}

  /** `afterRead` (tests) runs after each file of the data directory is read, named by its path in the backup. */
  static async create(target: string, afterRead?: (path: string) => Promise<void>): Promise<BackupDir> {
    const work = workName(target, 'partial')
    await mkdir(work, { mode: 0o700 })
    return new BackupDir(work, target, afterRead)
  }

  /** Marks the file at `path` as read from the data directory. */
  async read(path: string): Promise<void> {
    await this.afterRead?.(path)
  }

  /** Copies the file at `from` to `path` in the backup; false if it was gone. */
  async copy(from: string, path: string): Promise<boolean> {
    const copied = await copyHashed(from, await this.place(path))
    if (copied) this.files.set(path, { path, ...copied })
    await this.read(path)
    return copied !== null
  }

  /** Writes bytes already read as `path` in the backup. */
  async write(path: string, bytes: Uint8Array): Promise<void> {
    this.files.set(path, { path, ...(await writeHashed(await this.place(path), bytes)) })
  }

  /** Takes out everything under `prefix/` again (a conversation deleted while it was copied). */
  async forget(prefix: string): Promise<void> {
    for (const path of [...this.files.keys()]) if (path.startsWith(`${prefix}/`)) this.files.delete(path)
    await rm(join(this.work, prefix), { recursive: true, force: true })
    for (const dir of [...this.dirs]) if (dir === prefix || dir.startsWith(`${prefix}/`)) this.dirs.delete(dir)
  }

  /** Writes the manifest last, makes everything durable, and renames the backup into place. */
  async seal(serverPid: number | null): Promise<BackupManifest> {
    const manifest: BackupManifest = {
      format: 'messenger-backup',
      formatVersion: BACKUP_FORMAT_VERSION,
      serverVersion: SERVER_VERSION,
      engine: 'data-dir',
      startedAt: this.startedAt,
      finishedAt: new Date().toISOString(),
      serverPid,
      files: [...this.files.values()].sort((a, b) => (a.path < b.path ? -1 : 1))
    }
    crashPoint('backup-copied')
    // Deepest first, so each directory's entry in its parent is made durable after the directory itself.
    for (const dir of [...this.dirs].sort((a, b) => b.length - a.length)) await fsyncDir(join(this.work, dir))
    await writeHashed(join(this.work, MANIFEST), Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`))
    await fsyncDir(this.work)
    await moveIntoPlace(this.work, this.target)
    return manifest
  }

  /** Removes the unfinished backup. */
  async abandon(): Promise<void> {
    await rm(this.work, { recursive: true, force: true })
  }

  private async place(path: string): Promise<string> {
    const parts = path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/')
      if (this.dirs.has(dir)) continue
      await mkdir(join(this.work, dir), { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err
      })
      this.dirs.add(dir)
    }
    return join(this.work, path)
  }
}
