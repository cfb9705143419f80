// Cached history in bounded pieces: a conversation's messages live in files
// of CHUNK_SIZE consecutive seqs (messages/<conversation>/<n>.json, each a
// lowdb document), so adding one message rewrites at most one small file and
// opening a conversation reads one or two of them, however long the history.
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import type { Message } from '../../../shared/schemas/messages'
import { mkdirDurable } from '../../../node/fsync'
import { DurableJsonFile } from '../../../node/json-file'

export const CHUNK_SIZE = 500
/** Loaded chunks kept in memory (about 250k messages at most; dirty ones are never dropped). */
const MAX_LOADED = 500

interface ChunkData {
  /** Sorted by seq, no duplicates. */
  messages: Message[]
}

interface Chunk {
  db: Low<ChunkData>
  dirty: boolean
}

export function chunkIndex(seq: number): number {
  return Math.floor((seq - 1) / CHUNK_SIZE)
}

export class MessageChunks {
  private readonly loaded = new Map<string, Promise<Chunk>>()
  private readonly dirty = new Set<string>()
  /** How often each conversation was dropped: a flush that overlapped a drop removes what it wrote again. */
  private readonly drops = new Map<string, number>()

  constructor(private readonly dir: string) {}

  /** Inserts or replaces messages by seq. Callers keep the cached range contiguous. */
  async put(conversationId: string, messages: readonly Message[]): Promise<void> {
    let i = 0
    while (i < messages.length) {
      const index = chunkIndex(messages[i]!.seq)
      const key = `${conversationId}/${index}`
      const chunk = await this.load(key)
      for (; i < messages.length && chunkIndex(messages[i]!.seq) === index; i++) upsert(chunk.db.data.messages, messages[i]!)
      chunk.dirty = true
      this.dirty.add(key)
    }
  }

  /** Messages with from ≤ seq ≤ to, ascending. */
  async range(conversationId: string, from: number, to: number): Promise<Message[]> {
    const out: Message[] = []
    if (to < from) return out
    for (let index = chunkIndex(from); index <= chunkIndex(to); index++) {
      const chunk = await this.load(`${conversationId}/${index}`)
      for (const m of chunk.db.data.messages) if (m.seq >= from && m.seq <= to) out.push(m)
    }
    return out
  }

  async get(conversationId: string, seq: number): Promise<Message | undefined> {
    return (await this.range(conversationId, seq, seq))[0]
  }

  /** Drops cached messages from..upTo (history cleared): whole files go, the last one is trimmed. */
  async dropRange(conversationId: string, from: number, upTo: number): Promise<void> {
    for (let index = chunkIndex(Math.max(1, from)); index <= chunkIndex(upTo); index++) {
      const key = `${conversationId}/${index}`
      if ((index + 1) * CHUNK_SIZE <= upTo) {
        this.loaded.delete(key)
        this.dirty.delete(key)
        await rm(join(this.dir, `${key}.json`), { force: true })
        continue
      }
      const chunk = await this.load(key)
      chunk.db.data.messages = chunk.db.data.messages.filter((m) => m.seq > upTo)
      chunk.dirty = true
      this.dirty.add(key)
    }
  }

  /** Forgets a conversation's history entirely (left, removed, deleted). */
  async dropConversation(conversationId: string): Promise<void> {
    this.drops.set(conversationId, (this.drops.get(conversationId) ?? 0) + 1)
    for (const key of [...this.loaded.keys()]) {
      if (key.startsWith(`${conversationId}/`)) {
        this.loaded.delete(key)
        this.dirty.delete(key)
      }
    }
    await rm(join(this.dir, conversationId), { recursive: true, force: true })
  }

  /** Writes every changed chunk durably; resolves when all are on disk. */
  async flush(): Promise<void> {
    const keys = [...this.dirty]
    this.dirty.clear()
    const dirs = new Set(keys.map((k) => k.slice(0, k.indexOf('/'))))
    const dropsBefore = new Map([...dirs].map((d) => [d, this.drops.get(d) ?? 0]))
    try {
      await Promise.all([...dirs].map((d) => mkdirDurable(join(this.dir, d))))
      await Promise.all(
        keys.map(async (key) => {
          const chunk = await this.loaded.get(key)
          if (!chunk) return
          chunk.dirty = false
          await chunk.db.write()
        })
      )
    } catch (err) {
      // Not all of them reached the disk: the next flush writes them again
      // (and until then they are never evicted).
      for (const key of keys) if (this.loaded.has(key)) this.dirty.add(key)
      throw err
    } finally {
      // A conversation dropped while this flush made its directory or wrote its chunks: they go again.
      // Chunks put after the drop stay dirty in memory, so the next flush writes them back.
      for (const [d, before] of dropsBefore) {
        if ((this.drops.get(d) ?? 0) !== before) await rm(join(this.dir, d), { recursive: true, force: true })
      }
    }
    this.evict()
  }

  private load(key: string): Promise<Chunk> {
    let chunk = this.loaded.get(key)
    if (chunk) {
      // Most recently used last, for eviction.
      this.loaded.delete(key)
      this.loaded.set(key, chunk)
      return chunk
    }
    chunk = (async () => {
      const db = new Low<ChunkData>(new DurableJsonFile(join(this.dir, `${key}.json`)), { messages: [] })
      await db.read()
      return { db, dirty: false }
    })()
    this.loaded.set(key, chunk)
    chunk.catch(() => this.loaded.delete(key))
    return chunk
  }

  private evict(): void {
    for (const key of this.loaded.keys()) {
      if (this.loaded.size <= MAX_LOADED) return
      if (!this.dirty.has(key)) this.loaded.delete(key)
    }
  }
}

function upsert(list: Message[], message: Message): void {
  const last = list[list.length - 1]
  if (!last || last.seq < message.seq) {
    list.push(message)
    return
  }
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid]!.seq < message.seq) lo = mid + 1
    else hi = mid
  }
  if (list[lo]?.seq === message.seq) list[lo] = message
  else list.splice(lo, 0, message)
}
