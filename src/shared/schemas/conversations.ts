import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, lineText, Timestamp } from './common'
import { Message } from './messages'
import { PublicUser } from './users'

export const ConversationKind = z.enum(['direct', 'group', 'room'])
export type ConversationKind = z.infer<typeof ConversationKind>

export const MemberRole = z.enum(['admin', 'member'])
export type MemberRole = z.infer<typeof MemberRole>

export const Member = z
  .object({
    user: PublicUser,
    role: MemberRole,
    joinedAt: Timestamp,
    readSeq: z.number().int().min(0).describe('read receipts: this member has read up to here'),
    deliveredSeq: z.number().int().min(0).describe('delivery receipts: a device of this member has received up to here')
  })
  .meta({ id: 'Member' })
export type Member = z.infer<typeof Member>

export const Conversation = z
  .object({
    id: Id,
    kind: ConversationKind,
    title: z.string().nullable().describe('null for direct chats: show the other member'),
    description: z.string(),
    avatar: z.string().nullable().describe('a data: URL, or null'),
    createdAt: Timestamp,
    createdBy: Id,
    members: z.array(Member),
    lastSeq: z.number().int().min(0),
    version: z.number().int().min(0).describe('latest edit/deletion/reaction number: fetch changes since your last one'),
    lastMessage: Message.nullable(),
    readSeq: z.number().int().min(0).describe("the caller's read position"),
    clearedSeq: z.number().int().min(0).describe('the caller cleared their history up to here: older messages are hidden'),
    expiredSeq: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("the server's retention deleted the messages up to here, for everyone; a client drops them from its cache"),
    unreadCount: z.number().int().min(0).describe('messages after readSeq, leaving out system messages and thread replies not also sent to the conversation'),
    mentionCount: z.number().int().min(0).default(0).describe('of those, the ones that mention the caller (by name, @here, @all or a user group)'),
    broadcastMentions: z
      .enum(['everyone', 'admins'])
      .default('everyone')
      .describe('who may write @here and @all (groups; rooms follow their admins too; direct chats: everyone)')
  })
  .meta({ id: 'Conversation' })
export type Conversation = z.infer<typeof Conversation>

export const GroupTitle = lineText(1, LIMITS.groupTitleMax)

export const CreateConversationBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('direct'), userId: Id }),
  z.strictObject({
    kind: z.literal('group'),
    title: GroupTitle,
    memberIds: z.array(Id).max(LIMITS.groupMembersMax)
  })
])
export type CreateConversationBody = z.infer<typeof CreateConversationBody>

export const ConversationParams = z.strictObject({ id: Id })

export const ConversationResponse = z.object({ conversation: Conversation })
export const ConversationListResponse = z.object({
  conversations: z.array(Conversation),
  /** Present once the server's history was restored from a backup: a cache filled under another epoch is stale. */
  historyEpoch: z.string().optional()
})
export type ConversationListResponse = z.infer<typeof ConversationListResponse>
