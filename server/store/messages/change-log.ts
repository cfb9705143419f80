// Edits, deletions and reactions of one conversation. Messages in segments
// never change; each change appends the message's whole new state to
// changes.log (fsynced before it is acknowledged) with a rising version
// number. Reads lay the latest state over the segment's original, and a
// client catches up on changes by version, as it does on messages by seq.
import { constants } from 'node:fs'
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message } from '../../../src/shared/schemas/messages'
import { fsyncDir, mkdirDurable, writeFileAtomic } from '../../../src/node/fsync'
import { readJsonLines } from '../json-lines'
import type { RetentionMark } from './retention-mark'

export class ChangeLog {
  private handle: FileHandle | null = null

  private constructor(
    private readonly dir: string,
    /** seq → the message's latest state. */
    private readonly latest: Map<number, Message>,
    private currentVersion: number,
    private bytes: number,
    /** The file still holds changes of expired messages (a rewrite is due). */
    private holdsExpired: boolean
  ) {}

  /** Changes of messages at or below `mark.expiredSeq` were deleted by retention and are left out. */
  static async load(dir: string, mark: RetentionMark = { expiredSeq: 0, version: 0 }): Promise<ChangeLog> {
    const path = join(dir, 'changes.log')
    let buf: Buffer
    try {
      buf = await readFile(path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      return new ChangeLog(dir, new Map(), mark.version, 0, false)
    }
    // Keep whole lines in rising version order (a rewrite by retention leaves
    // gaps); a cut or out-of-order tail was never acknowledged.
    let previous = 0
    const { items, validBytes } = readJsonLines<Message>(buf, (m) => {
      const ok = Number.isInteger(m.version) && (m.version ?? 0) > previous
      if (ok) previous = m.version ?? 0
      return ok
    })
    if (validBytes < buf.length) await truncate(path, validBytes)
    const kept = items.filter((m) => m.seq > mark.expiredSeq)
    const latest = new Map(kept.map((m) => [m.seq, m]))
    return new ChangeLog(dir, latest, Math.max(mark.version, previous), validBytes, kept.length < items.length)
  }

  get version(): number {
    return this.currentVersion
  }

  /** The latest state of a message read from a segment. */
  apply(message: Message): Message {
    return this.latest.get(message.seq) ?? message
  }

  /** Durably records a message's new state; `message.version` must be `version + 1`. */
  async record(message: Message): Promise<void> {
    if (message.version !== this.currentVersion + 1) throw new Error('change out of order')
    const handle = await this.open()
    const bytes = Buffer.from(JSON.stringify(message) + '\n')
    try {
      await handle.write(bytes, 0, bytes.length, this.bytes)
      await handle.datasync()
    } catch (err) {
      // Whatever reached the file is overwritten by the next change.
      await this.handle?.close().catch(() => undefined)
      this.handle = null
      throw err
    }
    this.bytes += bytes.length
    this.currentVersion = message.version
    this.latest.set(message.seq, message)
  }

  /** Messages changed after `since`, oldest change first, above `floor` (cleared history). */
  since(since: number, floor: number, limit: number): { messages: Message[]; version: number; hasMore: boolean } {
    const changed = [...this.latest.values()]
      .filter((m) => (m.version ?? 0) > since && m.seq > floor)
      .sort((a, b) => (a.version ?? 0) - (b.version ?? 0))
    const messages = changed.slice(0, limit)
    const hasMore = changed.length > limit
    const version = hasMore ? (messages.at(-1)?.version ?? since) : Math.max(since, this.currentVersion)
    return { messages, version, hasMore }
  }

  /** Pictures of link previews the latest states up to `seq` carry (a preview only ever comes as a change): retention deletes them with their messages. */
  previewFilesThrough(seq: number): string[] {
    const ids: string[] = []
    for (const [key, m] of this.latest) if (key <= seq && m.preview?.image) ids.push(m.preview.image.fileId)
    return ids
  }

  /**
   * Forgets the changes of messages up to `seq` and rewrites the file with
   * the latest state of each remaining message only (temp, fsync, rename, dir
   * fsync), so a crash leaves the old file or the new one. Callers keep
   * `record` from running meanwhile.
   */
  async dropThrough(seq: number): Promise<void> {
    let dropped = this.holdsExpired
    for (const key of this.latest.keys()) {
      if (key <= seq) {
        this.latest.delete(key)
        dropped = true
      }
    }
    if (!dropped) return
    const kept = [...this.latest.values()].sort((a, b) => (a.version ?? 0) - (b.version ?? 0))
    const text = kept.map((m) => JSON.stringify(m) + '\n').join('')
    await this.handle?.close()
    this.handle = null
    await writeFileAtomic(join(this.dir, 'changes.log'), text)
    this.bytes = Buffer.byteLength(text)
    this.holdsExpired = false
  }

  async close(): Promise<void> {
    await this.handle?.close()
    this.handle = null
  }

  private async open(): Promise<FileHandle> {
    if (this.handle) return this.handle
    await mkdirDurable(this.dir)
    const handle = await open(join(this.dir, 'changes.log'), constants.O_RDWR | constants.O_CREAT, 0o600)
    if (this.bytes === 0) await fsyncDir(this.dir)
    this.handle = handle
    return handle
  }
}
