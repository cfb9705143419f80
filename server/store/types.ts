// Repository interfaces: services depend on these, never on lowdb or files, so
// a deployment can move history to another engine without touching handlers.
import type { Message, MessageKind, MessagePageQuery, ReplyRef, SystemEvent } from '../../src/shared/schemas/messages'
import type { Attachment } from '../../src/shared/schemas/files'
import type { InvitationStatus } from '../../src/shared/schemas/contacts'
import type {
  ContactRecord,
  ConversationRecord,
  InvitationRecord,
  JoinCodeRecord,
  MembershipRecord,
  RefreshFamilyRecord,
  ResetCodeRecord,
  ServerSettingsRecord,
  UserRecord
} from './records'

/** The fields of a user that change after sign-up. */
export type UserPatch = Partial<
  Pick<
    UserRecord,
    'displayName' | 'statusText' | 'avatar' | 'hideLastSeen' | 'contactsOnlyDirect' | 'serverAdmin' | 'disabledAt' | 'email' | 'passwordHash'
  >
>

export interface UserRepo {
  create(user: UserRecord): Promise<void>
  byId(id: string): UserRecord | undefined
  byUsername(username: string): UserRecord | undefined
  search(q: string, limit: number): UserRecord[]
  /** Every account, oldest first. */
  all(): UserRecord[]
  count(): number
  update(id: string, patch: UserPatch): Promise<UserRecord>
  /** Records when the user was last connected; written soon, not at once (losing it costs little). */
  setLastSeen(id: string, at: string): void
}

export interface ConversationRepo {
  create(conversation: ConversationRecord, members: MembershipRecord[]): Promise<void>
  byId(id: string): ConversationRecord | undefined
  byDirectKey(key: string): ConversationRecord | undefined
  forUser(userId: string): ConversationRecord[]
  allIds(): string[]
  members(conversationId: string): MembershipRecord[]
  membership(conversationId: string, userId: string): MembershipRecord | undefined
  /**
   * Moves a member's read cursor (which implies delivered) or delivered cursor
   * forward, remembering when; false if it did not move. Written soon, not at
   * once: losing a cursor move costs a badge, not a message.
   */
  markRead(conversationId: string, userId: string, seq: number, at?: number): boolean
  markDelivered(conversationId: string, userId: string, seq: number, at?: number): boolean
  update(
    conversationId: string,
    patch: Partial<Pick<ConversationRecord, 'title' | 'description' | 'avatar' | 'joinCode'>>
  ): Promise<ConversationRecord>
  addMembers(conversationId: string, members: MembershipRecord[]): Promise<void>
  removeMember(conversationId: string, userId: string): Promise<void>
  setRole(conversationId: string, userId: string, role: MembershipRecord['role']): Promise<void>
  /** Removes the conversation and its memberships (history is dropped by the message repo). */
  delete(conversationId: string): Promise<void>
  byJoinCode(code: string): ConversationRecord | undefined
  /** Hides history up to `seq` for one member; written at once. (The caller also moves the read cursor.) */
  clearHistory(conversationId: string, userId: string, seq: number): Promise<void>
  /** Public rooms: by name (any case), and all of them. */
  byRoomName(name: string): ConversationRecord | undefined
  rooms(): ConversationRecord[]
}

/** Contact invitations and the contacts they made. */
export interface ContactRepo {
  /** Stores a new invitation; an earlier, finished one from the same sender to the same recipient is forgotten. */
  createInvitation(invitation: InvitationRecord): Promise<void>
  invitation(id: string): InvitationRecord | undefined
  /** The latest invitation from one user to another, whatever its status. */
  latestInvitation(fromUserId: string, toUserId: string): InvitationRecord | undefined
  /** The user's pending invitations, sent and received. */
  pendingInvitations(userId: string): InvitationRecord[]
  /** Ends a pending invitation; `accepted` also makes the two contacts, in the same write. */
  respond(id: string, status: Exclude<InvitationStatus, 'pending'>, at: string): Promise<InvitationRecord>
  contact(a: string, b: string): ContactRecord | undefined
  /** The user ids of someone's contacts. */
  contactsOf(userId: string): string[]
  /** Ends a contact both ways; false if the two were not contacts. */
  removeContact(a: string, b: string): Promise<boolean>
}

export interface TokenRepo {
  save(family: RefreshFamilyRecord): Promise<void>
  familyById(id: string): RefreshFamilyRecord | undefined
  familyByTokenHash(hash: string): RefreshFamilyRecord | undefined
  /** Persists a changed family; `forgotten` are token hashes it no longer keeps. */
  update(family: RefreshFamilyRecord, forgotten: string[]): Promise<void>
  /** Revokes every session of a user in one write; answers the ids of those that were live. */
  revokeUser(userId: string, at: number): Promise<string[]>
}

/** Server-wide settings, sign-up invite codes and pending password resets. */
export interface AdminRepo {
  settings(): ServerSettingsRecord
  updateSettings(patch: Partial<ServerSettingsRecord>): Promise<ServerSettingsRecord>
  invites(): JoinCodeRecord[]
  invite(code: string): JoinCodeRecord | undefined
  saveInvite(invite: JoinCodeRecord): Promise<void>
  /** False if there was no such code. */
  deleteInvite(code: string): Promise<boolean>
  resetCode(userId: string): ResetCodeRecord | undefined
  /** Replaces the user's pending reset, if any. */
  saveResetCode(reset: ResetCodeRecord): Promise<void>
  deleteResetCode(userId: string): Promise<void>
}

export interface MessageDraft {
  clientId: string
  senderId: string
  text: string
  kind?: MessageKind
  system?: SystemEvent
  replyTo?: ReplyRef
  mentions?: string[]
  attachments?: Attachment[]
}

export interface AppendResult {
  message: Message
  /** False when the clientId was seen before: the original message is returned. */
  created: boolean
}

/** Returns a message's new state, or null to leave it as it is. */
export type MessageChange = (current: Message) => Message | null

export interface MutationResult {
  message: Message
  changed: boolean
}

export interface ExpireResult {
  /** Messages up to here are deleted (0: none ever were). */
  expiredSeq: number
  /** The floor moved in this run. */
  moved: boolean
  /** Ids of the files attached to the messages removed from disk in this run. */
  attachments: string[]
  /** When the oldest message still kept was created (null: none is kept). */
  keptFrom: string | null
}

export interface ChangesPage {
  messages: Message[]
  version: number
  hasMore: boolean
}

export interface MessageRepo {
  /** Resolves only once the message is durable on disk. */
  append(conversationId: string, draft: MessageDraft): Promise<AppendResult>
  /**
   * A page of messages after `floor` (a member's cleared history is below it)
   * and after `expiredSeq`, the retention floor, which the page reports.
   */
  page(conversationId: string, query: MessagePageQuery, floor?: number): Promise<{ messages: Message[]; hasMore: boolean; expiredSeq: number }>
  last(conversationId: string): Promise<Message | null>
  /** Edits, deletes or reacts to a stored message; resolves once durable; null if there is no such message. */
  mutate(conversationId: string, seq: number, change: MessageChange): Promise<MutationResult | null>
  /** Messages changed after version `since` (and above `floor`), oldest change first. */
  changes(conversationId: string, since: number, limit: number, floor?: number): Promise<ChangesPage>
  /** The conversation's latest change number (0: nothing ever changed). */
  version(conversationId: string): Promise<number>
  /** Retention: deletes the messages created before `before` (ISO time), from reads at once and from disk. */
  expire(conversationId: string, before: string): Promise<ExpireResult>
  /** Messages up to this seq were deleted by retention. */
  expiredSeq(conversationId: string): Promise<number>
  /** Deletes a conversation's whole history. */
  drop(conversationId: string): Promise<void>
  close(): Promise<void>
}

export interface Store {
  users: UserRepo
  conversations: ConversationRepo
  tokens: TokenRepo
  contacts: ContactRepo
  admin: AdminRepo
  messages: MessageRepo
  /** Writes everything pending and releases files. */
  close(): Promise<void>
}
