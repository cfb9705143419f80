// What the server keeps in its lowdb file. Public shapes live in src/shared;
// these add what never leaves the server (password hashes, token hashes).
import type { NotificationPrefs } from '../../src/shared/schemas/notification-prefs'
import type { InvitationStatus } from '../../src/shared/schemas/contacts'
import type { LinkPreviewsMode, RegistrationMode } from '../../src/shared/schemas/admin'
import type { ScheduledMessage } from '../../src/shared/schemas/scheduled'
import type { Marks } from './read-marks'
import type { ConversationKind, MemberRole } from '../../src/shared/schemas/conversations'

export interface UserRecord {
  id: string
  username: string
  usernameLower: string
  displayName: string
  statusText: string
  /** A small picture as a data: URL (absent in data written before avatars). */
  avatar?: string | null
  passwordHash: string
  createdAt: string
  /** When the user's last socket disconnected; absent until it first happens. */
  lastSeenAt?: string
  /** Hides lastSeenAt from others (and theirs from this user); absent means false. */
  hideLastSeen?: boolean
  /** Only contacts may start a direct chat with this user; absent means false. */
  contactsOnlyDirect?: boolean
  /** Runs the server (see docs/admin.md); absent means false. */
  serverAdmin?: boolean
  /** When an admin disabled the account; absent or null: enabled. */
  disabledAt?: string | null
  /** Where a password reset code may be emailed; absent means none. */
  email?: string | null
  /** Issue 21: the custom status's emoji; absent or null: none. */
  statusEmoji?: string | null
  /** Issue 21: when the custom status (text and emoji) clears by itself; absent or null: never. */
  statusExpiresAt?: string | null
  /** Issue 21: a bot account or a webhook's identity: never signs in; absent means a person. */
  bot?: boolean
}

export interface ConversationRecord {
  id: string
  kind: ConversationKind
  title: string | null
  createdAt: string
  createdBy: string
  /** For direct chats: the two user ids, sorted and joined, unique. */
  directKey: string | null
  description: string
  avatar: string | null
  joinCode: JoinCodeRecord | null
  /** Who may write @here and @all (groups and rooms); absent means everyone. */
  broadcastMentions?: 'everyone' | 'admins'
}

export interface JoinCodeRecord {
  code: string
  createdBy: string
  createdAt: string
  expiresAt: string | null
  maxUses: number | null
  uses: number
}

export interface MembershipRecord {
  conversationId: string
  userId: string
  role: MemberRole
  joinedAt: string
  readSeq: number
  /** Messages up to here are hidden for this member ("clear history"). */
  clearedSeq?: number
  /** Highest seq one of the member's devices has received. */
  deliveredSeq?: number
  /** Recent moves of the read and delivered cursors, flat [seq, epoch ms, …], oldest first (bounded; see read-marks.ts). */
  readMarks?: Marks
  deliveredMarks?: Marks
  /** Seqs above readSeq that mention this member (by name, @all, @here or a user group), ascending; pruned as readSeq moves. */
  mentionSeqs?: number[]
}

export interface RefreshTokenRecord {
  hash: string
  expiresAt: number
  /** Set when this token was exchanged for a newer one. */
  rotatedAt: number | null
}

export interface RefreshFamilyRecord {
  id: string
  userId: string
  createdAt: number
  revokedAt: number | null
  tokens: RefreshTokenRecord[]
}

export interface InvitationRecord {
  id: string
  fromUserId: string
  toUserId: string
  message: string | null
  status: InvitationStatus
  createdAt: string
  respondedAt: string | null
}

/** Two users who accepted each other: `userIds` sorted, keyed by `directKey` of the pair. */
export interface ContactRecord {
  userIds: [string, string]
  since: string
}

export interface ServerSettingsRecord {
  name: string
  registration: RegistrationMode
  maxFileBytes: number
  retentionDays: number | null
  /** Issue 21: whether the server fetches link previews (absent in older files: the default, public). */
  linkPreviews: LinkPreviewsMode
}

/** A pending password reset: only the code's hash is kept, one per user. */
export interface ResetCodeRecord {
  userId: string
  hash: string
  expiresAt: number
  createdAt: number
}

/** An upload or a file; its bytes are in the data directory's files/ under `id`. */
export interface FileRecord {
  id: string
  conversationId: string
  uploaderId: string
  name: string
  size: number
  type: string
  /** Declared by the sender until complete; then the digest of the bytes kept. */
  sha256?: string
  width?: number
  height?: number
  thumbnail?: string
  createdAt: string
  complete: boolean
  /**
   * Set false on completion, true once a message carries the file. Until then
   * its sender may still delete it (their client found it is not what it
   * sent); older records have neither and stay.
   */
  attached?: boolean
}

/** A user group (@design): mentioned as one; `handle` is kept lower-case, unique among groups and usernames. */
export interface UserGroupRecord {
  id: string
  handle: string
  name: string
  memberIds: string[]
  managerIds: string[]
  createdBy: string
  createdAt: string
}

/** A pinned message of a conversation: who pinned it, when. */
export interface PinRecord {
  conversationId: string
  seq: number
  pinnedBy: string
  pinnedAt: string
}

/** A message a user saved for later. */
export interface SavedRecord {
  userId: string
  conversationId: string
  seq: number
  savedAt: string
}

/**
 * A user's draft in one conversation's composer (threadRoot null) or one
 * thread's. An empty text with no replyTo is a deletion kept as a tombstone
 * with its time, so an older write arriving late cannot bring the draft back.
 */
export interface DraftRecord {
  userId: string
  conversationId: string
  threadRoot: number | null
  text: string
  replyTo: number | null
  /** ISO time the user typed it, on their device's clock: newest wins. */
  updatedAt: string
}

/** A scheduled message (issue 21 item 4): the sender's, sent by the server at sendAt; `failed` when its send was refused. */
export type ScheduledRecord = ScheduledMessage & { userId: string }
/** Issue 21: an incoming webhook of a conversation; only its token's SHA-256 is kept. */
export interface WebhookRecord {
  id: string
  conversationId: string
  name: string
  /** The bot user it posts as, made with it. */
  botUserId: string
  tokenHash: string
  createdBy: string
  createdAt: string
}

/** Issue 21: a bot account (its user has bot = true); its conversations are its memberships. */
export interface BotRecord {
  userId: string
  createdBy: string
  createdAt: string
}

/** A bot's API token; only its SHA-256 is kept. Revoking deletes it. */
export interface BotTokenRecord {
  id: string
  botId: string
  hash: string
  createdBy: string
  createdAt: string
}

/** The format this server writes in db.json's schemaVersion. Raise it only with a step in upgrades/. */
export const DATA_DIR_FORMAT = 3

export interface DbData {
  /** The data directory's format (data-dir-format.ts). */
  schemaVersion: number
  users: Record<string, UserRecord>
  conversations: Record<string, ConversationRecord>
  memberships: MembershipRecord[]
  refreshFamilies: Record<string, RefreshFamilyRecord>
  /** Absent in files written before contacts existed; filled in at load. */
  invitations: Record<string, InvitationRecord>
  contacts: Record<string, ContactRecord>
  /** Absent in files written before administration existed; filled in at load. */
  settings?: ServerSettingsRecord
  /** Invite codes for sign-up, by code. */
  invites?: Record<string, JoinCodeRecord>
  /** Pending password resets, by user id. */
  resetCodes?: Record<string, ResetCodeRecord>
  /** User groups, by id; absent in files written before them (empty). */
  userGroups?: Record<string, UserGroupRecord>
  /** Issue 20 pins: pinned messages by conversation id, oldest pin first; absent: none. */
  pins?: Record<string, PinRecord[]>
  /** Issue 20 saved messages: by user id, oldest first; absent: none. */
  saved?: Record<string, SavedRecord[]>
  /** Drafts (i20-drafts), by draftKey(); absent in older files: none. */
  drafts?: Record<string, DraftRecord>
  /** Threads' replies by `conversationId:rootSeq`; absent before threads existed (thread-repo.ts). */
  threads?: Record<string, ThreadRecord>
  /** Follows and read positions by `conversationId:rootSeq:userId`; absent before threads existed. */
  threadFollows?: Record<string, ThreadFollowRecord>
  /** Issue 21: notification preferences and do-not-disturb, by user id; absent: everyone has the defaults. */
  notificationPrefs?: Record<string, NotificationPrefs>
  /** Issue 21 scheduled messages, by id; absent: none. */
  scheduled?: Record<string, ScheduledRecord>
  /** Issue 21 webhooks by id, bots by user id, bot tokens by id; absent: none. */
  webhooks?: Record<string, WebhookRecord>
  bots?: Record<string, BotRecord>
  botTokens?: Record<string, BotTokenRecord>
}

/** A thread's replies as its counts need them, in ascending seq. */
export interface ThreadRecord {
  conversationId: string
  rootSeq: number
  replies: ThreadReplyRecord[]
}

export function emptyDb(): DbData {
  return { schemaVersion: DATA_DIR_FORMAT, users: {}, conversations: {}, memberships: [], refreshFamilies: {}, invitations: {}, contacts: {} }
}

/** One reply of a thread, as its counts need it (threads.service.ts derives the root's ThreadSummary from these). */
export interface ThreadReplyRecord {
  seq: number
  senderId: string
  createdAt: string
  /** Who the reply names (mentions, and members expanded from @here or a group). */
  mentioned: string[]
  /** @here or @all: every follower counts it as a mention. */
  mentionAll: boolean
}

/** A user's place in a thread: following or not (a record with false: they unfollowed), and how far they read. */
export interface ThreadFollowRecord {
  conversationId: string
  rootSeq: number
  userId: string
  following: boolean
  /** The last reply they read (0: none). */
  readSeq: number
}
