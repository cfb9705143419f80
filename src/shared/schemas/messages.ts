import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, queryInt, Timestamp } from './common'
import { Attachment } from './files'
import { Emoji } from './emoji'
import { hasVisibleText } from './hidden-characters'
import { PublicUser } from './users'

export const ClientId = z
  .string()
  .min(1)
  .max(LIMITS.clientIdMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, dash and underscore')

export const MessageText = z
  .string()
  .max(LIMITS.messageTextMax)
  .refine(hasVisibleText, 'must not be empty (or only invisible characters)')

/** What a system message records; clients render it in words, resolving ids to current names. */
export const SystemEvent = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('group_created'), title: z.string() }),
    z.object({ type: z.literal('members_added'), userIds: z.array(Id) }),
    z.object({ type: z.literal('member_removed'), userId: Id }),
    z.object({ type: z.literal('member_left'), userId: Id }),
    z.object({ type: z.literal('member_joined'), userId: Id, via: z.enum(['join_code', 'room']) }),
    z.object({ type: z.literal('role_changed'), userId: Id, role: z.enum(['admin', 'member']) }),
    z.object({ type: z.literal('group_renamed'), title: z.string() }),
    z.object({ type: z.literal('description_changed'), description: z.string() }),
    z.object({ type: z.literal('avatar_changed'), removed: z.boolean() }),
    z.object({ type: z.literal('join_code_changed'), enabled: z.boolean() }),
    z.object({ type: z.literal('message_pinned'), seq: z.number().int().min(1), pinned: z.boolean().describe('false: unpinned') }),
    z.object({
      type: z.literal('call_ended'),
      callId: Id,
      media: z.enum(['audio', 'video']),
      reason: z.enum(['completed', 'cancelled', 'missed', 'declined', 'busy', 'failed']),
      durationMs: z.number().int().min(0).nullable().describe('from answer to the last one leaving; null when never answered'),
      participantIds: z.array(Id).describe('everyone who was in the call')
    })
  ])
  .meta({ id: 'SystemEvent' })
export type SystemEvent = z.infer<typeof SystemEvent>

export const ReplyRef = z
  .object({ seq: z.number().int().min(1), senderId: Id, preview: z.string().describe('start of the quoted text') })
  .meta({ id: 'ReplyRef' })
export type ReplyRef = z.infer<typeof ReplyRef>

/** Where a forwarded message came from (its conversation may be one the reader cannot see: then only "Forwarded" shows). */
export const ForwardRef = z
  .object({ conversationId: Id, seq: z.number().int().min(1), senderId: Id, createdAt: Timestamp })
  .meta({ id: 'ForwardRef' })
export type ForwardRef = z.infer<typeof ForwardRef>

/** On a thread's root: what the conversation shows under it. Changes with each reply (as an update of the root). */
export const ThreadSummary = z
  .object({
    replyCount: z.number().int().min(0),
    lastReplyAt: Timestamp.nullable(),
    lastReplySeq: z.number().int().min(0),
    participantIds: z.array(Id).describe('who replied, most recent first, at most 5')
  })
  .meta({ id: 'ThreadSummary' })
export type ThreadSummary = z.infer<typeof ThreadSummary>

/** @here (members online when it was sent) or @all (every member). */
export const BroadcastMention = z.enum(['here', 'all'])
export type BroadcastMention = z.infer<typeof BroadcastMention>

/** A link preview the server fetched for the first http(s) link in the text (issue 21 item 5); its image is a stored file. */
export const LinkPreview = z
  .object({
    url: z.string().describe('the address previewed, as written in the text'),
    title: z.string(),
    description: z.string(),
    siteName: z.string().nullable(),
    image: z
      .object({ fileId: Id, width: z.number().int().nullable(), height: z.number().int().nullable() })
      .nullable()
      .describe('served like an attachment, at /api/v1/files/{fileId}')
  })
  .meta({ id: 'LinkPreview' })
export type LinkPreview = z.infer<typeof LinkPreview>

/** How a bot's or webhook's message presents itself (Slack's username and icon_url). */
export const BotProfile = z
  .object({ name: z.string(), iconUrl: z.string().nullable().describe('an address of this server, or null: the bot shows its initials') })
  .meta({ id: 'BotProfile' })
export type BotProfile = z.infer<typeof BotProfile>

export const MessageKind = z.enum(['text', 'system'])
export type MessageKind = z.infer<typeof MessageKind>

export const Message = z
  .object({
    id: Id,
    clientId: z.string(),
    conversationId: Id,
    seq: z.number().int().min(1),
    kind: MessageKind,
    senderId: Id.describe('for system messages: who made the change'),
    text: z.string().describe('empty for system messages'),
    system: SystemEvent.optional().describe('present when kind is system'),
    createdAt: Timestamp,
    replyTo: ReplyRef.optional().describe('the message this one answers, quoted as it was when answered'),
    mentions: z.array(Id).optional().describe('members mentioned, by id so renames do not break them; the text carries them as @username'),
    mentionAll: BroadcastMention.optional().describe('@here or @all in the text'),
    mentionGroups: z.array(Id).optional().describe('user groups mentioned (@handle in the text)'),
    mentioned: z
      .array(Id)
      .optional()
      .describe('members notified through @here (online when sent) or a user group, expanded by the server when sent; @all notifies every member without listing them'),
    threadRoot: z.number().int().min(1).optional().describe('seq of the thread root this message replies in'),
    alsoInConversation: z.boolean().optional().describe('a thread reply that is also shown in the conversation'),
    thread: ThreadSummary.optional().describe('on a thread root: its replies so far'),
    forwarded: ForwardRef.optional().describe('the message this one forwards (its text and files are copied)'),
    attachments: z.array(Attachment).optional().describe('files sent with the message, in order'),
    preview: LinkPreview.optional().describe('the link preview; comes as an update of the message once fetched, and goes when the sender removes it'),
    previewRemoved: z.literal(true).optional().describe('the sender removed the preview: none is fetched again, even after an edit'),
    botProfile: BotProfile.optional().describe('sent by a webhook or bot: the name and icon it posts as'),
    reactions: z.record(z.string(), z.array(Id)).optional().describe('emoji → who reacted, in order'),
    editedAt: Timestamp.optional(),
    deletedAt: Timestamp.optional().describe('deleted for everyone: text and the rest are gone'),
    version: z.number().int().min(1).optional().describe('the conversation change number of its last edit, deletion or reaction')
  })
  .meta({ id: 'Message' })
export type Message = z.infer<typeof Message>

export const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const PageLimit = z.number().int().min(1).max(LIMITS.pageSizeMax)

/** Paging fields as typed values (socket payloads). */
export const messagePageFields = {
  before: Seq.optional(),
  after: Seq.optional(),
  limit: PageLimit.optional()
}

/** The same fields as URL query strings: digits only, then the same checks. */
const queryPageFields = {
  before: queryInt(Seq).optional(),
  after: queryInt(Seq).optional(),
  limit: queryInt(PageLimit).optional()
}

export function notBeforeAndAfter(q: { before?: number | undefined; after?: number | undefined }): boolean {
  return q.before === undefined || q.after === undefined
}

export const MessagePageQuery = z
  .strictObject(queryPageFields)
  .refine(notBeforeAndAfter, { message: 'give before or after, not both' })
export type MessagePageQuery = z.infer<typeof MessagePageQuery>

/** Profiles of people history names who are no longer members: a page can always name its authors. */
const HistoryPeople = z
  .array(PublicUser)
  .default([])
  .describe('the people the messages name (senders, system events, mentions, replies, reactions) who are no longer members, so their names stay readable')

export const MessagePage = z
  .object({
    messages: z.array(Message).describe('in ascending seq order'),
    hasMore: z.boolean().describe('more messages exist beyond this page in the paging direction'),
    expiredSeq: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("retention deleted the messages up to here: a page asked from below it starts after it; drop them from a cache"),
    people: HistoryPeople
  })
  .meta({ id: 'MessagePage' })
export type MessagePage = z.infer<typeof MessagePage>

/** The fields of a new message; the text may be empty only when files are attached. */
export const sendMessageFields = {
  text: z.string().max(LIMITS.messageTextMax),
  /** seq of the message answered. */
  replyTo: z.number().int().min(1).optional(),
  /** Members mentioned in the text; others are dropped. */
  mentions: z.array(Id).max(LIMITS.mentionsMax).optional(),
  /** Ids of the sender's completed uploads to this conversation. */
  attachments: z.array(Id).min(1).max(LIMITS.attachmentsMax).optional(),
  /** @here or @all written in the text; a group may allow them to admins only (others get 403 forbidden). */
  mentionAll: BroadcastMention.optional(),
  /** User groups written as @handle in the text; unknown ids are dropped. */
  mentionGroups: z.array(Id).max(LIMITS.mentionsMax).optional(),
  /** Reply in the thread of this root (a seq of the same conversation, itself not a reply in a thread). */
  threadRoot: z.number().int().min(1).optional(),
  /** With threadRoot: also show the reply in the conversation ("also send to the conversation"). */
  alsoInConversation: z.boolean().optional(),
  /** Forward a message the sender can read: its text (unless text is given) and files are copied without sending bytes again. */
  forward: z.strictObject({ conversationId: Id, seq: z.number().int().min(1) }).optional(),
  /** Issue 21: send later, at this time (at least a few seconds ahead, at most a year): answered { scheduled } instead of { message }. */
  sendAt: Timestamp.optional()
}

export function textOrAttachments(m: { text: string; attachments?: string[] | undefined; forward?: unknown }): boolean {
  return hasVisibleText(m.text) || (m.attachments?.length ?? 0) > 0 || m.forward !== undefined
}
export const TEXT_OR_FILES = { message: 'must not be empty or only invisible characters (unless files are attached)', path: ['text'] }

export const SendMessageBody = z.strictObject({ clientId: ClientId, ...sendMessageFields }).refine(textOrAttachments, TEXT_OR_FILES)
export type SendMessageBody = z.infer<typeof SendMessageBody>

export const MessageResponse = z.object({ message: Message })

export const MarkReadBody = z.strictObject({ seq: z.number().int().min(0) })

export const MessageParams = z.strictObject({ id: Id, seq: queryInt(z.number().int().min(1)) })

export const EditMessageBody = z.strictObject({
  text: MessageText,
  mentions: z.array(Id).max(LIMITS.mentionsMax).optional(),
  mentionAll: BroadcastMention.optional(),
  mentionGroups: z.array(Id).max(LIMITS.mentionsMax).optional()
})
export type EditMessageBody = z.infer<typeof EditMessageBody>

// In its own file so users.ts (the custom status's emoji) can use it without a circle.
export { Emoji } from './emoji'
export const ReactBody = z.strictObject({ emoji: Emoji })

export const ChangesQuery = z.strictObject({
  since: queryInt(Seq),
  limit: queryInt(PageLimit).optional()
})

export const ChangesPage = z
  .object({
    messages: z.array(Message).describe('changed since the given version, in order of change'),
    version: z.number().int().min(0).describe('the version to ask from next time'),
    hasMore: z.boolean(),
    people: HistoryPeople
  })
  .meta({ id: 'ChangesPage' })
export type ChangesPage = z.infer<typeof ChangesPage>
