import type { Message } from '../../../src/shared/schemas/messages'

/**
 * A bounded LRU of parsed segments shared by all conversations. It is bounded
 * by segments and by the messages they hold together: a segment fills up to
 * SEGMENT_SIZE messages as a conversation grows, so a cap on segments alone
 * let the cache's memory grow with every message stored.
 */
export class SegmentCache {
  private readonly entries = new Map<string, Message[]>()
  private held = 0

  constructor(
    private readonly capacity: number,
    private readonly maxMessages = Infinity
  ) {}

  /** Messages held by all cached segments. */
  get messages(): number {
    return this.held
  }

  get size(): number {
    return this.entries.size
  }

  get(key: string): Message[] | undefined {
    const hit = this.entries.get(key)
    if (hit) {
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }

  set(key: string, messages: Message[]): void {
    this.remove(key)
    this.entries.set(key, messages)
    this.held += messages.length
    this.evict()
  }

  /** Drops every cached segment whose key starts with `prefix`. */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.remove(key)
  }

  /** Adds a durable message to its segment if that segment is cached. */
  appendIfCached(key: string, message: Message): void {
    const segment = this.entries.get(key)
    if (!segment) return
    segment.push(message)
    this.held++
    this.evict()
  }

  private remove(key: string): void {
    const old = this.entries.get(key)
    if (!old) return
    this.held -= old.length
    this.entries.delete(key)
  }

  /** Oldest first, but never the newest entry: a segment larger than the cap stays until another comes. */
  private evict(): void {
    while (this.entries.size > 1 && (this.entries.size > this.capacity || this.held > this.maxMessages)) {
      const oldest = this.entries.keys().next().value
      if (oldest === undefined) break
      this.remove(oldest)
    }
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value
      if (oldest === undefined) break
      this.remove(oldest)
    }
  }
}
