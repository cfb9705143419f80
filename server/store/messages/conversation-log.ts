import { constants } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { open, readdir, truncate, type FileHandle } from 'node:fs/promises'
import type { Message, MessagePageQuery } from '../../../src/shared/schemas/messages'
import { LIMITS } from '../../../src/shared/limits'
import { fsyncDir, mkdirDurable } from '../../../src/node/fsync'
import type { AppendResult, ChangesPage, ExpireResult, MessageChange, MessageDraft, MutationResult } from '../types'
import { crashPoint } from '../../crash-point'
import { messageFromDraft } from '../message-draft'
import { ChangeLog } from './change-log'
import { ClientIndex, clientKey } from './client-index'
import { readRetentionMark, writeRetentionMark, type RetentionMark } from './retention-mark'
import { purgeExpired, type PurgeResult } from './retention-purge'
import type { SegmentCache } from './segment-cache'
import { encodeMessages, parseSegmentName, readSegment, segmentOf, segmentPath, SEGMENT_SIZE } from './segments'
import { SystemIndex } from './system-index'
import { uncounted } from '../uncounted'

interface Pending {
  message: Message
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * The history of one conversation. Appends are queued and written in batches:
 * while one batch is being fsynced the next one gathers (group commit), so
 * many senders share one fsync. A message becomes visible to readers, and its
 * sender's ack resolves, only once its batch is durable.
 */
export class ConversationLog {
  private durableSeq = 0
  private nextSeq = 1
  private tailSegment = 0
  private tailBytes = 0
  private tail: FileHandle | null = null
  private index: ClientIndex | null = null
  private indexLoading: Promise<ClientIndex> | null = null
  private readonly inFlight = new Map<string, Promise<void>>()
  private queue: Pending[] = []
  private flushing: Promise<void> | null = null
  private changes: ChangeLog | null = null
  private changesLoading: Promise<ChangeLog> | null = null
  /** Changes run one at a time, each reading the state the previous one left. */
  private mutating: Promise<unknown> = Promise.resolve()
  private pendingMutations = 0
  /** Retention's floor: messages up to here were deleted and are never read. */
  private mark: RetentionMark = { expiredSeq: 0, version: 0 }
  /** The floor the files on disk were last purged to; -1: not since opening (a crash may have left some). */
  private purgedThrough = -1
  /** Which seqs are system messages (unread counts leave them out); loaded on first use. */
  private system: SystemIndex | null = null
  private systemLoading: Promise<SystemIndex> | null = null
  /** The last seq the segments held at open: system.seqs lists nothing durable above it that it does not know of. */
  private openedSeq = 0

  private constructor(
    private readonly dir: string,
    private readonly conversationId: string,
    private readonly cache: SegmentCache,
    private readonly now: () => number,
    private readonly onDurableWrite?: (seconds: number) => void
  ) {}

  /** Finds the tail segment and trims a torn write; never reads older history. */
  static async open(
    dir: string,
    conversationId: string,
    cache: SegmentCache,
    now: () => number = Date.now,
    onDurableWrite?: (seconds: number) => void
  ): Promise<ConversationLog> {
    const log = new ConversationLog(dir, conversationId, cache, now, onDurableWrite)
    log.mark = await readRetentionMark(dir)
    if (log.mark.expiredSeq === 0) log.purgedThrough = 0
    log.durableSeq = log.mark.expiredSeq
    log.nextSeq = log.durableSeq + 1
    log.tailSegment = segmentOf(log.nextSeq)
    let names: string[] = []
    try {
      names = await readdir(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    const segments = names.map(parseSegmentName).filter((n): n is number => n !== null)
    if (segments.length === 0) return log
    const last = Math.max(...segments)
    const parsed = await readSegment(dir, last)
    if (parsed.torn) await truncate(segmentPath(dir, last), parsed.validBytes)
    log.tailSegment = last
    log.tailBytes = parsed.validBytes
    // Seqs go on after what retention deleted, even if it deleted everything.
    log.durableSeq = Math.max(log.mark.expiredSeq, parsed.messages.at(-1)?.seq ?? last * SEGMENT_SIZE)
    log.nextSeq = log.durableSeq + 1
    log.openedSeq = log.durableSeq
    log.cache.set(log.cacheKey(last), parsed.messages)
    return log
  }

  get lastSeq(): number {
    return this.durableSeq
  }

  get expiredSeq(): number {
    return this.mark.expiredSeq
  }

  get idle(): boolean {
    return this.queue.length === 0 && this.flushing === null && this.inFlight.size === 0 && this.pendingMutations === 0
  }

  /**
   * Changes a stored message: `change` gets its latest state and returns the
   * new one, or null to leave it. Resolves once the change is durable; null
   * when there is no such message.
   */
  async mutate(seq: number, change: MessageChange): Promise<MutationResult | null> {
    this.pendingMutations++
    const run = async (): Promise<MutationResult | null> => {
      if (seq <= this.mark.expiredSeq || seq > this.durableSeq) return null
      const changes = await this.loadChanges()
      const current = await this.get(seq) // already in its latest state
      const next = change(current)
      if (!next) return { message: current, changed: false }
      const versioned: Message = { ...next, seq: current.seq, id: current.id, version: changes.version + 1 }
      await changes.record(versioned)
      return { message: versioned, changed: true }
    }
    const result = this.mutating.then(run, run)
    this.mutating = result.catch(() => undefined)
    try {
      return await result
    } finally {
      this.pendingMutations--
    }
  }

  async changesSince(since: number, floor: number, limit: number): Promise<ChangesPage> {
    return (await this.loadChanges()).since(since, Math.max(floor, this.mark.expiredSeq), limit)
  }

  async version(): Promise<number> {
    return (await this.loadChanges()).version
  }

  /** Messages unread counts leave out (system, thread-only replies) in after..through (after excluded), among durable ones. */
  async systemCount(after: number, through: number): Promise<number> {
    const to = Math.min(through, this.durableSeq)
    if (to <= after) return 0
    const index = await this.loadSystem()
    const unlisted = Math.min(index.unlistedThrough, to)
    if (after < unlisted) {
      // History from before system.seqs existed: read those segments once, then it is listed.
      const found: number[] = []
      for (let segment = segmentOf(after + 1); segment <= segmentOf(unlisted); segment++) {
        for (const m of await this.peek(segment)) if (m.seq > after && m.seq <= unlisted && uncounted(m)) found.push(m.seq)
      }
      if (unlisted === index.unlistedThrough) {
        index.addScanned(after, found)
        void index.persist().catch(() => undefined)
      } else {
        return found.length + index.count(unlisted, to)
      }
    }
    return index.count(after, to)
  }

  async append(draft: MessageDraft): Promise<AppendResult> {
    const index = await this.loadIndex()
    const key = clientKey(draft.senderId, draft.clientId)
    const known = index.seqOf(key)
    if (known !== undefined) {
      // The index holds fingerprints: trust a hit only once the message there is this key's.
      const message = await this.get(known)
      if (message.senderId === draft.senderId && message.clientId === draft.clientId) return { message, created: false }
    }
    const inFlight = this.inFlight.get(key)
    if (inFlight) {
      await inFlight
      return this.append(draft)
    }
    const message = messageFromDraft(this.conversationId, this.nextSeq++, draft, this.now())
    const durable = new Promise<void>((resolve, reject) => this.queue.push({ message, resolve, reject }))
    this.inFlight.set(key, durable)
    this.flushing ??= this.flush()
    try {
      await durable
    } finally {
      this.inFlight.delete(key)
    }
    return { message, created: true }
  }

  /**
   * Messages with seq above `floor` only (below it the reader cleared their
   * history) and above the retention floor; a page asked from below starts there.
   */
  async page(query: MessagePageQuery, readerFloor = 0): Promise<{ messages: Message[]; hasMore: boolean; expiredSeq: number }> {
    const expiredSeq = this.mark.expiredSeq
    const floor = Math.max(readerFloor, expiredSeq)
    const limit = query.limit ?? LIMITS.pageSizeDefault
    const last = this.durableSeq
    const first = floor + 1
    let from: number
    let to: number
    let hasMore: boolean
    if (query.after !== undefined) {
      from = Math.max(query.after, floor) + 1
      to = Math.min(last, from + limit - 1)
      hasMore = to < last
    } else {
      to = Math.min(last, (query.before ?? last + 1) - 1)
      from = Math.max(first, to - limit + 1)
      hasMore = from > first
    }
    if (from > to) return { messages: [], hasMore: false, expiredSeq }
    return { messages: await this.range(from, to), hasMore, expiredSeq }
  }

  async last(): Promise<Message | null> {
    if (this.durableSeq <= this.mark.expiredSeq) return null
    return this.get(this.durableSeq)
  }

  /**
   * Retention: moves the floor over the messages created before `before` (an
   * ISO time; seq order is taken as time order) and removes from disk all
   * that lies below the floor. The floor is recorded first, so reads hide the
   * messages at once and a crash in between only leaves work for the next run.
   */
  async expire(before: string): Promise<ExpireResult> {
    let floor = this.mark.expiredSeq
    let keptFrom: string | null = null
    scan: for (let segment = segmentOf(floor + 1); floor < this.durableSeq && segment <= segmentOf(this.durableSeq); segment++) {
      for (const m of await this.peek(segment)) {
        if (m.seq <= floor) continue
        if (m.createdAt >= before) {
          keptFrom = m.createdAt
          break scan
        }
        floor = m.seq
      }
    }
    if (floor === this.mark.expiredSeq && this.purgedThrough === floor) return { expiredSeq: floor, moved: false, attachments: [], keptFrom }
    return this.exclusive(async () => {
      const changes = await this.loadChanges()
      const moved = floor > this.mark.expiredSeq
      if (moved) {
        const mark = { expiredSeq: floor, version: changes.version }
        await mkdirDurable(this.dir)
        await writeRetentionMark(this.dir, mark)
        this.mark = mark
        crashPoint('retention-marked')
      }
      // The tail file may be deleted or replaced: reopen it at the next append.
      await this.tail?.close()
      this.tail = null
      let purged: PurgeResult
      try {
        purged = await purgeExpired(this.dir, this.mark.expiredSeq)
      } finally {
        // Even after a failure part-way: the next append writes where the tail file now ends.
        this.cache.forget(`${this.conversationId}/`)
        this.tailBytes = await this.durableBytes()
      }
      const previews = changes.previewFilesThrough(this.mark.expiredSeq)
      await changes.dropThrough(this.mark.expiredSeq)
      await (await this.loadIndex()).dropThrough(this.mark.expiredSeq)
      this.purgedThrough = this.mark.expiredSeq
      return { expiredSeq: this.mark.expiredSeq, moved, attachments: [...purged.attachments, ...previews], keptFrom }
    })
  }

  /**
   * Runs `fn` alone: after the changes before it, with no batch of appends
   * being written (new ones queue and are written once it ends).
   */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.pendingMutations++
    const run = async (): Promise<T> => {
      while (this.flushing) await this.flushing
      let release = (): void => undefined
      this.flushing = new Promise<void>((resolve) => (release = resolve))
      try {
        return await fn()
      } finally {
        this.flushing = null
        release()
        if (this.queue.length > 0) this.flushing = this.flush()
      }
    }
    const result = this.mutating.then(run, run)
    this.mutating = result.catch(() => undefined)
    return result.finally(() => this.pendingMutations--)
  }

  /** Waits for queued writes and closes the tail file. */
  async close(): Promise<void> {
    while (this.flushing) await this.flushing
    await this.mutating
    await this.changes?.close()
    await this.index?.close()
    await this.system?.settled()
    await this.tail?.close()
    this.tail = null
  }

  private async get(seq: number): Promise<Message> {
    const [message] = await this.range(seq, seq)
    if (!message) throw new Error(`message ${seq} missing in ${this.conversationId}`)
    return message
  }

  /** Messages from..to in their latest state (edits, deletions, reactions applied). */
  private async range(from: number, to: number): Promise<Message[]> {
    const changes = await this.loadChanges()
    const out: Message[] = []
    for (let segment = segmentOf(from); segment <= segmentOf(to); segment++) {
      for (const m of await this.segment(segment)) {
        if (m.seq >= from && m.seq <= to) out.push(changes.apply(m))
      }
    }
    return out
  }

  private loadChanges(): Promise<ChangeLog> {
    if (this.changes) return Promise.resolve(this.changes)
    this.changesLoading ??= ChangeLog.load(this.dir, this.mark).then((changes) => (this.changes = changes))
    return this.changesLoading
  }

  private async segment(segment: number): Promise<Message[]> {
    const key = this.cacheKey(segment)
    const cached = this.cache.get(key)
    if (cached) return cached
    // A file may hold lines still being fsynced: only lines durable when the
    // read began are visible, and the view is cached only if nothing became
    // durable meanwhile (else it might miss a line and go stale).
    const durable = this.durableSeq
    const messages = (await readSegment(this.dir, segment)).messages.filter((m) => m.seq <= durable)
    const fresh = this.cache.get(key)
    if (fresh) return fresh
    if (this.durableSeq === durable) this.cache.set(key, messages)
    return messages
  }

  /** A segment's durable messages, without caching them (retention reads old history once). */
  private async peek(segment: number): Promise<Message[]> {
    const cached = this.cache.get(this.cacheKey(segment))
    if (cached) return cached
    const durable = this.durableSeq
    return (await readSegment(this.dir, segment)).messages.filter((m) => m.seq <= durable)
  }

  private loadIndex(): Promise<ClientIndex> {
    if (this.index) return Promise.resolve(this.index)
    this.indexLoading ??= ClientIndex.load(this.dir, this.durableSeq, this.mark.expiredSeq).then((index) => (this.index = index))
    return this.indexLoading
  }

  private loadSystem(): Promise<SystemIndex> {
    if (this.system) return Promise.resolve(this.system)
    this.systemLoading ??= SystemIndex.load(this.dir, this.openedSeq).then((index) => (this.system = index))
    return this.systemLoading
  }

  /**
   * Lists a batch's system messages before the batch is written (see
   * system-index.ts). A conversation without the file gets it once, in the
   * background, so its unlisted history stops where it is now.
   */
  private async recordSystem(messages: readonly Message[]): Promise<void> {
    const seqs = messages.filter(uncounted).map((m) => m.seq)
    if (seqs.length === 0 && this.system?.persisted) return
    const index = await this.loadSystem()
    if (seqs.length) await index.record(seqs)
    else if (!index.persisted) void index.persist().catch(() => undefined)
  }

  private cacheKey(segment: number): string {
    return `${this.conversationId}/${segment}`
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue
        this.queue = []
        try {
          await this.recordSystem(batch.map((p) => p.message))
          await this.write(batch.map((p) => p.message))
        } catch (err) {
          await this.rollback(batch.concat(this.queue.splice(0)), err)
          continue
        }
        const messages = batch.map((p) => p.message)
        for (const m of messages) {
          this.durableSeq = m.seq
          this.cache.appendIfCached(this.cacheKey(segmentOf(m.seq)), m)
        }
        this.index?.add(messages)
        for (const p of batch) p.resolve()
      }
    } finally {
      this.flushing = null
    }
  }

  /** Appends a batch, splitting it where it crosses into a new segment. */
  private async write(messages: Message[]): Promise<void> {
    let start = 0
    while (start < messages.length) {
      const first = messages[start]
      if (!first) break
      const segment = segmentOf(first.seq)
      let end = start
      while (end < messages.length && segmentOf(messages[end]?.seq ?? 0) === segment) end++
      const handle = await this.tailFor(segment)
      const bytes = Buffer.from(encodeMessages(messages.slice(start, end)))
      await handle.write(bytes, 0, bytes.length, this.tailBytes)
      const syncing = performance.now()
      await handle.datasync()
      this.onDurableWrite?.((performance.now() - syncing) / 1000)
      this.tailBytes += bytes.length
      start = end
    }
  }

  private async tailFor(segment: number): Promise<FileHandle> {
    if (this.tail && this.tailSegment === segment) return this.tail
    await this.tail?.close()
    this.tail = null
    await mkdirDurable(this.dir)
    if (segment !== this.tailSegment) {
      this.tailSegment = segment
      this.tailBytes = 0
    }
    // Positional writes at tailBytes (not O_APPEND), so leftovers of a failed write are overwritten.
    const handle = await open(segmentPath(this.dir, segment), constants.O_RDWR | constants.O_CREAT, 0o600)
    const { size } = await handle.stat()
    if (size > this.tailBytes) await handle.truncate(this.tailBytes)
    await fsyncDir(this.dir)
    if (!this.cache.get(this.cacheKey(segment)) && this.tailBytes === 0) this.cache.set(this.cacheKey(segment), [])
    this.tail = handle
    return handle
  }

  /** A failed write (disk full, I/O error): fail the waiting sends, drop partial bytes. */
  private async rollback(failed: Pending[], err: unknown): Promise<void> {
    this.nextSeq = this.durableSeq + 1
    this.tailSegment = segmentOf(this.durableSeq + 1)
    this.tailBytes = await this.durableBytes()
    await this.tail?.close().catch(() => undefined)
    this.tail = null
    await this.system?.forget(this.durableSeq).catch(() => undefined)
    for (const p of failed) p.reject(err)
  }

  private async durableBytes(): Promise<number> {
    const parsed = await readSegment(this.dir, this.tailSegment)
    const keep = parsed.messages.filter((m) => m.seq <= this.durableSeq)
    return Buffer.byteLength(encodeMessages(keep))
  }
}
