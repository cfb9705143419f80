import { randomUUID } from 'node:crypto'
import type { Conversation, ConversationListResponse, CreateConversationBody } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import { LIMITS } from '../../src/shared/limits'
import { inConversation } from '../../src/shared/threads'
import { AppError, forbidden, notFound } from '../errors'
import type { ConversationRecord, MembershipRecord } from '../store/records'
import type { Store } from '../store/types'
import { mentionCount } from '../store/mention-seqs'
import { systemDraft } from './system-messages'
import { toPublicUser } from './users.service'

export const directKey = (a: string, b: string): string => [a, b].sort().join(':')

const blank = (): Pick<ConversationRecord, 'description' | 'avatar' | 'joinCode'> => ({
  description: '',
  avatar: null,
  joinCode: null
})

export class ConversationService {
  constructor(private readonly store: Store) {}

  /** Creates a conversation, or for a direct chat returns the pair's existing one. */
  async create(callerId: string, body: CreateConversationBody): Promise<{ conversation: ConversationRecord; created: boolean }> {
    const now = new Date().toISOString()
    const member = (userId: string, role: MembershipRecord['role']): MembershipRecord => ({
      conversationId: '',
      userId,
      role,
      joinedAt: now,
      readSeq: 0
    })
    let record: ConversationRecord
    let members: MembershipRecord[]
    if (body.kind === 'direct') {
      const other = await this.store.users.byId(body.userId)
      if (!other) throw notFound('user')
      if (other.bot) throw forbidden('bots take part only in the groups and rooms a server admin or a webhook put them in, not in direct chats')
      const key = directKey(callerId, body.userId)
      const existing = await this.store.conversations.byDirectKey(key)
      if (existing) return { conversation: existing, created: false }
      record = { ...blank(), id: randomUUID(), kind: 'direct', title: null, createdAt: now, createdBy: callerId, directKey: key }
      members = [...new Set([callerId, body.userId])].map((id) => member(id, 'member'))
    } else {
      const others = [...new Set(body.memberIds)].filter((id) => id !== callerId)
      await this.requireUsers(others)
      record = { ...blank(), id: randomUUID(), kind: 'group', title: body.title, createdAt: now, createdBy: callerId, directKey: null }
      members = [member(callerId, 'admin'), ...others.map((id) => member(id, 'member'))]
    }
    for (const m of members) m.conversationId = record.id
    try {
      await this.store.conversations.create(record, members)
    } catch (err) {
      // A concurrent request created the same direct chat while we checked (its key is unique).
      const raced = record.directKey ? await this.store.conversations.byDirectKey(record.directKey) : undefined
      if (raced) return { conversation: raced, created: false }
      throw err
    }
    if (record.kind === 'group') {
      await this.store.messages.append(record.id, systemDraft(callerId, { type: 'group_created', title: record.title ?? '' }))
    }
    return { conversation: record, created: true }
  }

  /** The conversation if the caller is a member: 404 if unknown, 403 if not theirs. */
  async requireMember(conversationId: string, userId: string): Promise<ConversationRecord> {
    return (await this.requireMembership(conversationId, userId)).conversation
  }

  /** requireMember, answering the caller's membership too. */
  async requireMembership(conversationId: string, userId: string): Promise<{ conversation: ConversationRecord; membership: MembershipRecord }> {
    const found = await this.store.conversations.withMembership(conversationId, userId)
    if (!found) throw notFound('conversation')
    if (!found.membership) throw forbidden('you are not a member of this conversation')
    return { conversation: found.conversation, membership: found.membership }
  }

  /** Like requireMember, and the conversation must be a group the caller administers. */
  async requireAdmin(conversationId: string, userId: string): Promise<ConversationRecord> {
    const { conversation, membership } = await this.requireGroupMembership(conversationId, userId)
    if (membership.role !== 'admin') {
      throw forbidden('only group admins can do this')
    }
    return conversation
  }

  /** Like requireMember, and the conversation must have members to manage: a group or a room. */
  async requireGroup(conversationId: string, userId: string): Promise<ConversationRecord> {
    return (await this.requireGroupMembership(conversationId, userId)).conversation
  }

  private async requireGroupMembership(conversationId: string, userId: string): Promise<{ conversation: ConversationRecord; membership: MembershipRecord }> {
    const found = await this.requireMembership(conversationId, userId)
    if (found.conversation.kind === 'direct') {
      throw new AppError('conflict', 'this is a direct chat; only groups and rooms have members to manage')
    }
    return found
  }

  /** Every id must be an account: 404 naming the first that is not. */
  async requireUsers(ids: string[]): Promise<void> {
    const users = await this.store.users.byIds(ids)
    const known = new Set(users.map((u) => u.id))
    const unknown = ids.find((id) => !known.has(id))
    if (unknown) throw new AppError('not_found', `user ${unknown} not found`)
    // Issue 21: a bot's conversations are chosen by a server admin (or are its webhook's), so its scope stays theirs.
    const bot = users.find((u) => u.bot)
    if (bot) throw forbidden(`${bot.username} is a bot: only a server admin adds bots to conversations`)
  }

  /** The newest message before `seq` that shows in the conversation, within one page (null past it). */
  private async lastShown(conversationId: string, seq: number, floor: number): Promise<Message | null> {
    const { messages } = await this.store.messages.page(conversationId, { before: seq, limit: LIMITS.pageSizeDefault }, floor)
    return messages.findLast(inConversation) ?? null
  }

  async memberIds(conversationId: string): Promise<string[]> {
    return (await this.store.conversations.members(conversationId)).map((m) => m.userId)
  }

  async view(record: ConversationRecord, userId: string): Promise<Conversation> {
    const [last, expiredSeq, membership, memberships, version] = await Promise.all([
      this.store.messages.last(record.id),
      this.store.messages.expiredSeq(record.id),
      this.store.conversations.membership(record.id, userId),
      this.store.conversations.members(record.id),
      this.store.messages.version(record.id)
    ])
    // With everything expired there is no last message, but seqs go on from the floor.
    const lastSeq = Math.max(last?.seq ?? 0, expiredSeq)
    const clearedSeq = membership?.clearedSeq ?? 0
    // A reply only in its thread is not the conversation's last message (threads, issue 20): the one before it that shows is.
    const shown = last && !inConversation(last) ? await this.lastShown(record.id, last.seq, clearedSeq) : last
    const lastMessage = shown && shown.seq > clearedSeq ? shown : null
    // Expired messages count as read: nobody can read them any more.
    const readSeq = Math.min(Math.max(membership?.readSeq ?? 0, clearedSeq, expiredSeq), lastSeq)
    // Unread counts what people wrote, not system events (joins, renames, join codes), as the client core
    // counts live messages; asked only when something is unread, so a read conversation costs no count.
    const systemUnread = readSeq < lastSeq ? await this.store.messages.systemCount(record.id, readSeq, lastSeq) : 0
    const users = new Map((await this.store.users.byIds(memberships.map((m) => m.userId))).map((u) => [u.id, u]))
    const members = memberships.flatMap((m) => {
      const user = users.get(m.userId)
      return user
        ? [{ user: toPublicUser(user), role: m.role, joinedAt: m.joinedAt, readSeq: m.readSeq, deliveredSeq: m.deliveredSeq ?? m.readSeq }]
        : []
    })
    return {
      id: record.id,
      kind: record.kind,
      title: record.title,
      description: record.description,
      avatar: record.avatar,
      createdAt: record.createdAt,
      createdBy: record.createdBy,
      members,
      lastSeq,
      version,
      lastMessage,
      readSeq,
      clearedSeq,
      expiredSeq,
      unreadCount: Math.max(0, lastSeq - readSeq - systemUnread),
      // Kept per membership as messages mention the member (services/mentions.ts), pruned as they read.
      mentionCount: mentionCount(membership?.mentionSeqs, readSeq),
      broadcastMentions: record.kind === 'direct' ? 'everyone' : (record.broadcastMentions ?? 'everyone')
    }
  }

  /** The caller's conversations, most recent activity first. */
  async list(userId: string): Promise<Conversation[]> {
    const views = await Promise.all((await this.store.conversations.forUser(userId)).map((c) => this.view(c, userId)))
    const activity = (c: Conversation): string => c.lastMessage?.createdAt ?? c.createdAt
    return views.sort((a, b) => activity(b).localeCompare(activity(a)))
  }

  /** The list as REST and the socket answer it: with the history's epoch once it was restored from a backup. */
  async listing(userId: string): Promise<ConversationListResponse> {
    const epoch = this.store.historyEpoch
    return { conversations: await this.list(userId), ...(epoch ? { historyEpoch: epoch } : {}) }
  }
}
