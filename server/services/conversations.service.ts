import { randomUUID } from 'node:crypto'
import type { Conversation, CreateConversationBody } from '../../src/shared/schemas/conversations'
import { AppError, forbidden, notFound } from '../errors'
import type { ConversationRecord, MembershipRecord } from '../store/records'
import type { Store } from '../store/types'
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
      if (!this.store.users.byId(body.userId)) throw notFound('user')
      const key = directKey(callerId, body.userId)
      const existing = this.store.conversations.byDirectKey(key)
      if (existing) return { conversation: existing, created: false }
      record = { ...blank(), id: randomUUID(), kind: 'direct', title: null, createdAt: now, createdBy: callerId, directKey: key }
      members = [...new Set([callerId, body.userId])].map((id) => member(id, 'member'))
    } else {
      const others = [...new Set(body.memberIds)].filter((id) => id !== callerId)
      const unknown = others.find((id) => !this.store.users.byId(id))
      if (unknown) throw new AppError('not_found', `user ${unknown} not found`)
      record = { ...blank(), id: randomUUID(), kind: 'group', title: body.title, createdAt: now, createdBy: callerId, directKey: null }
      members = [member(callerId, 'admin'), ...others.map((id) => member(id, 'member'))]
    }
    for (const m of members) m.conversationId = record.id
    // A concurrent request may have created the same direct chat while we checked.
    if (record.directKey) {
      const raced = this.store.conversations.byDirectKey(record.directKey)
      if (raced) return { conversation: raced, created: false }
    }
    await this.store.conversations.create(record, members)
    if (record.kind === 'group') {
      const { message } = await this.store.messages.append(record.id, systemDraft(callerId, { type: 'group_created', title: record.title ?? '' }))
      this.store.conversations.markRead(record.id, callerId, message.seq)
    }
    return { conversation: record, created: true }
  }

  /** The conversation if the caller is a member: 404 if unknown, 403 if not theirs. */
  requireMember(conversationId: string, userId: string): ConversationRecord {
    const conversation = this.store.conversations.byId(conversationId)
    if (!conversation) throw notFound('conversation')
    if (!this.store.conversations.membership(conversationId, userId)) {
      throw forbidden('you are not a member of this conversation')
    }
    return conversation
  }

  /** Like requireMember, and the conversation must be a group the caller administers. */
  requireAdmin(conversationId: string, userId: string): ConversationRecord {
    const conversation = this.requireGroup(conversationId, userId)
    if (this.store.conversations.membership(conversationId, userId)?.role !== 'admin') {
      throw forbidden('only group admins can do this')
    }
    return conversation
  }

  /** Like requireMember, and the conversation must have members to manage: a group or a room. */
  requireGroup(conversationId: string, userId: string): ConversationRecord {
    const conversation = this.requireMember(conversationId, userId)
    if (conversation.kind === 'direct') {
      throw new AppError('conflict', 'this is a direct chat; only groups and rooms have members to manage')
    }
    return conversation
  }

  memberIds(conversationId: string): string[] {
    return this.store.conversations.members(conversationId).map((m) => m.userId)
  }

  async view(record: ConversationRecord, userId: string): Promise<Conversation> {
    const last = await this.store.messages.last(record.id)
    // With everything expired there is no last message, but seqs go on from the floor.
    const expiredSeq = await this.store.messages.expiredSeq(record.id)
    const lastSeq = Math.max(last?.seq ?? 0, expiredSeq)
    const membership = this.store.conversations.membership(record.id, userId)
    const clearedSeq = membership?.clearedSeq ?? 0
    const lastMessage = last && last.seq > clearedSeq ? last : null
    // Expired messages count as read: nobody can read them any more.
    const readSeq = Math.min(Math.max(membership?.readSeq ?? 0, clearedSeq, expiredSeq), lastSeq)
    const members = this.store.conversations.members(record.id).flatMap((m) => {
      const user = this.store.users.byId(m.userId)
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
      version: await this.store.messages.version(record.id),
      lastMessage,
      readSeq,
      clearedSeq,
      expiredSeq,
      unreadCount: lastSeq - readSeq
    }
  }

  /** The caller's conversations, most recent activity first. */
  async list(userId: string): Promise<Conversation[]> {
    const views = await Promise.all(this.store.conversations.forUser(userId).map((c) => this.view(c, userId)))
    const activity = (c: Conversation): string => c.lastMessage?.createdAt ?? c.createdAt
    return views.sort((a, b) => activity(b).localeCompare(activity(a)))
  }
}
