// What a thread's records add up to: the root's ThreadSummary and each
// follower's FollowedThread. Derived from the thread's replies (ThreadRepo),
// so a summary left behind by a crash is recomputed whole by the next reply,
// deletion or a retried send, never patched by one.
import type { Message, ThreadSummary } from '../../src/shared/schemas/messages'
import type { FollowedThread } from '../../src/shared/schemas/threads'
import type { ThreadFollowRecord, ThreadReplyRecord } from '../store/records'

const PARTICIPANTS_SHOWN = 5

/** `replies` in ascending seq. */
export function summarize(replies: readonly ThreadReplyRecord[]): ThreadSummary {
  const last = replies.at(-1)
  const participantIds: string[] = []
  for (let i = replies.length - 1; i >= 0 && participantIds.length < PARTICIPANTS_SHOWN; i--) {
    const id = replies[i]!.senderId
    if (!participantIds.includes(id)) participantIds.push(id)
  }
  return { replyCount: replies.length, lastReplyAt: last?.createdAt ?? null, lastReplySeq: last?.seq ?? 0, participantIds }
}

export function sameSummary(a: ThreadSummary | undefined, b: ThreadSummary): boolean {
  return (
    a !== undefined &&
    a.replyCount === b.replyCount &&
    a.lastReplyAt === b.lastReplyAt &&
    a.lastReplySeq === b.lastReplySeq &&
    a.participantIds.join() === b.participantIds.join()
  )
}

/** A follower's view: replies by others after their read position (and above `floor`, their cleared history) are unread. */
export function followedThread(follow: ThreadFollowRecord, root: Message, replies: readonly ThreadReplyRecord[], floor = 0): FollowedThread {
  const unread = replies.filter((r) => r.seq > Math.max(follow.readSeq, floor) && r.senderId !== follow.userId)
  return {
    conversationId: follow.conversationId,
    rootSeq: follow.rootSeq,
    root,
    readSeq: follow.readSeq,
    unreadCount: unread.length,
    mentionCount: unread.filter((r) => r.mentionAll || r.mentioned.includes(follow.userId)).length,
    lastReplyAt: replies.at(-1)?.createdAt ?? null
  }
}

/** Unread first, then by last reply, newest first. */
export function byUnreadThenRecent(a: FollowedThread, b: FollowedThread): number {
  const unread = Number(b.unreadCount > 0) - Number(a.unreadCount > 0)
  return unread || (b.lastReplyAt ?? b.root.createdAt).localeCompare(a.lastReplyAt ?? a.root.createdAt)
}
