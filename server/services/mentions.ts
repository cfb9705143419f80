// Mentions of a send or an edit: people (members only), @here and @all (a
// group or room may allow them to admins only), user groups (expanded to the
// conversation's members), and the unread mentions each member counts.
import type { BroadcastMention, Message } from '../../src/shared/schemas/messages'
import { forbidden } from '../errors'
import type { ConversationRecord, MembershipRecord } from '../store/records'
import type { Store } from '../store/types'

export interface MentionFields {
  mentions?: string[] | undefined
  mentionAll?: BroadcastMention | undefined
  mentionGroups?: string[] | undefined
}

/** What a message stores of its mentions; empty lists are left out. */
export interface ResolvedMentions {
  mentions?: string[]
  mentionAll?: BroadcastMention
  mentionGroups?: string[]
  mentioned?: string[]
}

export const BROADCAST_ADMINS_ONLY = 'only admins of this conversation may use @here and @all (its setting broadcastMentions is admins)'

export class MentionService {
  /** Which of these users are online now, on any node; set once presence runs (without it @here reaches nobody). */
  online: ((userIds: string[]) => Promise<Set<string>>) | null = null

  constructor(private readonly store: Store) {}

  /**
   * The mentions to store. `before` is the message an edit changes: an
   * unchanged @here keeps whom it reached then, and an @all kept as it was is
   * not refused after the setting changed.
   */
  async resolve(conversation: ConversationRecord, sender: MembershipRecord, body: MentionFields, before?: Message): Promise<ResolvedMentions> {
    // Most messages mention nobody: they cost no read of the members (the send path stays as fast as before).
    if (!body.mentions?.length && !body.mentionAll && !body.mentionGroups?.length) return {}
    const memberships = await this.store.conversations.members(conversation.id)
    const members = new Set(memberships.map((m) => m.userId))
    const out: ResolvedMentions = {}
    const people = [...new Set(body.mentions ?? [])].filter((id) => members.has(id))
    if (people.length) out.mentions = people
    if (body.mentionAll) {
      const kept = before?.mentionAll === body.mentionAll
      if (!kept && !mayBroadcast(conversation, sender)) throw forbidden(BROADCAST_ADMINS_ONLY)
      out.mentionAll = body.mentionAll
    }
    const groups = await this.userGroups(body.mentionGroups)
    if (groups.length) out.mentionGroups = groups.map((g) => g.id)
    const unchanged = before && before.mentionAll === body.mentionAll && sameSet(before.mentionGroups, out.mentionGroups)
    const expanded = new Set<string>(unchanged ? (before.mentioned ?? []) : [])
    if (!unchanged) {
      if (body.mentionAll === 'here') {
        const others = [...members].filter((id) => id !== sender.userId)
        for (const id of (await this.online?.(others)) ?? []) expanded.add(id)
      }
      for (const g of groups) for (const id of g.memberIds) if (members.has(id)) expanded.add(id)
    }
    expanded.delete(sender.userId)
    if (expanded.size) out.mentioned = [...expanded]
    return out
  }

  /** Records the new message's mentions as unread for those it mentions. */
  async sent(message: Message): Promise<void> {
    if (!countsInConversation(message)) return
    const ids = await this.notified(message)
    if (ids.length) await this.store.mentions.mark(message.conversationId, message.seq, ids)
  }

  /** An edit or a deletion changed a message: whom it mentions now counts it, whom it no longer mentions does not. */
  async changed(before: Message, after: Message): Promise<void> {
    if (!countsInConversation(before)) return
    const was = new Set(await this.notified(before))
    const now = after.deletedAt ? new Set<string>() : new Set(await this.notified(after))
    const gone = [...was].filter((id) => !now.has(id))
    const added = [...now].filter((id) => !was.has(id))
    if (gone.length) await this.store.mentions.unmark(after.conversationId, after.seq, gone)
    if (added.length) await this.store.mentions.mark(after.conversationId, after.seq, added)
  }

  /** Members this message mentions (by name, @all, @here or a user group), never its sender. */
  private async notified(message: Message): Promise<string[]> {
    const ids =
      message.mentionAll === 'all'
        ? (await this.store.conversations.members(message.conversationId)).map((m) => m.userId)
        : [...(message.mentions ?? []), ...(message.mentioned ?? [])]
    return [...new Set(ids)].filter((id) => id !== message.senderId)
  }

  private async userGroups(ids: string[] | undefined): Promise<{ id: string; memberIds: string[] }[]> {
    const wanted = [...new Set(ids ?? [])]
    if (wanted.length === 0) return []
    const found = new Map((await this.store.userGroups.byIds(wanted)).map((g) => [g.id, g]))
    return wanted.flatMap((id) => found.get(id) ?? [])
  }
}

/** Direct chats let both write @here and @all; groups and rooms follow their setting. */
export function mayBroadcast(conversation: ConversationRecord, member: MembershipRecord): boolean {
  return conversation.kind === 'direct' || conversation.broadcastMentions !== 'admins' || member.role === 'admin'
}

/** A reply only in its thread counts in the thread (i20-threads), not in the conversation's badge. */
function countsInConversation(message: Message): boolean {
  return message.threadRoot === undefined || message.alsoInConversation === true
}

function sameSet(a: string[] | undefined, b: string[] | undefined): boolean {
  const left = new Set(a ?? [])
  const right = b ?? []
  return left.size === right.length && right.every((id) => left.has(id))
}
