// Files chosen to send, held by main until they are sent. A path picked in
// a dialog (Electron) is used where it is; bytes from a browser page (the
// Node host) are copied into the account's staging folder first, so an
// upload can resume after a restart either way.
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readdir, stat, unlink } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { StagedFile } from '../../../shared/ipc'
import { FileName, MediaType } from '../../../shared/schemas/files'
import { withoutHiddenCharacters } from '../../../shared/schemas/hidden-characters'
import { ClientError } from '../errors'

export interface StagedSource extends StagedFile {
  path: string
  /** Our own copy, deleted once sent or cancelled. */
  copied: boolean
}

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.zip': 'application/zip'
}

export function typeOf(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream'
}

export class Staging {
  private readonly staged = new Map<string, StagedSource>()

  constructor(readonly dir: string) {}

  /** A file where it is (picked in a dialog in main). */
  async stagePath(path: string): Promise<StagedFile> {
    const info = await stat(path)
    if (!info.isFile()) throw new ClientError('validation_failed', `${basename(path)} is not a file`)
    return this.keep({ stagedId: randomUUID(), name: cleanName(basename(path)), size: info.size, type: typeOf(path), path, copied: false })
  }

  /** Bytes from a page, copied to the staging folder. */
  async stageStream(source: Readable, name: string, type: string | undefined): Promise<StagedFile> {
    const clean = cleanName(name)
    const media = MediaType.safeParse(type)
    await mkdir(this.dir, { recursive: true })
    const stagedId = randomUUID()
    const path = join(this.dir, stagedId)
    try {
      await pipeline(source, createWriteStream(path, { mode: 0o600 }))
    } catch (err) {
      await unlink(path).catch(() => undefined)
      throw new ClientError('validation_failed', `the file's bytes did not all arrive (${(err as Error).message})`)
    }
    const size = (await stat(path)).size
    return this.keep({ stagedId, name: clean, size, type: media.success ? media.data : typeOf(clean), path, copied: true })
  }

  take(stagedId: string): StagedSource {
    const staged = this.staged.get(stagedId)
    if (!staged) throw new ClientError('not_found', 'no staged file with that id (it was sent already, or the app restarted)')
    this.staged.delete(stagedId)
    return staged
  }

  /** Copies nothing refers to any more (left by a restart before sending). */
  async sweep(keep: Set<string>): Promise<void> {
    const entries = await readdir(this.dir).catch(() => [] as string[])
    await Promise.all(entries.filter((e) => !keep.has(join(this.dir, e))).map((e) => unlink(join(this.dir, e)).catch(() => undefined)))
  }

  private keep(source: StagedSource): StagedFile {
    this.staged.set(source.stagedId, source)
    return { stagedId: source.stagedId, name: source.name, size: source.size, type: source.type }
  }
}

/** A name the server accepts: the file's own name when it is one. */
function cleanName(name: string): string {
  const parsed = FileName.safeParse(name)
  if (parsed.success) return parsed.data
  // A local file may carry an override or zero-width space in its name: send it without them.
  const cleaned = withoutHiddenCharacters(name).replace(/[\p{Cc}/\\]/gu, '_').trim().slice(0, 255)
  return FileName.safeParse(cleaned).success ? cleaned : 'file'
}
