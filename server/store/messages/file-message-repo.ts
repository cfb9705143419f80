import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message, MessagePageQuery } from '../../../src/shared/schemas/messages'
import { fsyncDir, mkdirDurable } from '../../../src/node/fsync'
import type { AppendResult, ChangesPage, ExpireResult, MessageChange, MessageDraft, MessageRepo, MutationResult } from '../types'
import { ConversationLog } from './conversation-log'
import { SegmentCache } from './segment-cache'

const ID_PATTERN = /^[0-9a-f-]{36}$/

export interface FileMessageRepoOptions {
  /** Conversations kept open (tail file, dedupe index); idle ones beyond are closed. */
  openConversations?: number
  /** Parsed segments kept in memory across all conversations. */
  cachedSegments?: number
  /** Milliseconds since the epoch, for message times; tests move it. */
  now?: () => number
  /** Messages those segments may hold together (about 0.5 KB of heap each). */
  cachedMessages?: number
  /** Told how long each fsync of new messages took, in seconds (the metrics' histogram). */
  onDurableWrite?: (seconds: number) => void
}

interface Entry {
  log: Promise<ConversationLog>
  /** Calls in progress; an entry in use is never evicted. */
  users: number
}

/**
 * Message history on disk, one directory per conversation under `root`.
 * Nothing is read at start-up; a conversation is opened on first use.
 */
export class FileMessageRepo implements MessageRepo {
  /**
   * Open conversations, least recently used first (Map order). Not lru-cache:
   * its eviction drops the oldest entry at once, but a conversation in use or
   * with writes in flight must stay open, and closing one is asynchronous.
   */
  private readonly entries = new Map<string, Entry>()
  private readonly cache: SegmentCache
  private readonly maxOpen: number
  private readonly now: () => number
  private readonly onDurableWrite: ((seconds: number) => void) | undefined

  private constructor(
    private readonly root: string,
    options: FileMessageRepoOptions,
    private readonly created: (message: Message) => Promise<unknown>
  ) {
    this.cache = new SegmentCache(options.cachedSegments ?? 256, options.cachedMessages ?? 32_768)
    this.maxOpen = options.openConversations ?? 512
    this.now = options.now ?? Date.now
    this.onDurableWrite = options.onDurableWrite
  }

  /** `created` runs after each new message is durable, before its append resolves (the store moves the sender's read cursor). */
  static async open(root: string, options: FileMessageRepoOptions = {}, created: (message: Message) => Promise<unknown> = () => Promise.resolve()): Promise<FileMessageRepo> {
    await mkdirDurable(root)
    return new FileMessageRepo(root, options, created)
  }

  async append(conversationId: string, draft: MessageDraft): Promise<AppendResult> {
    const result = await this.with(conversationId, (log) => log.append(draft))
    if (result.created) await this.created(result.message)
    return result
  }

  page(conversationId: string, query: MessagePageQuery, floor = 0): Promise<{ messages: Message[]; hasMore: boolean; expiredSeq: number }> {
    return this.with(conversationId, (log) => log.page(query, floor))
  }

  expire(conversationId: string, before: string): Promise<ExpireResult> {
    return this.with(conversationId, (log) => log.expire(before))
  }

  expiredSeq(conversationId: string): Promise<number> {
    return this.with(conversationId, (log) => Promise.resolve(log.expiredSeq))
  }

  systemCount(conversationId: string, after: number, through: number): Promise<number> {
    return this.with(conversationId, (log) => log.systemCount(after, through))
  }

  mutate(conversationId: string, seq: number, change: MessageChange): Promise<MutationResult | null> {
    return this.with(conversationId, (log) => log.mutate(seq, change))
  }

  changes(conversationId: string, since: number, limit: number, floor = 0): Promise<ChangesPage> {
    return this.with(conversationId, (log) => log.changesSince(since, floor, limit))
  }

  version(conversationId: string): Promise<number> {
    return this.with(conversationId, (log) => log.version())
  }

  last(conversationId: string): Promise<Message | null> {
    return this.with(conversationId, (log) => log.last())
  }

  async drop(conversationId: string): Promise<void> {
    const entry = this.entry(conversationId)
    this.entries.delete(conversationId)
    await (await entry.log).close()
    this.cache.forget(`${conversationId}/`)
    await rm(join(this.root, conversationId), { recursive: true, force: true })
    await fsyncDir(this.root)
  }

  async close(): Promise<void> {
    const logs = await Promise.all([...this.entries.values()].map((e) => e.log))
    await Promise.all(logs.map((log) => log.close()))
    this.entries.clear()
  }

  private async with<T>(conversationId: string, fn: (log: ConversationLog) => Promise<T>): Promise<T> {
    const entry = this.entry(conversationId)
    entry.users++
    try {
      return await fn(await entry.log)
    } finally {
      entry.users--
    }
  }

  private entry(conversationId: string): Entry {
    if (!ID_PATTERN.test(conversationId)) throw new Error(`bad conversation id ${conversationId}`)
    let entry = this.entries.get(conversationId)
    if (entry) {
      this.entries.delete(conversationId) // re-insert: Map order is the LRU order
    } else {
      const log = ConversationLog.open(join(this.root, conversationId), conversationId, this.cache, this.now, this.onDurableWrite)
      entry = { log, users: 0 }
      log.catch(() => this.entries.delete(conversationId))
    }
    this.entries.set(conversationId, entry)
    if (this.entries.size > this.maxOpen) void this.evictIdle()
    return entry
  }

  private async evictIdle(): Promise<void> {
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= this.maxOpen) return
      const log = await entry.log.catch(() => null)
      if (log && entry.users === 0 && log.idle && this.entries.get(id) === entry) {
        this.entries.delete(id)
        await log.close()
      }
    }
  }
}
