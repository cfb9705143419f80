// Repository interfaces: services depend on these, never on lowdb, files or
// SQL, so a deployment chooses its engine (the data directory or PostgreSQL)
// without touching handlers. Every call is asynchronous, reads included: an
// engine across a network cannot answer from memory.
import type { BotProfile, BroadcastMention, ForwardRef, Message, MessageKind, MessagePageQuery, ReplyRef, SystemEvent } from '../../src/shared/schemas/messages'
import type { NotificationPrefs } from '../../src/shared/schemas/notification-prefs'
import type { Attachment } from '../../src/shared/schemas/files'
import type { InvitationStatus } from '../../src/shared/schemas/contacts'
import type {
  ContactRecord,
  ConversationRecord,
  DraftRecord,
  ScheduledRecord,
  InvitationRecord,
  JoinCodeRecord,
  MembershipRecord,
  FileRecord,
  PinRecord,
  SavedRecord,
  RefreshFamilyRecord,
  ResetCodeRecord,
  ServerSettingsRecord,
  ThreadFollowRecord,
  ThreadReplyRecord,
  UserGroupRecord,
  UserRecord,
  WebhookRecord,
  BotRecord,
  BotTokenRecord
} from './records'

/** The fields of a user that change after sign-up. */
export type UserPatch = Partial<
  Pick<
    UserRecord,
    'displayName' | 'statusText' | 'statusEmoji' | 'statusExpiresAt' | 'avatar' | 'hideLastSeen' | 'contactsOnlyDirect' | 'serverAdmin' | 'disabledAt' | 'email' | 'passwordHash'
  >
>

export interface UserRepo {
  /** Stores a new account; false (nothing stored) when its username is taken, in any case. Atomic. */
  create(user: UserRecord): Promise<boolean>
  byId(id: string): Promise<UserRecord | undefined>
  /** Several users at once (missing ids are left out); order not kept. */
  byIds(ids: readonly string[]): Promise<UserRecord[]>
  byUsername(username: string): Promise<UserRecord | undefined>
  /** Username or display name containing `q` (any case); prefix matches first, then by username. */
  search(q: string, limit: number): Promise<UserRecord[]>
  /** Every account, oldest first. */
  all(): Promise<UserRecord[]>
  count(): Promise<number>
  update(id: string, patch: UserPatch): Promise<UserRecord>
  /** Records when the user was last connected; may be written soon rather than at once (losing it costs little). */
  setLastSeen(id: string, at: string): Promise<void>
}

export interface ConversationRepo {
  create(conversation: ConversationRecord, members: MembershipRecord[]): Promise<void>
  byId(id: string): Promise<ConversationRecord | undefined>
  byDirectKey(key: string): Promise<ConversationRecord | undefined>
  forUser(userId: string): Promise<ConversationRecord[]>
  allIds(): Promise<string[]>
  members(conversationId: string): Promise<MembershipRecord[]>
  membership(conversationId: string, userId: string): Promise<MembershipRecord | undefined>
  /** The conversation with the user's membership in it (undefined: not a member), in one read; undefined if there is no such conversation. */
  withMembership(conversationId: string, userId: string): Promise<{ conversation: ConversationRecord; membership: MembershipRecord | undefined } | undefined>
  /**
   * Moves a member's read cursor (which implies delivered) or delivered cursor
   * forward, remembering when; false if it did not move. May be written soon
   * rather than at once: losing a cursor move costs a badge, not a message.
   */
  markRead(conversationId: string, userId: string, seq: number, at?: number): Promise<boolean>
  markDelivered(conversationId: string, userId: string, seq: number, at?: number): Promise<boolean>
  /**
   * Issue 20 (message menu, "mark unread from here"): moves a member's read
   * cursor back to `seq`; false if it was not past it. The delivered cursor
   * stays (the messages did arrive). May be written soon, as markRead.
   */
  markUnread(conversationId: string, userId: string, seq: number): Promise<boolean>
  update(
    conversationId: string,
    patch: Partial<Pick<ConversationRecord, 'title' | 'description' | 'avatar' | 'joinCode' | 'broadcastMentions'>>
  ): Promise<ConversationRecord>
  addMembers(conversationId: string, members: MembershipRecord[]): Promise<void>
  removeMember(conversationId: string, userId: string): Promise<void>
  setRole(conversationId: string, userId: string, role: MembershipRecord['role']): Promise<void>
  /** Removes the conversation and its memberships (history is dropped by the message repo). */
  delete(conversationId: string): Promise<void>
  byJoinCode(code: string): Promise<ConversationRecord | undefined>
  /**
   * Adds `member` to its conversation through the join code `code`, counting
   * one use, in one atomic step (however many processes share the store):
   * 'joined'; 'member' when they already are one (nothing counted);
   * 'refused' when the conversation no longer has that code, or the code
   * expired by `now` (epoch ms) or has no use left (nothing changed).
   */
  joinWithCode(code: string, member: MembershipRecord, now: number): Promise<'joined' | 'member' | 'refused'>
  /** Hides history up to `seq` for one member; written at once. (The caller also moves the read cursor.) */
  clearHistory(conversationId: string, userId: string, seq: number): Promise<void>
  /** Public rooms: by name (any case), and all of them. */
  byRoomName(name: string): Promise<ConversationRecord | undefined>
  rooms(): Promise<ConversationRecord[]>
}

/** Contact invitations and the contacts they made. */
export interface ContactRepo {
  /** Stores a new invitation; an earlier, finished one from the same sender to the same recipient is forgotten. */
  createInvitation(invitation: InvitationRecord): Promise<void>
  invitation(id: string): Promise<InvitationRecord | undefined>
  /** The latest invitation from one user to another, whatever its status. */
  latestInvitation(fromUserId: string, toUserId: string): Promise<InvitationRecord | undefined>
  /** The user's pending invitations, sent and received. */
  pendingInvitations(userId: string): Promise<InvitationRecord[]>
  /** Ends a pending invitation; `accepted` also makes the two contacts, in the same write. */
  respond(id: string, status: Exclude<InvitationStatus, 'pending'>, at: string): Promise<InvitationRecord>
  contact(a: string, b: string): Promise<ContactRecord | undefined>
  /** The user ids of someone's contacts. */
  contactsOf(userId: string): Promise<string[]>
  /** Ends a contact both ways; false if the two were not contacts. */
  removeContact(a: string, b: string): Promise<boolean>
}

export interface FamilyChange<T> {
  save: boolean
  forgotten?: string[]
  result: T
}

export interface TokenRepo {
  save(family: RefreshFamilyRecord): Promise<void>
  familyById(id: string): Promise<RefreshFamilyRecord | undefined>
  familyByTokenHash(hash: string): Promise<RefreshFamilyRecord | undefined>
  /**
   * Changes one family atomically: `change` sees the family as stored (or
   * undefined), locked against every other change to it until it returns, and
   * may modify it in place; with `save` the modified family is persisted
   * (`forgotten`: token hashes it no longer keeps) before the call resolves.
   * `change` must not await: on PostgreSQL it runs inside the row lock. This
   * is what makes refresh-token rotation and reuse detection atomic.
   */
  change<T>(familyId: string, change: (family: RefreshFamilyRecord | undefined) => FamilyChange<T>): Promise<T>
  /** Revokes every session of a user in one write; answers the ids of those that were live. */
  revokeUser(userId: string, at: number): Promise<string[]>
}

/** Server-wide settings, sign-up invite codes and pending password resets. */
export interface AdminRepo {
  settings(): Promise<ServerSettingsRecord>
  updateSettings(patch: Partial<ServerSettingsRecord>): Promise<ServerSettingsRecord>
  invites(): Promise<JoinCodeRecord[]>
  invite(code: string): Promise<JoinCodeRecord | undefined>
  saveInvite(invite: JoinCodeRecord): Promise<void>
  /** False if there was no such code. */
  deleteInvite(code: string): Promise<boolean>
  resetCode(userId: string): Promise<ResetCodeRecord | undefined>
  /** Replaces the user's pending reset, if any. */
  saveResetCode(reset: ResetCodeRecord): Promise<void>
  deleteResetCode(userId: string): Promise<void>
}

/** The fields of a user group that change after it was made. */
export type UserGroupPatch = Partial<Pick<UserGroupRecord, 'handle' | 'name' | 'memberIds' | 'managerIds'>>

/** User groups (@design). Handles are compared lower-case; the caller lower-cases them. */
export interface UserGroupRepo {
  /** Stores a new group; false (nothing stored) when another group has its handle. Atomic. */
  create(group: UserGroupRecord): Promise<boolean>
  byId(id: string): Promise<UserGroupRecord | undefined>
  /** Several groups at once (missing ids are left out); order not kept. */
  byIds(ids: readonly string[]): Promise<UserGroupRecord[]>
  byHandle(handle: string): Promise<UserGroupRecord | undefined>
  /** Every group, by handle. */
  all(): Promise<UserGroupRecord[]>
  /** The group after the change; 'handle_taken' (nothing changed) when another group has the new handle; undefined when there is no such group. */
  update(id: string, patch: UserGroupPatch): Promise<UserGroupRecord | 'handle_taken' | undefined>
  /** False if there was no such group. */
  delete(id: string): Promise<boolean>
  /** The groups `userId` is a member of, by handle. */
  groupsOf(userId: string): Promise<UserGroupRecord[]>
}

/** Issue 21: incoming webhooks. */
export interface WebhookRepo {
  create(webhook: WebhookRecord): Promise<void>
  byId(id: string): Promise<WebhookRecord | undefined>
  byTokenHash(hash: string): Promise<WebhookRecord | undefined>
  /** A conversation's webhooks, oldest first. */
  forConversation(conversationId: string): Promise<WebhookRecord[]>
  /** False if there was no such webhook. */
  delete(id: string): Promise<boolean>
}

/** Issue 21: bot accounts and their tokens. */
export interface BotRepo {
  create(bot: BotRecord): Promise<void>
  byId(userId: string): Promise<BotRecord | undefined>
  /** Every bot, oldest first. */
  all(): Promise<BotRecord[]>
  /** Removes the bot and its tokens; false if there was no such bot. */
  delete(userId: string): Promise<boolean>
  addToken(token: BotTokenRecord): Promise<void>
  tokenByHash(hash: string): Promise<BotTokenRecord | undefined>
  tokenById(id: string): Promise<BotTokenRecord | undefined>
  /** A bot's tokens, oldest first. */
  tokens(botId: string): Promise<BotTokenRecord[]>
  /** False if the bot had no such token. */
  deleteToken(botId: string, tokenId: string): Promise<boolean>
}

export interface MessageDraft {
  clientId: string
  senderId: string
  text: string
  kind?: MessageKind
  system?: SystemEvent
  replyTo?: ReplyRef
  mentions?: string[]
  mentionAll?: BroadcastMention
  mentionGroups?: string[]
  mentioned?: string[]
  attachments?: Attachment[]
  /** A reply in the thread of this root (seq of the same conversation). */
  threadRoot?: number
  alsoInConversation?: boolean
  /** Issue 20: a forward names the message it copies. */
  forwarded?: ForwardRef
  /** Issue 21: sent by a webhook or bot, as this name and icon. */
  botProfile?: BotProfile
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
  /** Ids of the files attached to the messages removed from disk in this run, and of their link previews' pictures. */
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
  /**
   * Resolves only once the message is durable on disk. Whoever writes a
   * message has read everything up to it: a new message also moves its
   * sender's read (and delivered) cursor to it, if they are a member, timed
   * at the message's creation, before the call resolves.
   */
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
  /**
   * How many messages unread counts leave out have a seq in after..through
   * (after excluded): system messages (joins, renames, join codes…) and
   * thread-only replies (uncounted() in uncounted.ts). Costs those messages
   * in the range, never the whole range.
   */
  systemCount(conversationId: string, after: number, through: number): Promise<number>
  /** Deletes a conversation's whole history. */
  drop(conversationId: string): Promise<void>
  close(): Promise<void>
}

/** How far an unfinished upload is. */
export interface UploadProgress {
  /** Bytes durably in its part file: where the next bytes go. */
  offset: number
  /** When bytes last came (its creation before any), in epoch ms of the server's clock. */
  touchedAt: number
}

export interface UploadState extends UploadProgress {
  /** A request holds its writer's lease now (not expired, and on PostgreSQL its node still alive). */
  writing: boolean
}

/**
 * Records of uploads and files, and unfinished uploads' progress and writer's
 * lease, which every node sharing the store sees; the bytes are in the files
 * directory (FileStore).
 */
export interface FileRepo {
  get(id: string): Promise<FileRecord | undefined>
  /** Uploads not yet complete. */
  incomplete(): Promise<FileRecord[]>
  /**
   * Unfinished uploads whose progress is not recorded (all of them in a data
   * directory just opened; rows from before PostgreSQL recorded it, or
   * imported): FileStore reads it from their part files at start.
   */
  untracked(): Promise<FileRecord[]>
  /** Bytes of a user's files and unfinished uploads. */
  usage(userId: string): Promise<number>
  /** Creates or replaces a record; durable when it resolves. A complete record has no progress any more. */
  put(record: FileRecord): Promise<void>
  /** Marks records that have `attached: false` as attached; others are left as they are. */
  attach(ids: readonly string[]): Promise<void>
  delete(id: string): Promise<void>
  /** Records the progress of an unfinished upload that has none recorded; one recorded is left as it is. */
  track(id: string, progress: UploadProgress): Promise<void>
  /** An unfinished upload's recorded progress; undefined for a complete file, an untracked upload or no record. */
  upload(id: string): Promise<UploadState | undefined>
  /**
   * Takes the writer's lease of a tracked unfinished upload for `ttlMs`,
   * unless another one on it is live: answers its progress, 'busy', or
   * undefined when there is no such upload.
   */
  claim(id: string, lease: string, ttlMs: number): Promise<UploadProgress | 'busy' | undefined>
  /**
   * Extends a lease for `ttlMs` and records progress, if nobody took the
   * upload since (even past its expiry); false when it was taken or is gone.
   */
  renew(id: string, lease: string, ttlMs: number, progress: UploadProgress): Promise<boolean>
  /** Ends a lease if it is still held, recording `progress` when given. */
  release(id: string, lease: string, progress?: UploadProgress): Promise<void>
  /** Tracked unfinished uploads (only `uploaderId`'s, if given) with no byte since `before` (epoch ms) and no live lease. */
  idle(before: number, uploaderId?: string): Promise<string[]>
  /** Deletes an upload's record if it is still idle since `before` with no live lease; true if it did. */
  deleteIdle(id: string, before: number): Promise<boolean>
}

export interface SearchHit {
  conversationId: string
  seq: number
  /** Opaque paging cursor: pass it as `before` for the next page. */
  cursor: number
}

/** Full-text search of message text (partial words: terms of 3 or more characters, all required). */
export interface SearchRepo {
  /**
   * Newest matches first within `scope` (conversationId → seq floor: only
   * messages above it, so cleared history is not found), with a cursor below
   * `before`. Deleted messages and non-text messages are never found; an
   * edited message is found by its current text only.
   */
  search(scope: Record<string, number>, terms: string[], before: number, limit: number): Promise<SearchHit[]>
}

/**
 * Values made once and held alike by every process of a deployment: the key
 * that signs access tokens, the self-signed TLS certificate.
 */
export interface SecretRepo {
  /**
   * The value kept under `name`. When there is none, `make()` makes one and
   * the first to store it, from any process, wins: every caller, racing or
   * later, gets the stored value; `created` says whether it was this call's.
   */
  getOrCreate(name: string, make: () => Promise<string>): Promise<{ value: string; created: boolean }>
}

/**
 * Sections that run one at a time per key, across every process that shares
 * the store: the checks and writes of a sign-up, or of a change between two
 * people, see each other wherever they run. A section waits its turn, where
 * a once-per-organisation job skips its round. Sections must not nest.
 */
export interface KeyedLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>
}

/**
 * Short messages between the processes sharing a store (PostgreSQL's
 * LISTEN/NOTIFY): slower than Redis, but they need nothing else, so they
 * carry what must get through while a node has lost Redis.
 */
export interface Notices {
  notify(channel: string, payload: string): Promise<void>
  /** Calls `listener` for every notice on `channel`, this process's own included; keeps listening across reconnections. */
  listen(channel: string, listener: (payload: string) => void): Promise<void>
}

/**
 * Unread mentions, kept on each membership (MembershipRecord.mentionSeqs) so a
 * conversation's mentionCount costs no scan of its history; markRead prunes
 * them. May be written soon rather than at once, as read cursors are: losing
 * one costs a badge, not a message.
 */
export interface MentionRepo {
  /** Records that message `seq` mentions these members; skips non-members and members who read past it. */
  mark(conversationId: string, seq: number, userIds: readonly string[]): Promise<void>
  /** Forgets that message `seq` mentions these members (an edit took them out, or it was deleted). */
  unmark(conversationId: string, seq: number, userIds: readonly string[]): Promise<void>
}

/** Pinned messages per conversation. Callers serialise changes per conversation (KeyedLock) and check the limit. */
export interface PinRepo {
  /** The conversation's pins, newest pin first. */
  list(conversationId: string): Promise<PinRecord[]>
  /** False (nothing changed) when that seq is pinned already. */
  add(pin: PinRecord): Promise<boolean>
  /** Unpins these seqs; answers those that were pinned. */
  remove(conversationId: string, seqs: readonly number[]): Promise<number[]>
}

/** A user's saved messages across conversations. Callers serialise changes per user and check the limit. */
export interface SavedRepo {
  /** The user's saved messages, newest first. */
  list(userId: string): Promise<SavedRecord[]>
  /** False (nothing changed) when the user saved that message already. */
  add(record: SavedRecord): Promise<boolean>
  /** False when it was not saved. */
  remove(userId: string, conversationId: string, seq: number): Promise<boolean>
}

/** Drafts (i20-drafts): one per user, conversation and thread; a member's are dropped when they leave. */
export interface DraftRepo {
  /** The user's drafts, tombstones (empty, no replyTo) included. */
  forUser(userId: string): Promise<DraftRecord[]>
  get(userId: string, conversationId: string, threadRoot: number | null): Promise<DraftRecord | undefined>
  /**
   * Stores `draft` unless the one stored is as new or newer (by updatedAt),
   * atomically; answers what is stored after, and whether it was this write.
   */
  put(draft: DraftRecord): Promise<{ draft: DraftRecord; written: boolean }>
  /** Empties a stored draft, keeping its time (a message was sent from it); the emptied draft, or undefined if there was none with text. */
  clear(userId: string, conversationId: string, threadRoot: number | null): Promise<DraftRecord | undefined>
  /** How many drafts with text or a reply the user has. */
  count(userId: string): Promise<number>
}

/** Scheduled messages (issue 21 item 4), each the sender's; the scheduler claims those due, so one process sends each. */
export interface ScheduledRepo {
  /** The user's, soonest first. */
  forUser(userId: string): Promise<ScheduledRecord[]>
  get(id: string): Promise<ScheduledRecord | undefined>
  count(userId: string): Promise<number>
  /** Adds or replaces, durably. */
  put(record: ScheduledRecord): Promise<void>
  /** False when it was gone already. */
  remove(id: string): Promise<boolean>
  /**
   * Up to `limit` records due at `now` (not failed, nobody else's claim
   * running), claimed for `leaseMs`: another process skips them until the
   * claim lapses (then it may send again: the message store's dedupe by
   * clientId keeps that to one message).
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<ScheduledRecord[]>
  /** Claims one record whatever its time (send now); false when another claim runs. */
  claim(id: string, now: number, leaseMs: number): Promise<boolean>
  /** True while a claim of this record runs (an edit then would race the send). */
  claimed(id: string, now: number): Promise<boolean>
  /** Ends a claim without sending (a refusal to retry later). */
  release(id: string): Promise<void>
}

/** Threads' replies and followers, per conversation and root. */
export interface ThreadRepo {
  /**
   * Records a reply (again: nothing changes), durably. `follow` start (or
   * restart) following; `followIfNew` follow unless they have a record (so an
   * unfollow stays). The sender's read position moves to the reply.
   */
  addReply(conversationId: string, rootSeq: number, reply: ThreadReplyRecord, follow: string[], followIfNew: string[]): Promise<void>
  /** A deleted reply leaves the thread's counts. */
  removeReply(conversationId: string, rootSeq: number, seq: number): Promise<void>
  /** The live replies, in ascending seq. */
  replies(conversationId: string, rootSeq: number): Promise<ThreadReplyRecord[]>
  /** Every record of the thread, following or not. */
  follows(conversationId: string, rootSeq: number): Promise<ThreadFollowRecord[]>
  follow(conversationId: string, rootSeq: number, userId: string, following: boolean): Promise<ThreadFollowRecord>
  /** Moves a read position forward (a record is made, not following, if there is none); the record as it is now. */
  markRead(conversationId: string, rootSeq: number, userId: string, seq: number): Promise<ThreadFollowRecord>
  /** The threads a user follows. */
  followedBy(userId: string): Promise<ThreadFollowRecord[]>
}

/** Issue 21: each user's notification preferences and do-not-disturb, kept whole. */
export interface NotificationPrefsRepo {
  /** DEFAULT_NOTIFICATION_PREFS when the user never changed them. */
  get(userId: string): Promise<NotificationPrefs>
  /** Those of these users who changed theirs (the others have the defaults). */
  many(userIds: readonly string[]): Promise<Map<string, NotificationPrefs>>
  /** Replaces the user's preferences; durable when it resolves. Callers serialise a user's changes (KeyedLock). */
  put(userId: string, prefs: NotificationPrefs): Promise<void>
  /** Users whose do-not-disturb may change by itself (a timed one set, or work hours on), with their preferences. */
  timed(): Promise<Map<string, NotificationPrefs>>
}

export interface Store {
  /** Which engine this is, for logs and health. */
  engine: 'data-dir' | 'postgres'
  users: UserRepo
  conversations: ConversationRepo
  tokens: TokenRepo
  contacts: ContactRepo
  admin: AdminRepo
  userGroups: UserGroupRepo
  /** Issue 20: pinned messages. */
  pins: PinRepo
  /** Issue 20: saved messages. */
  saved: SavedRepo
  messages: MessageRepo
  /** Issue 20 (mentions): unread mentions per membership. */
  mentions: MentionRepo
  /** Threads' replies, followers and read positions (threads.service.ts). */
  threads: ThreadRepo
  files: FileRepo
  drafts: DraftRepo
  /** Issue 21 (i21-attention). */
  notificationPrefs: NotificationPrefsRepo
  /** Issue 21 item 4: scheduled messages. */
  scheduled: ScheduledRepo
  /** Issue 21: incoming webhooks and bot accounts. */
  webhooks: WebhookRepo
  bots: BotRepo
  /** Null where the engine cannot search (a data directory on a runtime without node:sqlite). */
  search: SearchRepo | null
  /** Null where the server keeps its own in the data directory (jwt.key, tls/): one process owns that engine. */
  secrets: SecretRepo | null
  locks: KeyedLock
  /** Null where one process owns the store (the data directory): there is nobody to tell. */
  notices: Notices | null
  /**
   * Set when this history was restored from a backup (a new value at each
   * restore): apps that cached the history before drop their cache, whose
   * messages may stand at seqs the restored history gives to others. Null on a
   * history never restored, and on PostgreSQL (restored by its own tools).
   */
  historyEpoch: string | null
  /**
   * Runs a job that runs once per organisation (retention, the upload sweep)
   * unless another process sharing the store runs it now: true if it ran.
   * `lost` aborts when the job's lock was lost meanwhile (on PostgreSQL, its
   * connection broke): stop at a safe point.
   */
  exclusive(name: string, job: (lost: AbortSignal) => Promise<void>): Promise<boolean>
  /** Background work after the server listens (the data directory's search index catching up); stops when `stopped()`. */
  start?(stopped: () => boolean): Promise<void>
  /** Writes everything pending and releases files. */
  close(): Promise<void>
}
