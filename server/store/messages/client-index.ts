// The dedupe index of one conversation: which (sender, clientId) got which
// seq. It is a projection of the segments, written lazily without fsync; on
// load any gap behind the segments is rebuilt from them, so it never needs to
// be durable itself and costs nothing on the ack path. In memory every key is
// a fingerprint in a KeyTable (12 bytes a slot), so dedupe stays exact for the
// whole history without a map of strings that grew by ~150 B a message.
import { open, readFile, rename, truncate, writeFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message } from '../../../src/shared/schemas/messages'
import { nextTurn } from '../../next-turn'
import { KeyTable } from './key-table'
import { readSegment, segmentOf } from './segments'

/** Appends are gathered for this long, so a busy conversation writes the file a few times a second. */
const FLUSH_DELAY_MS = 200
const FLUSH_BYTES = 256 * 1024
/** Loading a large index yields to the event loop this often, so other conversations are not stalled. */
const LINES_PER_TURN = 20_000

async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw err
  }
}

function ignoreMissing(err: NodeJS.ErrnoException): void {
  if (err.code !== 'ENOENT') throw err
}

export function clientKey(senderId: string, clientId: string): string {
  return `${senderId}/${clientId}`
}

export class ClientIndex {
  private pending = ''
  private timer: NodeJS.Timeout | null = null
  private writing: Promise<void> = Promise.resolve()
  private handle: FileHandle | null = null

  private constructor(
    private readonly path: string,
    private table: KeyTable
  ) {}

  get size(): number {
    return this.table.size
  }

  /** Bytes the in-memory index holds. */
  get bytes(): number {
    return this.table.bytes
  }

  /**
   * The seq this key got, or of another key with the same fingerprint (rare):
   * the caller compares the message at that seq with the key.
   */
  seqOf(key: string): number | undefined {
    return this.table.get(key)
  }

  /** Entries up to `expiredSeq` (deleted by retention) are not kept. */
  static async load(dir: string, durableSeq: number, expiredSeq = 0): Promise<ClientIndex> {
    const path = join(dir, 'clientids.log')
    const table = new KeyTable()
    let indexed = 0
    let clean = true
    // Keys are ASCII (ids and clientIds), so characters count bytes.
    let validLength = 0
    const lines = (await readIfExists(path)).split('\n')
    // The file is appended without fsync: a last line without its newline may be cut short.
    if (lines.pop() !== '') clean = false
    for (let i = 0; i < lines.length; i++) {
      if (i % LINES_PER_TURN === LINES_PER_TURN - 1) await nextTurn()
      const line = lines[i] ?? ''
      const [seqText, key] = line.split('\t')
      const seq = Number(seqText)
      // The first line may start anywhere up to the retention floor (the file is rewritten from there).
      const inOrder = i === 0 ? Number.isInteger(seq) && seq >= 1 && seq <= expiredSeq + 1 : seq === indexed + 1
      if (key === undefined || !inOrder || seq > durableSeq) {
        clean = false
        break
      }
      if (seq > expiredSeq) table.set(key, seq)
      indexed = seq
      validLength += line.length + 1
    }
    // Keep the good prefix, drop the rest, and rebuild what is missing from the
    // segments. A prefix that ends below the floor is all expired: start afresh.
    if (indexed < expiredSeq) {
      indexed = expiredSeq
      validLength = 0
      clean = false
    }
    if (!clean) await truncate(path, validLength).catch(ignoreMissing)
    const index = new ClientIndex(path, table)
    const missing: Message[] = []
    for (let segment = segmentOf(indexed + 1); indexed < durableSeq; segment++) {
      const { messages } = await readSegment(dir, segment)
      for (const m of messages) if (m.seq > indexed) missing.push(m)
      if (messages.length === 0) break
      indexed = Math.max(indexed, messages[messages.length - 1]?.seq ?? indexed)
    }
    if (missing.length > 0) index.add(missing)
    return index
  }

  /**
   * Forgets the messages up to `seq` (deleted by retention) and rewrites the
   * file with the rest. Not fsynced: like every write here it is a projection,
   * and a damaged file is rebuilt from the segments on load.
   */
  dropThrough(seq: number): Promise<void> {
    this.table = this.table.filter((s) => s > seq)
    // What is pending reaches the file first, so the rewrite keeps it.
    this.flush()
    const run = this.writing.then(async () => {
      await this.handle?.close()
      this.handle = null
      const kept = (await readIfExists(this.path))
        .split('\n')
        .filter((line) => line !== '' && Number(line.slice(0, line.indexOf('\t'))) > seq)
      await writeFile(`${this.path}.tmp`, kept.map((line) => `${line}\n`).join(''), { mode: 0o600 })
      await rename(`${this.path}.tmp`, this.path)
    })
    this.writing = run.catch(() => undefined)
    return run
  }

  /** Records durable messages; the file catches up within FLUSH_DELAY_MS. */
  add(messages: Message[]): void {
    for (const m of messages) {
      const key = clientKey(m.senderId, m.clientId)
      this.table.set(key, m.seq)
      this.pending += `${m.seq}\t${key}\n`
    }
    if (this.pending.length >= FLUSH_BYTES) this.flush()
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS)
  }

  /** Writes what is pending and closes the file. */
  async close(): Promise<void> {
    this.flush()
    await this.writing
    await this.handle?.close()
    this.handle = null
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.pending === '') return
    const text = this.pending
    this.pending = ''
    // Chained, so appends never interleave; a failure only costs a rebuild on next load.
    this.writing = this.writing
      .then(async () => {
        this.handle ??= await open(this.path, 'a', 0o600)
        await this.handle.appendFile(text)
      })
      .catch(() => undefined)
  }
}
