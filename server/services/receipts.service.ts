import type { MessageReceipts, ReceiptUpdate } from '../../src/shared/schemas/receipts'
import { notFound } from '../errors'
import { markTime, type Marks } from '../store/read-marks'
import type { MembershipRecord } from '../store/records'
import type { Conversation, ConversationKind } from '../../src/shared/schemas/conversations'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'
import { messageAt } from './message-at'

export interface Cursors {
  readSeq: number
  deliveredSeq: number
  /** Set when a cursor moved: what to tell the conversation. */
  update: ReceiptUpdate | null
  /** Who hears of it depends on the kind of conversation. */
  kind: ConversationKind
}

/** When `seq` was passed: the first remembered move at or beyond it. */
function timeOf(marks: Marks | undefined, seq: number): string | null {
  const at = markTime(marks, seq)
  return at === null ? null : new Date(at).toISOString()
}

/**
 * Read and delivery receipts. Each member has a read and a delivered cursor
 * per conversation; unread counts and ticks derive from them, so every device
 * agrees. Recent cursor moves are remembered with their time, which gives the
 * `read_by: { userId: time }` of a message.
 */
export class ReceiptService {
  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly now: () => number
  ) {}

  read(userId: string, conversationId: string, seq: number): Promise<Cursors> {
    return this.move(userId, conversationId, seq, 'read')
  }

  delivered(userId: string, conversationId: string, seq: number): Promise<Cursors> {
    return this.move(userId, conversationId, seq, 'delivered')
  }

  /**
   * Issue 20, "mark unread from here": the caller's read position goes back to
   * just before `seq`, so that message and those after it count as unread
   * again. Only the caller's devices hear of it (their view of the
   * conversation); others' ticks are not taken back.
   */
  async unread(userId: string, conversationId: string, seq: number): Promise<{ conversation: Conversation; moved: boolean }> {
    const { conversation, membership } = await this.conversations.requireMembership(conversationId, userId)
    const message = await messageAt(this.store.messages, conversationId, seq, membership.clearedSeq ?? 0)
    if (!message) throw notFound('message')
    const moved = await this.store.conversations.markUnread(conversationId, userId, seq - 1)
    return { conversation: await this.conversations.view(conversation, userId), moved }
  }

  async forMessage(userId: string, conversationId: string, seq: number): Promise<MessageReceipts> {
    await this.conversations.requireMember(conversationId, userId)
    const message = await messageAt(this.store.messages, conversationId, seq)
    if (!message) throw notFound('message')
    const readBy: Record<string, string> = {}
    const deliveredTo: Record<string, string> = {}
    for (const m of await this.store.conversations.members(conversationId)) {
      if (m.userId === message.senderId) continue
      const read = m.readSeq >= seq ? (timeOf(m.readMarks, seq) ?? message.createdAt) : null
      const deliveredSeq = m.deliveredSeq ?? m.readSeq
      const delivered = deliveredSeq >= seq ? (timeOf(m.deliveredMarks, seq) ?? read ?? message.createdAt) : null
      if (read) readBy[m.userId] = read
      if (delivered) deliveredTo[m.userId] = delivered
    }
    return { readBy, deliveredTo }
  }

  private async move(userId: string, conversationId: string, seq: number, which: 'read' | 'delivered'): Promise<Cursors> {
    const { conversation } = await this.conversations.requireMembership(conversationId, userId)
    const last = (await this.store.messages.last(conversationId))?.seq ?? 0
    const at = this.now()
    const target = Math.min(seq, last)
    const moved =
      which === 'read'
        ? await this.store.conversations.markRead(conversationId, userId, target, at)
        : await this.store.conversations.markDelivered(conversationId, userId, target, at)
    const m = (await this.store.conversations.membership(conversationId, userId)) as MembershipRecord
    const cursors = { readSeq: m.readSeq, deliveredSeq: m.deliveredSeq ?? m.readSeq }
    const update = moved ? { conversationId, userId, ...cursors, at: new Date(at).toISOString() } : null
    return { ...cursors, update, kind: conversation.kind }
  }
}
