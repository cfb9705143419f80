// One account's local cache: the single source of what the renderer shows.
// meta.json (lowdb) holds the profile, the conversations and, per
// conversation, the cached seq range and change version; history lives in
// chunk files (chunks.ts). Opening reads meta.json only.
//
// Flush order keeps the cursors honest after a crash: chunks are written
// first, then meta.json, so a cursor never claims messages that are not on
// disk. (Chunks may be ahead of a cursor; re-adding a message is idempotent.)
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Draft } from '../../../shared/schemas/drafts'
import type { NotificationPrefs } from '../../../shared/schemas/notification-prefs'
import type { ScheduledMessage } from '../../../shared/schemas/scheduled'
import type { Message } from '../../../shared/schemas/messages'
import type { Me, PublicUser } from '../../../shared/schemas/users'
import type { FollowedThread } from '../../../shared/schemas/threads'
import { threadKey } from '../../../shared/threads'
import { mkdirDurable } from '../../../node/fsync'
import { DurableJsonFile } from '../../../node/json-file'
import { MessageChunks } from './chunks'
import type { UserGroup } from '../../../shared/schemas/user-groups'
import { CACHE_FORMAT, dataTooNew } from './formats'

/** Messages low..high (inclusive) are cached, with no gap; 0/0 when none. */
export interface Cursor {
  low: number
  high: number
  /** Edits, deletions and reactions are applied up to this change number. */
  version: number
}

interface MetaData {
  /** The cache's format (formats.ts). */
  schema: number
  me: Me | null
  conversations: Record<string, Conversation>
  cursors: Record<string, Cursor>
  /**
   * Conversations this user muted on this device, from before mutes were
   * kept by the server (issue 21): moved there once, at the first connection
   * that can, then removed.
   */
  muted?: string[]
  /** Issue 21: the notification preferences as the server last told them; absent until first fetched. */
  notificationPrefs?: NotificationPrefs
  /** Everyone met in a conversation, kept after they leave, so old messages keep their names. */
  people?: Record<string, PublicUser>
  /** User groups as the server last told them, by handle (issue 20); absent in older caches: none. */
  userGroups?: UserGroup[]
  /** Drafts (i20-drafts) by draftKey: the newest known, `pending` until the server has it. */
  drafts?: Record<string, CachedDraft>
  /** The server history's epoch this cache was filled under (set once the server was restored from a backup). */
  historyEpoch?: string
  /** Threads: the cached replies' seqs by threadKey (the messages are in the chunks), and the followed threads. */
  threadReplies?: Record<string, number[]>
  followedThreads?: Record<string, FollowedThread>
  /** Issue 21: the scheduled messages as the server last told them, soonest first; absent in older caches: none. */
  scheduled?: ScheduledMessage[]
}

const FLUSH_DELAY_MS = 30

/** A draft as this device knows it; an empty text with no replyTo is a deletion the server may not have yet. */
export interface CachedDraft extends Draft {
  pending: boolean
}

export class AccountCache {
  private flushTimer: NodeJS.Timeout | null = null
  private flushing: Promise<void> = Promise.resolve()
  private closed = false

  private constructor(
    private readonly meta: Low<MetaData>,
    private readonly metaFile: DurableJsonFile<MetaData>,
    readonly chunks: MessageChunks,
    /** An older cache was dropped at open: everything is fetched again. */
    readonly dropped = false
  ) {}

  /**
   * Refuses (data_too_new) a cache a newer app wrote, untouched; drops one of
   * an older format (then `dropped`), to be fetched again from the server.
   */
  static async open(dir: string, current = CACHE_FORMAT): Promise<AccountCache> {
    const path = join(dir, 'meta.json')
    let stored = await new DurableJsonFile<MetaData>(path).read()
    const found = stored ? (typeof stored.schema === 'number' ? stored.schema : 0) : current
    if (found > current) throw dataTooNew('cache', path, found, current)
    const dropped = found < current
    if (dropped) {
      await rm(dir, { recursive: true, force: true })
      stored = null
    }
    await mkdirDurable(dir)
    const metaFile = new DurableJsonFile<MetaData>(path)
    const meta = new Low<MetaData>(metaFile, stored ?? { schema: current, me: null, conversations: {}, cursors: {} })
    return new AccountCache(meta, metaFile, new MessageChunks(join(dir, 'messages')), dropped)
  }

  get me(): Me | null {
    return this.meta.data.me
  }

  setMe(me: Me): void {
    this.meta.data.me = me
    this.scheduleFlush()
  }

  historyEpoch(): string | undefined {
    return this.meta.data.historyEpoch
  }

  setHistoryEpoch(epoch: string): void {
    this.meta.data.historyEpoch = epoch
    this.scheduleFlush()
  }

  /** Most recent activity first. */
  conversations(): Conversation[] {
    // ISO timestamps in UTC compare correctly as plain strings (and much faster than localeCompare).
    return Object.values(this.meta.data.conversations).sort((a, b) => {
      const x = activity(a)
      const y = activity(b)
      return x < y ? 1 : x > y ? -1 : 0
    })
  }

  /** Conversations muted now: by the server's preferences (mutedUntil ahead), and a local list not yet moved there. */
  mutedIds(now = Date.now()): string[] {
    const prefs = this.meta.data.notificationPrefs
    const byServer = Object.entries(prefs?.conversations ?? {}).flatMap(([id, c]) => (c.mutedUntil && Date.parse(c.mutedUntil) > now ? [id] : []))
    return [...new Set([...byServer, ...(this.meta.data.muted ?? [])])]
  }

  /** The local mute list of older versions, still to move to the server. */
  legacyMuted(): string[] {
    return [...(this.meta.data.muted ?? [])]
  }

  dropLegacyMuted(): void {
    delete this.meta.data.muted
    this.scheduleFlush()
  }

  notificationPrefs(): NotificationPrefs | undefined {
    return this.meta.data.notificationPrefs
  }

  /** Replaced whole, never changed in place (flush copies the document shallowly). */
  setNotificationPrefs(prefs: NotificationPrefs): void {
    this.meta.data.notificationPrefs = prefs
    this.scheduleFlush()
  }

  userGroups(): UserGroup[] {
    return this.meta.data.userGroups ?? []
  }

  /** Replaced whole, never changed in place (flush copies the document shallowly). */
  setUserGroups(groups: readonly UserGroup[]): UserGroup[] {
    this.meta.data.userGroups = [...groups].sort((a, b) => (a.handle < b.handle ? -1 : a.handle > b.handle ? 1 : 0))
    this.scheduleFlush()
    return this.userGroups()
  }

  scheduled(): ScheduledMessage[] {
    return this.meta.data.scheduled ?? []
  }

  /** Replaced whole, never changed in place (flush copies the document shallowly). */
  setScheduled(list: readonly ScheduledMessage[]): void {
    this.meta.data.scheduled = [...list]
    this.scheduleFlush()
  }

  drafts(): CachedDraft[] {
    return Object.values(this.meta.data.drafts ?? {})
  }

  draft(key: string): CachedDraft | undefined {
    return this.meta.data.drafts?.[key]
  }

  /** Stores a draft (null: forgets it). */
  putDraft(key: string, draft: CachedDraft | null): void {
    const drafts = (this.meta.data.drafts ??= {})
    if (draft) drafts[key] = draft
    else delete drafts[key]
    this.scheduleFlush()
  }

  conversation(id: string): Conversation | undefined {
    return this.meta.data.conversations[id]
  }

  conversationIds(): string[] {
    return Object.keys(this.meta.data.conversations)
  }

  /** Stores a conversation; returns the people in it who are new or changed in the directory. */
  putConversation(conversation: Conversation): PublicUser[] {
    this.meta.data.conversations[conversation.id] = conversation
    const changed = this.putPeople(conversation.members.map((m) => m.user))
    this.scheduleFlush()
    return changed
  }

  /** Keeps people in the directory (members met, and former members a page of history named); returns those new or changed. */
  putPeople(users: readonly PublicUser[]): PublicUser[] {
    const people = (this.meta.data.people ??= {})
    const changed: PublicUser[] = []
    for (const user of users) {
      const known = people[user.id]
      if (
        known &&
        known.displayName === user.displayName &&
        known.avatar === user.avatar &&
        known.statusText === user.statusText &&
        known.statusEmoji === user.statusEmoji &&
        known.statusExpiresAt === user.statusExpiresAt
      ) {
        continue
      }
      people[user.id] = user
      changed.push(user)
    }
    if (changed.length) this.scheduleFlush()
    return changed
  }

  people(): PublicUser[] {
    return Object.values(this.meta.data.people ?? {})
  }

  async removeConversation(id: string): Promise<void> {
    delete this.meta.data.conversations[id]
    delete this.meta.data.cursors[id]
    await this.chunks.dropConversation(id)
    this.scheduleFlush()
  }

  cursor(id: string): Cursor {
    return this.meta.data.cursors[id] ?? { low: 0, high: 0, version: 0 }
  }

  /**
   * Messages adjacent to the cached range (right after it, right before it,
   * or starting it), ascending: the range grows to cover them.
   */
  async extend(id: string, messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return
    await this.chunks.put(id, messages)
    this.indexReplies(id, messages)
    // Read after the write: extensions of one conversation may overlap (live
    // messages and a catch-up page), and a cursor read before would undo the other's.
    const cursor = this.cursor(id)
    this.meta.data.cursors[id] = {
      low: cursor.low ? Math.min(cursor.low, messages[0]!.seq) : messages[0]!.seq,
      high: Math.max(cursor.high, messages[messages.length - 1]!.seq),
      version: cursor.version
    }
    this.scheduleFlush()
  }

  /** Replaces cached messages with newer states (by version); returns those that changed. */
  async update(id: string, messages: readonly Message[]): Promise<Message[]> {
    const { low, high } = this.cursor(id)
    const changed: Message[] = []
    for (const message of messages) {
      if (message.seq < low || message.seq > high) continue
      const current = await this.chunks.get(id, message.seq)
      if (current && (current.version ?? 0) >= (message.version ?? 0)) continue
      changed.push(message)
    }
    await this.chunks.put(id, changed)
    if (changed.length) this.scheduleFlush()
    return changed
  }

  setVersion(id: string, version: number): void {
    const cursor = this.cursor(id)
    if (version <= cursor.version) return
    this.meta.data.cursors[id] = { ...cursor, version }
    this.scheduleFlush()
  }

  // ---- threads (issue 20, item 3)

  /** A thread's root and replies from the server, kept for offline reading even outside the cached range. */
  async putThread(id: string, messages: readonly Message[]): Promise<void> {
    if (messages.length === 0) return
    await this.chunks.put(id, messages)
    this.indexReplies(id, messages)
    this.scheduleFlush()
  }

  /** The cached replies of a thread, ascending; and its root. */
  async thread(id: string, rootSeq: number): Promise<{ root: Message | null; replies: Message[] }> {
    const seqs = this.meta.data.threadReplies?.[threadKey(id, rootSeq)] ?? []
    const replies = (await Promise.all(seqs.map((seq) => this.chunks.get(id, seq)))).filter((m): m is Message => m !== undefined)
    return { root: (await this.chunks.get(id, rootSeq)) ?? null, replies }
  }

  followedThreads(): FollowedThread[] {
    return Object.values(this.meta.data.followedThreads ?? {})
  }

  /** Keeps a followed thread (following) or forgets it. */
  putFollowedThread(thread: FollowedThread, following: boolean): void {
    const all = (this.meta.data.followedThreads ??= {})
    if (following) all[threadKey(thread.conversationId, thread.rootSeq)] = thread
    else delete all[threadKey(thread.conversationId, thread.rootSeq)]
    this.scheduleFlush()
  }

  /** The server's whole list replaces what was kept; answers the keys no longer followed. */
  setFollowedThreads(threads: readonly FollowedThread[]): string[] {
    const before = Object.keys(this.meta.data.followedThreads ?? {})
    this.meta.data.followedThreads = Object.fromEntries(threads.map((t) => [threadKey(t.conversationId, t.rootSeq), t]))
    this.scheduleFlush()
    return before.filter((key) => !this.meta.data.followedThreads![key])
  }

  private indexReplies(id: string, messages: readonly Message[]): void {
    for (const m of messages) {
      if (m.threadRoot === undefined) continue
      const index = (this.meta.data.threadReplies ??= {})
      const seqs = (index[threadKey(id, m.threadRoot)] ??= [])
      if (seqs.includes(m.seq)) continue
      seqs.push(m.seq)
      seqs.sort((a, b) => a - b)
    }
  }

  /** Replies up to `seq` left the cache (cleared or expired): they leave the threads' index too. */
  private dropReplies(id: string, seq: number): void {
    const index = this.meta.data.threadReplies
    if (!index) return
    for (const key of Object.keys(index)) {
      if (key.startsWith(`${id}:`)) index[key] = index[key]!.filter((s) => s > seq)
    }
  }

  /** History up to clearedSeq is hidden: drop it from the cache too. */
  async clear(id: string, clearedSeq: number): Promise<void> {
    this.dropReplies(id, clearedSeq)
    await this.dropThrough(id, clearedSeq)
    const conversation = this.conversation(id)
    if (conversation && conversation.clearedSeq < clearedSeq) {
      const lastMessage = conversation.lastMessage && conversation.lastMessage.seq <= clearedSeq ? null : conversation.lastMessage
      this.meta.data.conversations[id] = { ...conversation, clearedSeq, lastMessage, unreadCount: lastMessage ? conversation.unreadCount : 0, mentionCount: lastMessage ? conversation.mentionCount : 0 }
    }
    this.scheduleFlush()
  }

  /**
   * The server's retention deleted history up to expiredSeq: it leaves this
   * device too (chunks on disk included), so it is not kept offline either.
   */
  async expire(id: string, expiredSeq: number): Promise<void> {
    this.dropReplies(id, expiredSeq)
    await this.dropThrough(id, expiredSeq)
    const conversation = this.conversation(id)
    if (conversation && (conversation.expiredSeq ?? 0) < expiredSeq) {
      const lastMessage = conversation.lastMessage && conversation.lastMessage.seq <= expiredSeq ? null : conversation.lastMessage
      this.meta.data.conversations[id] = { ...conversation, expiredSeq, lastMessage, unreadCount: lastMessage ? conversation.unreadCount : 0, mentionCount: lastMessage ? conversation.mentionCount : 0 }
    }
    this.scheduleFlush()
  }

  /** Drops cached messages up to `seq`; the cached range then starts after it (or is empty). */
  private async dropThrough(id: string, seq: number): Promise<void> {
    const before = this.cursor(id)
    if (before.high === 0 || before.low > seq) return
    await this.chunks.dropRange(id, before.low, Math.min(seq, before.high))
    // Read again after the wait: an append meanwhile may have moved high or version.
    const cursor = this.cursor(id)
    this.meta.data.cursors[id] = seq >= cursor.high ? { low: 0, high: 0, version: cursor.version } : { ...cursor, low: seq + 1 }
    this.scheduleFlush()
  }

  range(id: string, from: number, to: number): Promise<Message[]> {
    return this.chunks.range(id, from, to)
  }

  /** Writes what changed: chunks first, then meta.json. Flushes run one after another. */
  flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer)
    this.flushTimer = null
    const run = this.flushing.then(async () => {
      // Conversations and cursors are replaced, never changed in place, so a
      // shallow copy taken now is the state the chunks below contain.
      const data = this.meta.data
      const snapshot: MetaData = { ...data, conversations: { ...data.conversations }, cursors: { ...data.cursors }, people: { ...data.people } }
      await this.chunks.flush()
      await this.metaFile.write(snapshot)
    })
    this.flushing = run.catch(() => undefined)
    return run
  }

  async close(): Promise<void> {
    this.closed = true
    await this.flush()
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.closed) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null
      // A failed background flush is retried by the next change; the data stays in memory.
      this.flush().catch(() => this.scheduleFlush())
    }, FLUSH_DELAY_MS)
  }
}

function activity(c: Conversation): string {
  return c.lastMessage?.createdAt ?? c.createdAt
}
