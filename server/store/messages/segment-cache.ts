import { LRUCache } from 'lru-cache'
import type { Message } from '../../../src/shared/schemas/messages'

/**
 * The parsed segments shared by all conversations, least recently used out
 * first (lru-cache). Bounded by segments and by the messages they hold
 * together: a segment fills up to SEGMENT_SIZE messages as a conversation
 * grows, so a cap on segments alone let the cache's memory grow with every
 * message stored. A segment weighs its messages (an empty tail segment 1:
 * lru-cache wants sizes above zero).
 */
export class SegmentCache {
  private readonly lru: LRUCache<string, Message[]>

  constructor(capacity: number, maxMessages = Infinity) {
    this.lru = new LRUCache<string, Message[]>({
      max: capacity,
      maxSize: Number.isFinite(maxMessages) ? maxMessages : Number.MAX_SAFE_INTEGER,
      sizeCalculation: (messages) => Math.max(1, messages.length)
    })
  }

  /** Messages held by all cached segments (counted on demand: for tests and diagnostics). */
  get messages(): number {
    let held = 0
    for (const segment of this.lru.values()) held += segment.length
    return held
  }

  get size(): number {
    return this.lru.size
  }

  get(key: string): Message[] | undefined {
    return this.lru.get(key)
  }

  set(key: string, messages: Message[]): void {
    this.lru.set(key, messages)
  }

  /** Drops every cached segment whose key starts with `prefix`. */
  forget(prefix: string): void {
    for (const key of [...this.lru.keys()]) if (key.startsWith(prefix)) this.lru.delete(key)
  }

  /** Adds a durable message to its segment if that segment is cached. */
  appendIfCached(key: string, message: Message): void {
    const segment = this.lru.peek(key)
    if (!segment) return
    segment.push(message)
    // lru-cache weighs an entry when it is set, and not again for the same array: set it anew.
    this.lru.delete(key)
    this.lru.set(key, segment)
  }
}
