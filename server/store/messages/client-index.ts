// The dedupe index of one conversation: which (sender, clientId) got which
// seq. It is a projection of the segments, written lazily without fsync; on
// load any gap behind the segments is rebuilt from them, so it never needs to
// be durable itself and costs nothing on the ack path. In memory it keeps a
// window of the newest keys only: a retry comes from an outbox resending what
// it sent last, and a map of every key ever sent grew with history.
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message } from '../../../src/shared/schemas/messages'
import { nextTurn } from '../../next-turn'
import { readSegment, segmentOf } from './segments'

/** Appends are gathered for this long, so a busy conversation writes the file a few times a second. */
const FLUSH_DELAY_MS = 200
const FLUSH_BYTES = 256 * 1024
/** Loading a large index yields to the event loop this often, so other conversations are not stalled. */
const LINES_PER_TURN = 20_000
/** Keys of the newest messages of a conversation kept for dedupe (about 110 bytes each). */
export const DEDUPE_WINDOW = 4096


async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw err
  }
}

/** Adds a key as the newest, dropping the oldest beyond `window`. */
function remember(map: Map<string, number>, key: string, seq: number, window: number): void {
  map.set(key, seq)
  while (map.size > window) {
    const oldest = map.keys().next().value
    if (oldest === undefined) break
    map.delete(oldest)
  }
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
    /** Oldest first (Map order), at most `window` entries. */
    private readonly seqByKey: Map<string, number>,
    private readonly window: number
  ) {}

  get size(): number {
    return this.seqByKey.size
  }

  /** The seq a key got, if it is within the window. */
  seqOf(key: string): number | undefined {
    return this.seqByKey.get(key)
  }

  static async load(dir: string, durableSeq: number, window = DEDUPE_WINDOW): Promise<ClientIndex> {
    const path = join(dir, 'clientids.log')
    const map = new Map<string, number>()
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
      if (key === undefined || seq !== indexed + 1 || seq > durableSeq) {
        clean = false
        break
      }
      remember(map, key, seq, window)
      indexed = seq
      validLength += line.length + 1
    }
    // Keep the good prefix, drop the rest, and rebuild what is missing from the segments.
    if (!clean) await truncate(path, validLength)
    const index = new ClientIndex(path, map, window)
    const missing: Message[] = []
    for (let segment = segmentOf(indexed + 1); indexed < durableSeq; segment++) {
      const { messages } = await readSegment(dir, segment)
      for (const m of messages) if (m.seq > indexed) missing.push(m)
      if (messages.length === 0) break
      indexed = Math.max(indexed, messages[messages.length - 1]?.seq ?? indexed)
    }
    for (const m of missing) remember(map, clientKey(m.senderId, m.clientId), m.seq, window)
    if (missing.length > 0) index.add(missing, false)
    return index
  }

  /** Records durable messages; the file catches up within FLUSH_DELAY_MS. */
  add(messages: Message[], keep = true): void {
    for (const m of messages) {
      if (keep) remember(this.seqByKey, clientKey(m.senderId, m.clientId), m.seq, this.window)
      this.pending += `${m.seq}\t${clientKey(m.senderId, m.clientId)}\n`
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
