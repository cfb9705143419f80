// Threads: replies to one message in a panel beside the conversation. A reply
// is an ordinary message of the conversation (own seq, caught up like any
// other) carrying threadRoot; the root carries a ThreadSummary, updated as a
// change of the root (MessageRepo.mutate), so message:updated and the changes
// feed bring it to every client. Followers and read positions are per user.
import { LIMITS } from '../../src/shared/limits'
import type { Message } from '../../src/shared/schemas/messages'
import type { FollowedThread, ThreadPage, ThreadPageQuery } from '../../src/shared/schemas/threads'
import { AppError, notFound } from '../errors'
import type { ThreadReplyRecord } from '../store/records'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'
import { formerMembersNamed } from './history-people'
import { messageAt } from './message-at'
import { byUnreadThenRecent, followedThread, sameSummary, summarize } from './thread-summary'

/** What a reply, a deletion, a follow or a read changed, for the broadcaster. */
export interface ThreadChange {
  /** The root's new state when its summary changed (message:updated to the members). */
  root: Message | null
  /** thread:updated to each of these users' devices. */
  updates: { userId: string; thread: FollowedThread; following: boolean }[]
}

export class ThreadService {
  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService
  ) {}

  /** The root a send names in threadRoot, checked: a live text message of the conversation, not itself a reply in a thread. */
  async checkRoot(conversationId: string, rootSeq: number, floor: number): Promise<Message> {
    const root = await this.threadable(conversationId, rootSeq, floor)
    if (root.deletedAt) throw new AppError('validation_failed', `body.threadRoot: message ${rootSeq} was deleted`)
    return root
  }

  /** A message that can have a thread (deleted ones keep theirs: it can still be read, followed or left). */
  private async threadable(conversationId: string, rootSeq: number, floor: number): Promise<Message> {
    const root = await messageAt(this.store.messages, conversationId, rootSeq, floor)
    if (!root) throw notFound(`thread root: message ${rootSeq} of this conversation`)
    if (root.kind !== 'text') throw new AppError('validation_failed', `threadRoot: message ${rootSeq} is a system message, which has no thread`)
    if (root.threadRoot !== undefined) {
      throw new AppError('validation_failed', `threadRoot: message ${rootSeq} is itself a reply in the thread of ${root.threadRoot}`)
    }
    return root
  }

  /**
   * After a reply is durable (also again, for a retried send: it repairs what a
   * crash between the two writes left): records it, makes its sender, the
   * people it names and the root's author follow, and brings the root's
   * summary up to date, durably, before the sender's ack.
   */
  async replied(reply: Message, rootAuthorId: string): Promise<ThreadChange> {
    const rootSeq = reply.threadRoot!
    const record: ThreadReplyRecord = {
      seq: reply.seq,
      senderId: reply.senderId,
      createdAt: reply.createdAt,
      mentioned: [...new Set([...(reply.mentions ?? []), ...(reply.mentioned ?? [])])],
      mentionAll: reply.mentionAll !== undefined
    }
    return this.inThread(reply.conversationId, rootSeq, async () => {
      await this.store.threads.addReply(reply.conversationId, rootSeq, record, [reply.senderId, ...record.mentioned], [rootAuthorId])
    })
  }

  /** A reply was deleted: it leaves the counts and the summary. */
  async removed(conversationId: string, rootSeq: number, seq: number): Promise<ThreadChange> {
    return this.inThread(conversationId, rootSeq, () => this.store.threads.removeReply(conversationId, rootSeq, seq))
  }

  /** The root and a page of its replies, oldest first; the newest page without before/after. Members only; cleared and expired history stays hidden. */
  async page(userId: string, conversationId: string, rootSeq: number, query: ThreadPageQuery): Promise<ThreadPage> {
    const { membership } = await this.conversations.requireMembership(conversationId, userId)
    const cleared = membership.clearedSeq ?? 0
    const root = await this.threadable(conversationId, rootSeq, cleared)
    const floor = Math.max(cleared, await this.store.messages.expiredSeq(conversationId))
    const all = (await this.store.threads.replies(conversationId, rootSeq)).filter((r) => r.seq > floor).map((r) => r.seq)
    const limit = query.limit ?? LIMITS.pageSizeDefault
    let seqs: number[]
    let hasMore: boolean
    if (query.after !== undefined) {
      const later = all.filter((s) => s > query.after!)
      seqs = later.slice(0, limit)
      hasMore = later.length > limit
    } else {
      const earlier = query.before === undefined ? all : all.filter((s) => s < query.before!)
      seqs = earlier.slice(-limit)
      hasMore = earlier.length > limit
    }
    const replies = await this.messagesAt(conversationId, seqs, floor)
    return { root, replies, hasMore, people: await formerMembersNamed(this.store, conversationId, [root, ...replies]) }
  }

  /** The caller's followed threads in conversations they are still in, unread first. */
  async list(userId: string): Promise<FollowedThread[]> {
    const threads: FollowedThread[] = []
    for (const follow of await this.store.threads.followedBy(userId)) {
      const found = await this.store.conversations.withMembership(follow.conversationId, userId)
      if (!found?.membership) continue
      const floor = found.membership.clearedSeq ?? 0
      const root = await messageAt(this.store.messages, follow.conversationId, follow.rootSeq, floor)
      if (!root) continue
      threads.push(followedThread(follow, root, await this.store.threads.replies(follow.conversationId, follow.rootSeq), floor))
    }
    return threads.sort(byUnreadThenRecent)
  }

  /** Follows or unfollows a thread (of a message that can have one). */
  async follow(userId: string, conversationId: string, rootSeq: number, following: boolean): Promise<ThreadChange> {
    const { membership } = await this.conversations.requireMembership(conversationId, userId)
    const root = await this.threadable(conversationId, rootSeq, membership.clearedSeq ?? 0)
    const record = await this.store.threads.follow(conversationId, rootSeq, userId, following)
    const replies = await this.store.threads.replies(conversationId, rootSeq)
    return { root: null, updates: [{ userId, following, thread: followedThread(record, root, replies, membership.clearedSeq ?? 0) }] }
  }

  /** Moves the caller's read position in a thread forward (never back); their devices hear of it. */
  async read(userId: string, conversationId: string, rootSeq: number, seq: number): Promise<ThreadChange> {
    const { membership } = await this.conversations.requireMembership(conversationId, userId)
    const floor = membership.clearedSeq ?? 0
    const root = await this.threadable(conversationId, rootSeq, floor)
    const record = await this.store.threads.markRead(conversationId, rootSeq, userId, seq)
    const replies = await this.store.threads.replies(conversationId, rootSeq)
    return { root: null, updates: [{ userId, following: record.following, thread: followedThread(record, root, replies, floor) }] }
  }

  /**
   * Runs a change of the thread's replies, then derives the root's summary from
   * them, one at a time per thread (on every node): the last to run sees every
   * reply, so concurrent replies never leave a stale count.
   */
  private inThread(conversationId: string, rootSeq: number, change: () => Promise<void>): Promise<ThreadChange> {
    return this.store.locks.run(`thread:${conversationId}:${rootSeq}`, async () => {
      await change()
      const replies = await this.store.threads.replies(conversationId, rootSeq)
      const summary = summarize(replies)
      const result = await this.store.messages.mutate(conversationId, rootSeq, (m) => (sameSummary(m.thread, summary) ? null : { ...m, thread: summary }))
      if (!result) return { root: null, updates: [] }
      const members = await this.store.conversations.members(conversationId)
      const floors = new Map(members.map((m) => [m.userId, m.clearedSeq ?? 0]))
      const updates = (await this.store.threads.follows(conversationId, rootSeq))
        .filter((f) => f.following && floors.has(f.userId))
        .map((f) => ({ userId: f.userId, following: true, thread: followedThread(f, result.message, replies, floors.get(f.userId)) }))
      return { root: result.changed ? result.message : null, updates }
    })
  }

  /** Messages at these seqs (ascending), read as one page when they lie close together. */
  private async messagesAt(conversationId: string, seqs: number[], floor: number): Promise<Message[]> {
    if (seqs.length === 0) return []
    const lo = seqs[0]!
    const span = seqs.at(-1)! - lo + 1
    const wanted = new Set(seqs)
    if (span <= LIMITS.pageSizeMax) {
      const page = await this.store.messages.page(conversationId, { after: lo - 1, limit: span }, floor)
      return page.messages.filter((m) => wanted.has(m.seq))
    }
    const found = await Promise.all(seqs.map((seq) => messageAt(this.store.messages, conversationId, seq, floor)))
    return found.filter((m): m is Message => m !== null)
  }
}
