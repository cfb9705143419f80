// Threads: replies to one message, shown beside the conversation. A reply is
// a message of the same conversation (its own seq, caught up like any other)
// whose threadRoot names the root; the root carries a ThreadSummary.
import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, queryInt, Timestamp } from './common'
import { Message, Seq } from './messages'
import { PublicUser } from './users'

export const ThreadParams = z.strictObject({ id: Id, seq: queryInt(z.number().int().min(1)) })

/** Replies after `after` (a reply's seq) or before `before`, oldest first. */
export const ThreadPageQuery = z.strictObject({
  before: queryInt(Seq).optional(),
  after: queryInt(Seq).optional(),
  limit: queryInt(z.number().int().min(1).max(LIMITS.pageSizeMax)).optional()
})
export type ThreadPageQuery = z.infer<typeof ThreadPageQuery>

export const ThreadPage = z
  .object({
    root: Message,
    replies: z.array(Message).describe('in ascending seq order'),
    hasMore: z.boolean().describe('more replies exist beyond this page in the paging direction'),
    people: z.array(PublicUser).default([]).describe('people named who are no longer members')
  })
  .meta({ id: 'ThreadPage' })
export type ThreadPage = z.infer<typeof ThreadPage>

/** A thread the caller follows: they wrote in it, started it, were mentioned in it, or chose to follow. */
export const FollowedThread = z
  .object({
    conversationId: Id,
    rootSeq: z.number().int().min(1),
    root: Message,
    readSeq: z.number().int().min(0).describe("the caller's read position among the replies (a reply's seq)"),
    unreadCount: z.number().int().min(0),
    mentionCount: z.number().int().min(0),
    lastReplyAt: Timestamp.nullable()
  })
  .meta({ id: 'FollowedThread' })
export type FollowedThread = z.infer<typeof FollowedThread>

export const FollowedThreadsResponse = z.object({ threads: z.array(FollowedThread).describe('unread first, then by last reply, newest first') })
export const FollowBody = z.strictObject({ following: z.boolean() })
export const ThreadReadBody = z.strictObject({ seq: z.number().int().min(0) })
export type FollowBody = z.infer<typeof FollowBody>
export type ThreadReadBody = z.infer<typeof ThreadReadBody>

/** A follow or a read: the caller's view of the thread now. */
export const FollowedThreadResponse = z.object({ thread: FollowedThread, following: z.boolean() }).meta({ id: 'FollowedThreadResponse' })
export type FollowedThreadResponse = z.infer<typeof FollowedThreadResponse>

/** Socket payloads (the client core pages by socket, as message:list). */
const ThreadRef = { conversationId: Id, rootSeq: z.number().int().min(1) }
export const ThreadPagePayload = z.strictObject({
  ...ThreadRef,
  before: Seq.optional(),
  after: Seq.optional(),
  limit: z.number().int().min(1).max(LIMITS.pageSizeMax).optional()
})
export type ThreadPagePayload = z.infer<typeof ThreadPagePayload>
export const ThreadFollowPayload = z.strictObject({ ...ThreadRef, following: z.boolean() })
export type ThreadFollowPayload = z.infer<typeof ThreadFollowPayload>
export const ThreadReadPayload = z.strictObject({ ...ThreadRef, seq: z.number().int().min(0) })
export type ThreadReadPayload = z.infer<typeof ThreadReadPayload>
