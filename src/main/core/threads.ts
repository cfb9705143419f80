// One account's threads in the client core: the panel's data from the cache
// (readable offline), brought up to date from the server when online; the
// followed threads kept in the cache and told to the window as they change.
import type { ThreadView } from '../../shared/ipc'
import { LIMITS } from '../../shared/limits'
import { FollowedThread, FollowedThreadResponse, ThreadPage } from '../../shared/schemas/threads'
import { threadKey } from '../../shared/threads'
import { z } from 'zod'
import type { AccountContext } from './context'
import { ClientError } from './errors'
import { fromServer } from './server-data'
import type { Sync } from './sync'

const FollowedList = z.object({ threads: z.array(FollowedThread) })

export class AccountThreads {
  constructor(
    private readonly ctx: AccountContext,
    private readonly sync: Sync
  ) {}

  /** The thread's root and replies; the newest page of replies is fetched first when online. */
  async page(conversationId: string, rootSeq: number): Promise<ThreadView> {
    const { cache, realtime, outbox } = this.ctx
    const conversation = cache.conversation(conversationId)
    if (!conversation) throw new ClientError('not_found', 'no such conversation in this account')
    let hasMore = false
    if (realtime.connected) {
      const page = fromServer(ThreadPage, await realtime.call('thread:get', { conversationId, rootSeq, limit: LIMITS.pageSizeMax }), 'thread')
      this.sync.learnPeople(page.people)
      await cache.putThread(conversationId, [page.root, ...page.replies])
      hasMore = page.hasMore
    }
    const { root, replies } = await cache.thread(conversationId, rootSeq)
    const floor = Math.max(conversation.clearedSeq, conversation.expiredSeq ?? 0)
    const pending = outbox.forConversation(conversationId).filter((p) => p.threadRoot === rootSeq)
    return { root: root && root.seq > floor ? root : null, replies: replies.filter((m) => m.seq > floor), pending, hasMore }
  }

  /** The cached list, after the server's when online. */
  async list(): Promise<FollowedThread[]> {
    if (this.ctx.realtime.connected) await this.refresh()
    return this.ctx.cache.followedThreads()
  }

  /** The server's list replaces the cached one (on connecting: what changed while away); the window hears of it. */
  async refresh(): Promise<void> {
    const { threads } = fromServer(FollowedList, await this.ctx.realtime.call('thread:list', {}), 'followed threads')
    const removed = this.ctx.cache.setFollowedThreads(threads)
    this.ctx.events.emit('followedThreads', { upserted: threads, removed })
  }

  /** thread:updated from the server: a reply came, or a read or follow on any of the user's devices. */
  onUpdated(payload: unknown): void {
    const { thread, following } = fromServer(FollowedThreadResponse, payload, 'thread update')
    this.ctx.cache.putFollowedThread(thread, following)
    const key = threadKey(thread.conversationId, thread.rootSeq)
    this.ctx.events.emit('followedThreads', following ? { upserted: [thread], removed: [] } : { upserted: [], removed: [key] })
  }

  /** Read up to seq: the count clears at once here, the server (and the other devices) hear when online. */
  async read(conversationId: string, rootSeq: number, seq: number): Promise<FollowedThread | null> {
    const { cache, realtime } = this.ctx
    const known = cache.followedThreads().find((t) => t.conversationId === conversationId && t.rootSeq === rootSeq)
    if (known && seq > known.readSeq) {
      const local = { ...known, readSeq: seq, unreadCount: 0, mentionCount: 0 }
      cache.putFollowedThread(local, true)
      this.ctx.events.emit('followedThreads', { upserted: [local], removed: [] })
    }
    if (!realtime.connected) return known ?? null
    const answer = fromServer(FollowedThreadResponse, await realtime.call('thread:read', { conversationId, rootSeq, seq }), 'thread read')
    this.onUpdated(answer)
    return answer.thread
  }

  async follow(conversationId: string, rootSeq: number, following: boolean): Promise<FollowedThread> {
    const answer = fromServer(FollowedThreadResponse, await this.ctx.realtime.call('thread:follow', { conversationId, rootSeq, following }), 'thread follow')
    this.onUpdated(answer)
    return answer.thread
  }
}
