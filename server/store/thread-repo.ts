// Threads in the meta store's lowdb document: one record per thread (its
// replies) and one per user and thread (follow, read position), each saved
// as a journal line of its own, so a reply costs its thread's record, not the
// document. A thread's record grows with its replies (a few dozen bytes each).
import { recordChange, type Change } from './journal-changes'
import type { DbData, ThreadRecord } from './records'
import type { ThreadFollowRecord, ThreadReplyRecord } from './records'
import type { ThreadRepo } from './types'

const threadKey = (conversationId: string, rootSeq: number): string => `${conversationId}:${rootSeq}`
const followKey = (conversationId: string, rootSeq: number, userId: string): string => `${conversationId}:${rootSeq}:${userId}`

export class LowThreadRepo implements ThreadRepo {
  /** user id → keys of their follow records. */
  private readonly byUser = new Map<string, Set<string>>()
  /** thread key → user ids with a record in it. */
  private readonly byThread = new Map<string, Set<string>>()

  constructor(
    private readonly data: () => DbData,
    private readonly writeNow: (changes: Change[]) => Promise<void>
  ) {}

  /** Builds the indexes after the document was read; older documents get the collections. */
  load(): void {
    const data = this.data()
    data.threads ??= {}
    data.threadFollows ??= {}
    for (const f of Object.values(data.threadFollows)) this.index(f)
  }

  private get threads(): Record<string, ThreadRecord> {
    return (this.data().threads ??= {})
  }

  private get followRecords(): Record<string, ThreadFollowRecord> {
    return (this.data().threadFollows ??= {})
  }

  private index(f: ThreadFollowRecord): void {
    const key = followKey(f.conversationId, f.rootSeq, f.userId)
    let mine = this.byUser.get(f.userId)
    if (!mine) this.byUser.set(f.userId, (mine = new Set()))
    mine.add(key)
    const thread = threadKey(f.conversationId, f.rootSeq)
    let users = this.byThread.get(thread)
    if (!users) this.byThread.set(thread, (users = new Set()))
    users.add(f.userId)
  }

  private threadChange(key: string): Change {
    return recordChange('threads', key, () => this.threads[key])
  }

  private followChange(key: string): Change {
    return recordChange('threadFollows', key, () => this.followRecords[key])
  }

  /** The record, made (not following, nothing read) if missing; `changes` gets its line. */
  private record(conversationId: string, rootSeq: number, userId: string, changes: Change[]): ThreadFollowRecord {
    const key = followKey(conversationId, rootSeq, userId)
    let f = this.followRecords[key]
    if (!f) {
      f = { conversationId, rootSeq, userId, following: false, readSeq: 0 }
      this.followRecords[key] = f
      this.index(f)
    }
    changes.push(this.followChange(key))
    return f
  }

  async addReply(conversationId: string, rootSeq: number, reply: ThreadReplyRecord, follow: string[], followIfNew: string[]): Promise<void> {
    const key = threadKey(conversationId, rootSeq)
    const thread = (this.threads[key] ??= { conversationId, rootSeq, replies: [] })
    const changes: Change[] = []
    if (!thread.replies.some((r) => r.seq === reply.seq)) {
      thread.replies.push(reply)
      thread.replies.sort((a, b) => a.seq - b.seq)
      changes.push(this.threadChange(key))
    }
    for (const userId of followIfNew) {
      if (!this.followRecords[followKey(conversationId, rootSeq, userId)]) this.record(conversationId, rootSeq, userId, changes).following = true
    }
    for (const userId of follow) this.record(conversationId, rootSeq, userId, changes).following = true
    const sender = this.record(conversationId, rootSeq, reply.senderId, changes)
    sender.readSeq = Math.max(sender.readSeq, reply.seq)
    await this.writeNow(changes)
  }

  async removeReply(conversationId: string, rootSeq: number, seq: number): Promise<void> {
    const key = threadKey(conversationId, rootSeq)
    const thread = this.threads[key]
    if (!thread?.replies.some((r) => r.seq === seq)) return
    thread.replies = thread.replies.filter((r) => r.seq !== seq)
    await this.writeNow([this.threadChange(key)])
  }

  replies(conversationId: string, rootSeq: number): Promise<ThreadReplyRecord[]> {
    return Promise.resolve([...(this.threads[threadKey(conversationId, rootSeq)]?.replies ?? [])])
  }

  follows(conversationId: string, rootSeq: number): Promise<ThreadFollowRecord[]> {
    const users = this.byThread.get(threadKey(conversationId, rootSeq)) ?? []
    return Promise.resolve([...users].flatMap((userId) => this.followRecords[followKey(conversationId, rootSeq, userId)] ?? []).map((f) => ({ ...f })))
  }

  async follow(conversationId: string, rootSeq: number, userId: string, following: boolean): Promise<ThreadFollowRecord> {
    const changes: Change[] = []
    const f = this.record(conversationId, rootSeq, userId, changes)
    f.following = following
    await this.writeNow(changes)
    return { ...f }
  }

  async markRead(conversationId: string, rootSeq: number, userId: string, seq: number): Promise<ThreadFollowRecord> {
    const existing = this.followRecords[followKey(conversationId, rootSeq, userId)]
    if (existing && existing.readSeq >= seq) return { ...existing }
    const changes: Change[] = []
    const f = this.record(conversationId, rootSeq, userId, changes)
    f.readSeq = seq
    await this.writeNow(changes)
    return { ...f }
  }

  followedBy(userId: string): Promise<ThreadFollowRecord[]> {
    return Promise.resolve(
      [...(this.byUser.get(userId) ?? [])].flatMap((key) => {
        const f = this.followRecords[key]
        return f?.following ? [{ ...f }] : []
      })
    )
  }
}
