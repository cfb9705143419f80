import type { Message } from '../../../src/shared/schemas/messages'

/** A bounded LRU of parsed segments shared by all conversations. */
export class SegmentCache {
  private readonly entries = new Map<string, Message[]>()

  constructor(private readonly capacity: number) {}

  get(key: string): Message[] | undefined {
    const hit = this.entries.get(key)
    if (hit) {
      this.entries.delete(key)
      this.entries.set(key, hit)
    }
    return hit
  }

  set(key: string, messages: Message[]): void {
    this.entries.delete(key)
    this.entries.set(key, messages)
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value
      if (oldest === undefined) break
      this.entries.delete(oldest)
    }
  }

  /** Drops every cached segment whose key starts with `prefix`. */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key)
  }

  /** Adds a durable message to its segment if that segment is cached. */
  appendIfCached(key: string, message: Message): void {
    this.entries.get(key)?.push(message)
  }
}
