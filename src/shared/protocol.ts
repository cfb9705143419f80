// The Socket.IO contract. Types are not validation: the server parses every
// payload with the schemas below before use.
import type { NotificationPrefs, UpdateNotificationPrefsBody } from './schemas/notification-prefs'
import { z } from 'zod'
import type { Result } from './errors'
import { LIMITS } from './limits'
import { Id } from './schemas/common'
import type {
  Call,
  CallEnded,
  CallJoined,
  CallJoinPayload,
  CallMediaPayload,
  CallRefPayload,
  CallSignal,
  CallSignalPayload,
  CallStartPayload
} from './schemas/calls'
import type { Invitation } from './schemas/contacts'
import type { Conversation, ConversationListResponse } from './schemas/conversations'
import type { ReceiptPayload, ReceiptUpdate } from './schemas/receipts'
import {
  messagePageFields,
  notBeforeAndAfter,
  ClientId,
  sendMessageFields,
  textOrAttachments,
  TEXT_OR_FILES,
  EditMessageBody,
  ReactBody,
  type ChangesPage,
  type Message,
  type MessagePage
} from './schemas/messages'
import type {
  ListPresencePayload,
  Presence,
  PresenceList,
  PresenceStatus,
  SetPresencePayload,
  TypingPayload,
  TypingStarted,
  TypingUpdate
} from './schemas/presence'
import type { Me, PublicUser } from './schemas/users'
import type { Draft } from './schemas/drafts'
import type { ScheduledMessage, ScheduledRefPayload, ScheduledUpdate, SendResponse, UpdateScheduledPayload } from './schemas/scheduled'
import type { MarkUnreadPayload } from './schemas/message-menu'
import type { Pin } from './schemas/pins'
import type { SavedItem } from './schemas/saved'
import type { FollowedThread, FollowedThreadResponse, ThreadFollowPayload, ThreadPage, ThreadPagePayload, ThreadReadPayload } from './schemas/threads'
import type { UserGroup } from './schemas/user-groups'

export const SendMessagePayload = z
  .strictObject({ clientId: ClientId, conversationId: Id, ...sendMessageFields })
  .refine(textOrAttachments, TEXT_OR_FILES)
export type SendMessagePayload = z.infer<typeof SendMessagePayload>

const MessageRef = { conversationId: Id, seq: z.number().int().min(1) }
export const MessageRefPayload = z.strictObject(MessageRef)
export type MessageRefPayload = z.infer<typeof MessageRefPayload>
export const EditMessagePayload = EditMessageBody.extend(MessageRef)
export type EditMessagePayload = z.infer<typeof EditMessagePayload>
export const ReactPayload = ReactBody.extend(MessageRef)
export type ReactPayload = z.infer<typeof ReactPayload>
export const ChangesPayload = z.strictObject({
  conversationId: Id,
  since: z.number().int().min(0),
  limit: z.number().int().min(1).max(LIMITS.pageSizeMax).optional()
})
export type ChangesPayload = z.infer<typeof ChangesPayload>

export const ListMessagesPayload = z
  .strictObject({ conversationId: Id, ...messagePageFields })
  .refine(notBeforeAndAfter, { message: 'give before or after, not both' })
export type ListMessagesPayload = z.infer<typeof ListMessagesPayload>

export type Ack<T> = (result: Result<T>) => void

export interface ClientToServerEvents {
  /** With sendAt (issue 21): scheduled instead, acked { scheduled }. */
  'message:send': (payload: SendMessagePayload, ack: Ack<SendResponse>) => void
  /** Pages of a conversation's history; `after` a cursor fetches what was missed. */
  'message:list': (payload: ListMessagesPayload, ack: Ack<MessagePage>) => void
  /** Every conversation of the caller with its lastSeq, to compare with local cursors. */
  'conversation:list': (payload: Record<string, never>, ack: Ack<ConversationListResponse>) => void
  'message:edit': (payload: EditMessagePayload, ack: Ack<{ message: Message }>) => void
  'message:delete': (payload: MessageRefPayload, ack: Ack<{ message: Message }>) => void
  'message:react': (payload: ReactPayload, ack: Ack<{ message: Message }>) => void
  /** Issue 21: the sender takes the link preview off their message (it stays off, even after edits); acked with the message. */
  'message:removePreview': (payload: MessageRefPayload, ack: Ack<{ message: Message }>) => void
  /** Edits, deletions and reactions since a version: catch-up after a reconnect. */
  'message:changes': (payload: ChangesPayload, ack: Ack<ChangesPage>) => void
  /** "I have read up to seq" (implies delivered); the ack carries the cursors now. */
  'receipt:read': (payload: ReceiptPayload, ack: Ack<{ readSeq: number; deliveredSeq: number }>) => void
  /** Issue 20, mark unread from here: the read position goes back to just before seq; acked with the caller's view of the conversation. */
  'receipt:unread': (payload: MarkUnreadPayload, ack: Ack<{ conversation: Conversation }>) => void
  /** "A device of mine has received up to seq". */
  'receipt:delivered': (payload: ReceiptPayload, ack: Ack<{ readSeq: number; deliveredSeq: number }>) => void
  /** This device is active (online) or idle (away); acked with the user's overall status. */
  'presence:set': (payload: SetPresencePayload, ack: Ack<{ status: PresenceStatus }>) => void
  /** Current presence of people the caller shares a conversation with (all of them without userIds). */
  'presence:list': (payload: ListPresencePayload, ack: Ack<PresenceList>) => void
  /** The caller is typing in a conversation; renew before `timeoutMs` or the indicator stops. */
  'typing:start': (payload: TypingPayload, ack: Ack<TypingStarted>) => void
  'typing:stop': (payload: TypingPayload, ack: Ack<Record<string, never>>) => void
  /**
   * Starts a call in a conversation the caller is a member of (every other
   * member's devices ring), or joins the one already running there. A direct
   * call to someone already in a call ends at once as `busy`.
   */
  'call:start': (payload: CallStartPayload, ack: Ack<CallJoined>) => void
  /** Answers a ringing call, joins a running one, or rejoins after a reconnect with the same peerId. `call_full` past 8. */
  'call:join': (payload: CallJoinPayload, ack: Ack<CallJoined>) => void
  /** Stops the ringing on every device of the caller; when no callee is left ringing and nobody answered, the call ends `declined`. */
  'call:decline': (payload: CallRefPayload, ack: Ack<Record<string, never>>) => void
  /** This window leaves. A direct call ends when one side is left; a group or room call runs while anyone is in it or rings. */
  'call:leave': (payload: CallJoinPayload, ack: Ack<Record<string, never>>) => void
  /** Relays an offer, answer or ICE candidate to another participant of the call; never stored. */
  'call:signal': (payload: CallSignalPayload, ack: Ack<Record<string, never>>) => void
  /** This window's microphone, camera and screen state, shown to the others. */
  'call:media': (payload: CallMediaPayload, ack: Ack<{ call: Call }>) => void
  /** The calls running or ringing in the caller's conversations (after a reconnect). */
  'call:list': (payload: Record<string, never>, ack: Ack<{ calls: Call[] }>) => void
  // Threads (issue 20, item 3): as GET/PUT/POST under /conversations/{id}/threads/{seq} and GET /threads.
  /** A thread's root and a page of its replies (the newest without before/after). */
  'thread:get': (payload: ThreadPagePayload, ack: Ack<ThreadPage>) => void
  /** The caller's followed threads, unread first. */
  'thread:list': (payload: Record<string, never>, ack: Ack<{ threads: FollowedThread[] }>) => void
  'thread:follow': (payload: ThreadFollowPayload, ack: Ack<FollowedThreadResponse>) => void
  /** "I have read this thread up to seq"; the caller's other devices hear thread:updated. */
  'thread:read': (payload: ThreadReadPayload, ack: Ack<FollowedThreadResponse>) => void
  /** Issue 21: the caller's notification preferences and do-not-disturb. */
  'notification-prefs:get': (payload: Record<string, never>, ack: Ack<{ prefs: NotificationPrefs }>) => void
  /** A PATCH of them; the caller's other sockets get notification-prefs:updated. */
  'notification-prefs:update': (payload: UpdateNotificationPrefsBody, ack: Ack<{ prefs: NotificationPrefs }>) => void
  // Scheduled messages (issue 21 item 4): as GET /scheduled, PATCH, DELETE and POST /scheduled/{id}/send.
  /** The caller's scheduled messages, soonest first. */
  'scheduled:list': (payload: Record<string, never>, ack: Ack<{ scheduled: ScheduledMessage[] }>) => void
  /** A new text or time (a failed one waits again). */
  'scheduled:update': (payload: z.infer<typeof UpdateScheduledPayload>, ack: Ack<{ scheduled: ScheduledMessage }>) => void
  'scheduled:cancel': (payload: z.infer<typeof ScheduledRefPayload>, ack: Ack<Record<string, never>>) => void
  /** Sends it now (as its time had come); acked with the message. */
  'scheduled:send': (payload: z.infer<typeof ScheduledRefPayload>, ack: Ack<{ message: Message }>) => void
}

export interface ServerToClientEvents {
  /** A message to a conversation; heard again when its sender retries a send whose answer was lost (keep one per seq). */
  'message:new': (payload: { message: Message }) => void
  'conversation:new': (payload: { conversation: Conversation }) => void
  /** Title, description, avatar, members or roles changed; the system message comes as message:new. */
  'conversation:updated': (payload: { conversation: Conversation }) => void
  'receipt:update': (payload: ReceiptUpdate) => void
  /** A message was edited, deleted for everyone, or reacted to: its whole new state. */
  'message:updated': (payload: { message: Message }) => void
  /** The user cleared this conversation's history on one device: hide it on all. */
  'conversation:cleared': (payload: { conversationId: string; clearedSeq: number }) => void
  /** The server's retention deleted this conversation's history up to expiredSeq, for everyone: drop it. */
  'conversation:expired': (payload: { conversationId: string; expiredSeq: number }) => void
  /** The caller lost access: removed by an admin, left (on another device), or the group was deleted. */
  'conversation:removed': (payload: { conversationId: string; reason: 'removed' | 'left' | 'deleted' }) => void
  /** A person the caller shares a conversation with came online, went away or went offline. */
  'presence:update': (payload: Presence) => void
  /** Someone else in a conversation started or stopped typing. */
  'typing:update': (payload: TypingUpdate) => void
  /** A contact invitation was sent, to or by the caller (to both people, on every device). */
  'invitation:new': (payload: { invitation: Invitation }) => void
  /** An invitation was accepted, declined or cancelled (to both people). */
  'invitation:updated': (payload: { invitation: Invitation }) => void
  /** The caller and `user` are now contacts. */
  'contact:added': (payload: { user: PublicUser }) => void
  /** The caller and this user are no longer contacts (either of them removed the other). */
  'contact:removed': (payload: { userId: string }) => void
  /** The caller's own account changed (profile edited on another device, made or no longer a server admin). */
  'account:updated': (payload: { user: Me }) => void
  /**
   * Events may have been lost (between the server's nodes, while Redis was
   * away): catch up from the server as after a reconnect. Clients wait a
   * random moment first, so they do not all ask at once.
   */
  'sync:stale': (payload: { reason: 'redis' }) => void
  /** A call rings on this user's devices (sent to each callee; the call also comes as call:updated). */
  'call:ring': (payload: { call: Call }) => void
  /** A call started, rang, was answered, or someone joined, left or changed their media: to the conversation's members. */
  'call:updated': (payload: { call: Call }) => void
  /** A call ended, for every member of the conversation (its system message comes as message:new). */
  'call:ended': (payload: CallEnded) => void
  /** An offer, answer or candidate from another peer of a call this window is in. */
  'call:signal': (payload: CallSignal) => void
  /** A thread the caller follows changed (a reply came, their read position moved, they followed or unfollowed): to the caller's devices. */
  'thread:updated': (payload: { thread: FollowedThread; following: boolean }) => void
  /** A conversation's pins changed (the system message comes as message:new): to its members, the whole list. */
  'pins:updated': (payload: { conversationId: string; pins: Pin[] }) => void
  /** The caller saved or unsaved a message on one device: to all of theirs. */
  'saved:updated': (payload: { added?: SavedItem; removed?: { conversationId: string; seq: number } }) => void
  /** The caller's draft changed on another device (an empty text with no replyTo: it was deleted or sent). */
  'draft:updated': (payload: { draft: Draft }) => void
  /** A user group was made, changed or deleted: to every signed-in user (the autocomplete offers them). */
  'user-groups:updated': (payload: { userGroup?: UserGroup; removedId?: string }) => void
  /** Issue 21: the caller's notification preferences or do-not-disturb changed (on any device): to all of theirs, the whole value. */
  'notification-prefs:updated': (payload: { prefs: NotificationPrefs }) => void
  /** Issue 21 item 4: one of the caller's scheduled messages was added, changed, failed, deleted or sent: to all of their devices. */
  'scheduled:updated': (payload: ScheduledUpdate) => void
}

/** Error data attached to a refused handshake (`connect_error`). */
export interface HandshakeErrorData {
  /**
   * `unavailable`: the server cannot reach its storage (PostgreSQL) now; retry later, the sign-in is fine.
   * `too_many_connections`: the session (or the user) already has as many sockets open as the server
   * allows (the message says how many); retry after a while, or close other tabs and devices.
   */
  code: 'unauthorized' | 'token_expired' | 'invalid_token' | 'session_revoked' | 'unavailable' | 'too_many_connections'
}
