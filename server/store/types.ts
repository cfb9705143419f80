// Repository interfaces: services depend on these, never on lowdb or files, so
// a deployment can move history to another engine without touching handlers.
import type { Message, MessageKind, MessagePageQuery, SystemEvent } from '../../src/shared/schemas/messages'
import type {
  ConversationRecord,
  MembershipRecord,
  RefreshFamilyRecord,
  UserRecord
} from './records'

export interface UserRepo {
  create(user: UserRecord): Promise<void>
  byId(id: string): UserRecord | undefined
  byUsername(username: string): UserRecord | undefined
  search(q: string, limit: number): UserRecord[]
  update(id: string, patch: Partial<Pick<UserRecord, 'displayName' | 'statusText' | 'hideLastSeen'>>): Promise<UserRecord>
  /** Records when the user was last connected; written soon, not at once (losing it costs little). */
  setLastSeen(id: string, at: string): void
}

export interface ConversationRepo {
  create(conversation: ConversationRecord, members: MembershipRecord[]): Promise<void>
  byId(id: string): ConversationRecord | undefined
  byDirectKey(key: string): ConversationRecord | undefined
  forUser(userId: string): ConversationRecord[]
  members(conversationId: string): MembershipRecord[]
  membership(conversationId: string, userId: string): MembershipRecord | undefined
  /** Moves a read position forward; written soon, not at once (losing it costs little). */
  markRead(conversationId: string, userId: string, seq: number): void
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
}

export interface TokenRepo {
  save(family: RefreshFamilyRecord): Promise<void>
  familyById(id: string): RefreshFamilyRecord | undefined
  familyByTokenHash(hash: string): RefreshFamilyRecord | undefined
  /** Persists a changed family; `forgotten` are token hashes it no longer keeps. */
  update(family: RefreshFamilyRecord, forgotten: string[]): Promise<void>
}

export interface MessageDraft {
  clientId: string
  senderId: string
  text: string
  kind?: MessageKind
  system?: SystemEvent
}

export interface AppendResult {
  message: Message
  /** False when the clientId was seen before: the original message is returned. */
  created: boolean
}

export interface MessageRepo {
  /** Resolves only once the message is durable on disk. */
  append(conversationId: string, draft: MessageDraft): Promise<AppendResult>
  page(conversationId: string, query: MessagePageQuery): Promise<{ messages: Message[]; hasMore: boolean }>
  last(conversationId: string): Promise<Message | null>
  /** Deletes a conversation's whole history. */
  drop(conversationId: string): Promise<void>
  close(): Promise<void>
}

export interface Store {
  users: UserRepo
  conversations: ConversationRepo
  tokens: TokenRepo
  messages: MessageRepo
  /** Writes everything pending and releases files. */
  close(): Promise<void>
}
