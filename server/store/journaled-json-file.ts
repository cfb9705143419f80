// The server's metadata on disk: a snapshot (db.json) and a journal
// (db.journal) of the records changed since. Rewriting a 6 MB snapshot for
// every sign-up made set-up quadratic; a change now appends its records (a few
// hundred bytes, fsynced) and the snapshot is rewritten only once the journal
// outgrows it, or for changes that name no records.
import { constants } from 'node:fs'
import { open, readFile, type FileHandle } from 'node:fs/promises'
import type { Adapter } from 'lowdb'
import { writeFileAtomic } from '../../src/node/fsync'
import { applyChange, type Change } from './journal-changes'

/** The snapshot is rewritten once the journal holds more than this, or more than the snapshot. */
const MIN_COMPACT_BYTES = 1024 * 1024

/** The snapshot's generation, kept in db.json: a journal applies only to the snapshot of its generation. */
type Snapshot<T> = T & { journalGen?: number }

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

interface Waiter {
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * lowdb adapter. `write` saves a whole snapshot; `writeChanges` appends the
 * named records' current state to the journal. Both are group-committed:
 * callers that arrive while a write runs share the next one, so N concurrent
 * writers cost one write after the running one. A promise resolves only once
 * its state is on disk (fsynced).
 */
export class JournaledJsonFile<T extends object> implements Adapter<T> {
  private data: T | null = null
  private gen = 0
  private snapshotBytes = 0
  /** Bytes of the journal that hold its header and whole lines; -1 until it matches the snapshot. */
  private journalBytes = -1
  private handle: FileHandle | null = null
  private wantSnapshot = false
  private readonly changes = new Map<string, Change>()
  private waiters: Waiter[] = []
  private running: Promise<void> | null = null

  constructor(
    private readonly path: string,
    private readonly journalPath = path.replace(/\.json$/, '') + '.journal'
  ) {}

  async read(): Promise<T | null> {
    const raw = await readIfExists(this.path)
    if (!raw) return null
    const data = JSON.parse(raw.toString('utf8')) as Snapshot<T>
    this.snapshotBytes = raw.length
    this.gen = data.journalGen ?? 0
    delete data.journalGen
    this.journalBytes = this.replay(data, await readIfExists(this.journalPath))
    this.data = data
    return data
  }

  /** Saves the whole document. */
  write(data: T): Promise<void> {
    this.data = data
    this.wantSnapshot = true
    return this.enqueue()
  }

  /** Saves the current state of the records `changes` name (read from `data` when written). */
  writeChanges(data: T, changes: Change[]): Promise<void> {
    this.data = data
    for (const c of changes) this.changes.set(c.key, c)
    return this.enqueue()
  }

  async close(): Promise<void> {
    while (this.running) await this.running
    await this.handle?.close()
    this.handle = null
  }

  /** Applies the journal's lines to `data`; returns the valid length, or -1 if the journal is not this snapshot's. */
  private replay(data: T, journal: Buffer | null): number {
    if (!journal) return -1
    let start = 0
    let valid = -1
    let first = true
    while (start < journal.length) {
      const end = journal.indexOf(0x0a, start)
      if (end < 0) break // a cut last line was never acknowledged
      let line: unknown
      try {
        line = JSON.parse(journal.toString('utf8', start, end))
      } catch {
        break
      }
      if (first) {
        // Written before its snapshot's rename finished: that snapshot already holds these records.
        if ((line as { gen?: unknown }).gen !== this.gen) return -1
        first = false
      } else if (!applyChange(data as Record<string, unknown>, line)) break
      start = end + 1
      valid = start
    }
    return valid
  }

  private enqueue(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }))
    this.running ??= this.drain()
    return done
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiters.length > 0) {
        const waiters = this.waiters
        this.waiters = []
        const changes = [...this.changes.values()]
        this.changes.clear()
        const compact = this.journalBytes < 0 || this.journalBytes > Math.max(MIN_COMPACT_BYTES, this.snapshotBytes)
        const snapshot = this.wantSnapshot || compact
        this.wantSnapshot = false
        try {
          if (snapshot) await this.snapshot()
          else await this.append(changes)
          for (const w of waiters) w.resolve()
        } catch (err) {
          // What failed is still in memory: the next write saves everything.
          this.wantSnapshot = true
          for (const w of waiters) w.reject(err)
        }
      }
    } finally {
      this.running = null
    }
  }

  private async append(changes: Change[]): Promise<void> {
    let text = ''
    for (const c of changes) text += JSON.stringify(c.line()) + '\n'
    if (text === '') return
    const bytes = Buffer.from(text)
    this.handle ??= await open(this.journalPath, constants.O_RDWR)
    // Positional: leftovers of a failed write are overwritten by the next one.
    await this.handle.write(bytes, 0, bytes.length, this.journalBytes)
    await this.handle.datasync()
    this.journalBytes += bytes.length
  }

  /** Writes the snapshot (next generation), then starts an empty journal for it. */
  private async snapshot(): Promise<void> {
    const gen = this.gen + 1
    const text = JSON.stringify({ ...this.data, journalGen: gen })
    await writeFileAtomic(this.path, text)
    this.gen = gen
    this.snapshotBytes = Buffer.byteLength(text)
    this.journalBytes = -1
    await this.handle?.close()
    this.handle = null
    const header = `${JSON.stringify({ gen })}\n`
    await writeFileAtomic(this.journalPath, header)
    this.journalBytes = header.length
  }
}
