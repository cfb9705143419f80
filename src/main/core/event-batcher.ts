// Events to the renderer leave at most once per frame (16 ms) as one batch:
// 10k incoming messages become a handful of IPC messages, not 10k. Within a
// batch, consecutive message events of one conversation merge, and state
// snapshots (session, connection, unread) keep only their latest value.
// Call signals are never merged away: consecutive ones join one list, in order.
import type { MessengerEvent, MessengerEventName, MessengerEvents } from '../../shared/ipc'

export const FRAME_MS = 16

const SNAPSHOTS = new Set<MessengerEventName>(['session', 'connection', 'unread'])

export type BatchListener = (batch: MessengerEvent[]) => void

export class EventBatcher {
  private queue: MessengerEvent[] = []
  private timer: NodeJS.Timeout | null = null
  private readonly listeners = new Set<BatchListener>()
  /** Merged message events, deduplicated once when the batch leaves. */
  private readonly toNormalize = new Set<MessengerEvent>()

  constructor(private readonly frameMs = FRAME_MS) {}

  subscribe(listener: BatchListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  emit<K extends MessengerEventName>(type: K, payload: MessengerEvents[K]): void {
    // Copied so merging into it never changes the caller's arrays.
    const event = { type, payload: Array.isArray(payload) ? [...payload] : payload } as MessengerEvent
    if (SNAPSHOTS.has(type)) this.queue = this.queue.filter((e) => e.type !== type)
    if (!this.merge(event)) this.queue.push(event)
    this.timer ??= setTimeout(() => this.flush(), this.frameMs)
  }

  /** Sends what is queued now (also used before shutdown). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    if (this.queue.length === 0) return
    const batch = this.queue
    this.queue = []
    for (const event of this.toNormalize) {
      if (event.type === 'messages') event.payload = { ...event.payload, upserted: latestBySeq(event.payload.upserted) }
    }
    this.toNormalize.clear()
    for (const listener of this.listeners) listener(batch)
  }

  private merge(event: MessengerEvent): boolean {
    const last = this.queue[this.queue.length - 1]
    if (!last || last.type !== event.type) return false
    if (last.type === 'messages' && event.type === 'messages' && last.payload.conversationId === event.payload.conversationId) {
      last.payload = { conversationId: last.payload.conversationId, upserted: [...last.payload.upserted, ...event.payload.upserted] }
      this.toNormalize.add(last)
      return true
    }
    if (last.type === 'conversations' && event.type === 'conversations') {
      const removed = new Set(event.payload.removed)
      const byId = new Map(last.payload.upserted.filter((c) => !removed.has(c.id)).map((c) => [c.id, c]))
      for (const c of event.payload.upserted) byId.set(c.id, c)
      last.payload = { upserted: [...byId.values()], removed: [...new Set([...last.payload.removed.filter((id) => !byId.has(id)), ...removed])] }
      return true
    }
    if (
      (last.type === 'presence' && event.type === 'presence') ||
      (last.type === 'typing' && event.type === 'typing') ||
      (last.type === 'callSignals' && event.type === 'callSignals')
    ) {
      ;(last.payload as unknown[]).push(...(event.payload as unknown[]))
      return true
    }
    return false
  }
}

/** Later states of the same seq replace earlier ones; ordered by seq. */
function latestBySeq<T extends { seq: number }>(list: T[]): T[] {
  const bySeq = new Map<number, T>()
  for (const m of list) bySeq.set(m.seq, m)
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq)
}
