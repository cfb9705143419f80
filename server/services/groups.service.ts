import type { Message, SystemEvent } from '../../src/shared/schemas/messages'
import type { UpdateGroupBody } from '../../src/shared/schemas/groups'
import { RoomName } from '../../src/shared/schemas/rooms'
import { LIMITS } from '../../src/shared/limits'
import type { MemberRole } from '../../src/shared/schemas/conversations'
import { AppError, forbidden, notFound } from '../errors'
import type { ConversationRecord, MembershipRecord } from '../store/records'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'
import { assertRoomNameFree } from './rooms.service'
import { member } from './membership'
import { systemDraft } from './system-messages'

export type RemovalReason = 'removed' | 'left' | 'deleted'

/** What a group change did, for the caller to announce after it responded. */
export interface GroupChange {
  conversation: ConversationRecord
  /** System messages appended, in order. */
  messages: Message[]
  added: string[]
  /** Users who lost access, and why. */
  removed: { userId: string; reason: RemovalReason }[]
  deleted: boolean
  /** A setting changed that no system message tells (who may use @here and @all): members get the conversation again. */
  settingsChanged?: boolean
}

/**
 * Group administration. Every change is persisted, then recorded as a system
 * message in the conversation; the route announces it after responding.
 */
export class GroupService {
  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService
  ) {}

  async update(actorId: string, conversationId: string, body: UpdateGroupBody): Promise<GroupChange> {
    const before = await this.conversations.requireAdmin(conversationId, actorId)
    const events: SystemEvent[] = []
    const patch: Partial<Pick<ConversationRecord, 'title' | 'description' | 'avatar' | 'broadcastMentions'>> = {}
    if (body.title !== undefined && body.title !== before.title) {
      if (before.kind === 'room') {
        if (!RoomName.safeParse(body.title).success) {
          throw new AppError('validation_failed', `body.title: a room name may be at most ${LIMITS.roomNameMax} characters`)
        }
        await assertRoomNameFree(this.store, body.title, conversationId)
      }
      patch.title = body.title
      events.push({ type: 'group_renamed', title: body.title })
    }
    if (body.description !== undefined && body.description !== before.description) {
      patch.description = body.description
      events.push({ type: 'description_changed', description: body.description })
    }
    if (body.avatar !== undefined && body.avatar !== before.avatar) {
      patch.avatar = body.avatar
      events.push({ type: 'avatar_changed', removed: body.avatar === null })
    }
    const settingsChanged = body.broadcastMentions !== undefined && body.broadcastMentions !== (before.broadcastMentions ?? 'everyone')
    if (settingsChanged) patch.broadcastMentions = body.broadcastMentions
    const conversation = events.length || settingsChanged ? await this.store.conversations.update(conversationId, patch) : before
    return { ...(await this.change(conversation, actorId, events)), settingsChanged }
  }

  async addMembers(actorId: string, conversationId: string, userIds: string[]): Promise<GroupChange> {
    const conversation = await this.conversations.requireAdmin(conversationId, actorId)
    await this.conversations.requireUsers(userIds)
    const present = new Set(await this.conversations.memberIds(conversationId))
    const added = [...new Set(userIds)].filter((id) => !present.has(id))
    if (added.length === 0) return this.change(conversation, actorId, [])
    await this.store.conversations.addMembers(conversationId, added.map((id) => member(conversationId, id, 'member')))
    return { ...(await this.change(conversation, actorId, [{ type: 'members_added', userIds: added }])), added }
  }

  /**
   * Issue 21: puts a bot in a group or room, as `actorId` (a group admin making
   * a webhook, or a server admin choosing a bot's conversations: the caller
   * checked which). Recorded like any added member.
   */
  async addBot(actorId: string, conversationId: string, botId: string): Promise<GroupChange> {
    const conversation = await this.store.conversations.byId(conversationId)
    if (!conversation) throw notFound(`conversation ${conversationId}`)
    if (conversation.kind === 'direct') throw forbidden('bots take part in groups and rooms only, not in direct chats')
    if (await this.store.conversations.membership(conversationId, botId)) return this.change(conversation, actorId, [])
    await this.store.conversations.addMembers(conversationId, [member(conversationId, botId, 'member')])
    return { ...(await this.change(conversation, actorId, [{ type: 'members_added', userIds: [botId] }])), added: [botId] }
  }

  /** Issue 21: takes a bot out (its webhook revoked, or a server admin narrowed its conversations), recorded as a removal. */
  async removeBot(actorId: string, conversationId: string, botId: string): Promise<GroupChange | null> {
    const conversation = await this.store.conversations.byId(conversationId)
    if (!conversation || !(await this.store.conversations.membership(conversationId, botId))) return null
    await this.store.conversations.removeMember(conversationId, botId)
    const change = await this.change(conversation, actorId, [{ type: 'member_removed', userId: botId }])
    return { ...change, removed: [{ userId: botId, reason: 'removed' }] }
  }

  /** Removes a member (admins only), or lets a member leave when `userId` is the caller. */
  async removeMember(actorId: string, conversationId: string, userId: string): Promise<GroupChange> {
    if (userId === actorId) return this.leave(actorId, conversationId)
    const conversation = await this.conversations.requireAdmin(conversationId, actorId)
    if (!(await this.store.conversations.membership(conversationId, userId))) throw notFound('member')
    await this.store.conversations.removeMember(conversationId, userId)
    const change = await this.change(conversation, actorId, [{ type: 'member_removed', userId }])
    return { ...change, removed: [{ userId, reason: 'removed' }] }
  }

  async setRole(actorId: string, conversationId: string, userId: string, role: MemberRole): Promise<GroupChange> {
    const conversation = await this.conversations.requireAdmin(conversationId, actorId)
    const target = await this.store.conversations.membership(conversationId, userId)
    if (!target) throw notFound('member')
    if (target.role === role) return this.change(conversation, actorId, [])
    if (role === 'member' && (await this.admins(conversationId)).length === 1) {
      throw new AppError('conflict', 'a group needs at least one admin: make someone else admin first')
    }
    await this.store.conversations.setRole(conversationId, userId, role)
    return this.change(conversation, actorId, [{ type: 'role_changed', userId, role }])
  }

  /**
   * Any member may leave. When the last admin leaves, the longest-standing
   * member becomes admin; when the last member leaves, the group is deleted.
   */
  async leave(actorId: string, conversationId: string): Promise<GroupChange> {
    const conversation = await this.conversations.requireGroup(conversationId, actorId)
    const wasAdmin = (await this.store.conversations.membership(conversationId, actorId))?.role === 'admin'
    await this.store.conversations.removeMember(conversationId, actorId)
    const rest = await this.store.conversations.members(conversationId)
    // An empty group is gone; an empty public room stays for the next person to enter.
    if (rest.length === 0 && conversation.kind === 'group') return this.deleted(conversation, [{ userId: actorId, reason: 'left' }])
    const events: SystemEvent[] = [{ type: 'member_left', userId: actorId }]
    if (wasAdmin && !rest.some((m) => m.role === 'admin')) {
      const heir = [...rest].sort((a, b) => a.joinedAt.localeCompare(b.joinedAt))[0]
      if (heir) {
        await this.store.conversations.setRole(conversationId, heir.userId, 'admin')
        events.push({ type: 'role_changed', userId: heir.userId, role: 'admin' })
      }
    }
    const change = await this.change(conversation, actorId, events)
    return { ...change, removed: [{ userId: actorId, reason: 'left' }] }
  }

  async delete(actorId: string, conversationId: string): Promise<GroupChange> {
    const conversation = await this.conversations.requireAdmin(conversationId, actorId)
    return this.deleted(conversation, [])
  }

  private async deleted(conversation: ConversationRecord, removed: GroupChange['removed']): Promise<GroupChange> {
    for (const userId of await this.conversations.memberIds(conversation.id)) removed.push({ userId, reason: 'deleted' })
    await this.store.conversations.delete(conversation.id)
    await this.store.messages.drop(conversation.id)
    return { conversation, messages: [], added: [], removed, deleted: true }
  }

  private async admins(conversationId: string): Promise<MembershipRecord[]> {
    return (await this.store.conversations.members(conversationId)).filter((m) => m.role === 'admin')
  }

  private async change(conversation: ConversationRecord, actorId: string, events: SystemEvent[]): Promise<GroupChange> {
    const messages: Message[] = []
    for (const event of events) {
      messages.push((await this.store.messages.append(conversation.id, systemDraft(actorId, event))).message)
    }
    const current = (await this.store.conversations.byId(conversation.id)) ?? conversation
    return { conversation: current, messages, added: [], removed: [], deleted: false }
  }
}
