// Which seqs of one conversation hold system messages (joins, renames, join
// codes) or thread-only replies (../uncounted.ts): unread counts leave them out. They are few, so all of them are kept
// sorted in memory and listed in system.seqs, one seq a line after a header
// `from N`: seqs up to N (history written before the file existed) are not
// listed, and are found by reading those segments once, when a count needs them.
//
// A batch's system seqs are written and fsynced before the batch itself (only
// batches holding one pay that fsync), so a durable system message is always
// listed; a listed seq above what the segments held at open never became
// durable (a crash), and is dropped on load. A failed write drops its seqs again.
import { open, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir, mkdirDurable } from '../../../src/node/fsync'

const FILE = 'system.seqs'

export class SystemIndex {
  /** The file exists with its header. */
  private written: boolean
  /** File writes, one after another (an append must not race a rewrite's rename). */
  private writing: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly dir: string,
    /** Seqs at or below this are not listed (unless scanned since: see `scanned`). */
    private from: number,
    private readonly seqs: number[],
    written: boolean
  ) {
    this.written = written
  }

  /** `durableSeq`: the last seq the segments held when the log was opened. */
  static async load(dir: string, durableSeq: number): Promise<SystemIndex> {
    let text: string
    try {
      text = await readFile(join(dir, FILE), 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      // No system message was stored since this file was introduced: all below is unlisted history.
      return new SystemIndex(dir, durableSeq, [], false)
    }
    const [header = '', ...lines] = text.split('\n')
    // A last line without its newline was cut short by a crash: its batch never reached the segments.
    const torn = lines.pop() !== ''
    const from = Math.min(Number(/^from (\d+)$/.exec(header)?.[1] ?? durableSeq), durableSeq)
    const seqs = [...new Set(lines.filter((l) => /^\d+$/.test(l)).map(Number))].filter((s) => s > from && s <= durableSeq).sort((a, b) => a - b)
    const index = new SystemIndex(dir, from, seqs, true)
    // Seqs of writes that never became durable would be read again next time: rewrite without them.
    if (torn || seqs.length !== lines.length) await index.persist()
    return index
  }

  /** Seqs at or below this are not known here: the caller scans them from the segments. */
  get unlistedThrough(): number {
    return this.from
  }

  /** Adds system seqs found by scanning unlisted history (after..from]; memory only. */
  addScanned(after: number, seqs: readonly number[]): void {
    if (after >= this.from) return
    this.seqs.unshift(...seqs.filter((s) => s > after && s <= this.from).sort((a, b) => a - b))
    this.from = after
  }

  /** Listed seqs in after..through (after excluded). */
  count(after: number, through: number): number {
    return through <= after ? 0 : upperBound(this.seqs, through) - upperBound(this.seqs, after)
  }

  /** Lists the system seqs of a batch about to be written, durably. */
  record(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return Promise.resolve()
    this.seqs.push(...seqs)
    return this.serial(async () => {
      if (!this.written) return this.rewrite()
      const handle = await open(join(this.dir, FILE), 'a', 0o600)
      try {
        await handle.appendFile(seqs.map((s) => `${s}\n`).join(''))
        await handle.datasync()
      } finally {
        await handle.close()
      }
    })
  }

  /** A write failed: its seqs (above `durableSeq`) are forgotten, from the file too. */
  forget(durableSeq: number): Promise<void> {
    const kept = this.seqs.filter((s) => s <= durableSeq)
    if (kept.length === this.seqs.length) return Promise.resolve()
    this.seqs.splice(0, this.seqs.length, ...kept)
    return this.serial(() => this.rewrite())
  }

  /**
   * Writes the file as known now, so what is unlisted never grows: after a
   * scan, and once for a conversation whose file is missing. Off the ack path.
   */
  persist(): Promise<void> {
    return this.serial(() => this.rewrite())
  }

  /** Resolves once the writes begun so far are done (the log closes after them). */
  settled(): Promise<void> {
    return this.writing.then(() => undefined)
  }

  get persisted(): boolean {
    return this.written
  }

  private serial(fn: () => Promise<void>): Promise<void> {
    const run = this.writing.then(fn, fn)
    this.writing = run.catch(() => undefined)
    return run
  }

  private async rewrite(): Promise<void> {
    await mkdirDurable(this.dir)
    const path = join(this.dir, FILE)
    const listed = this.seqs.filter((s) => s > this.from)
    await writeFile(`${path}.tmp`, `from ${this.from}\n${listed.map((s) => `${s}\n`).join('')}`, { mode: 0o600, flush: true })
    await rename(`${path}.tmp`, path)
    await fsyncDir(this.dir)
    this.written = true
  }
}

/** How many of the sorted `seqs` are at or below `seq`. */
function upperBound(seqs: readonly number[], seq: number): number {
  let lo = 0
  let hi = seqs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (seqs[mid]! <= seq) lo = mid + 1
    else hi = mid
  }
  return lo
}
