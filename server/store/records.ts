// What the server keeps in its lowdb file. Public shapes live in src/shared;
// these add what never leaves the server (password hashes, token hashes).
import type { ConversationKind, MemberRole } from '../../src/shared/schemas/conversations'

export interface UserRecord {
  id: string
  username: string
  usernameLower: string
  displayName: string
  statusText: string
  passwordHash: string
  createdAt: string
  /** When the user's last socket disconnected; absent until it first happens. */
  lastSeenAt?: string
  /** Hides lastSeenAt from others (and theirs from this user); absent means false. */
  hideLastSeen?: boolean
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

export interface DbData {
  schemaVersion: 1
  users: Record<string, UserRecord>
  conversations: Record<string, ConversationRecord>
  memberships: MembershipRecord[]
  refreshFamilies: Record<string, RefreshFamilyRecord>
}

export function emptyDb(): DbData {
  return { schemaVersion: 1, users: {}, conversations: {}, memberships: [], refreshFamilies: {} }
}
