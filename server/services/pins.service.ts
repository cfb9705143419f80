// Issue 20: pinned messages of a conversation. Group admins pin in groups,
// room admins in rooms, both people in a direct chat; every member reads them.
import type { Message } from '../../src/shared/schemas/messages'
import { PINS_MAX, type Pin } from '../../src/shared/schemas/pins'
import { AppError, forbidden, notFound } from '../errors'
import type { PinRecord } from '../store/records'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'
import { messageAt } from './message-at'
import { systemDraft } from './system-messages'

export interface PinChange {
  conversationId: string
  /** The whole list after the change, newest pin first. */
  pins: Pin[]
  /** The 'message_pinned' system message; null when nothing changed (pinned twice, unpinned twice). */
  system: Message | null
}

/** A pin's message if it still shows (not deleted, not expired), else null. */
async function live(store: Store, pin: PinRecord): Promise<Message | null> {
  const message = await messageAt(store.messages, pin.conversationId, pin.seq)
  return message && !message.deletedAt ? message : null
}

export class PinService {
  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly now: () => number
  ) {}

  async list(userId: string, conversationId: string): Promise<Pin[]> {
    await this.conversations.requireMember(conversationId, userId)
    return (await this.resolve(conversationId)).pins
  }

  async pin(userId: string, conversationId: string, seq: number): Promise<PinChange> {
    await this.requirePinner(userId, conversationId)
    await this.pinnable(conversationId, seq)
    return this.store.locks.run(`pins:${conversationId}`, async () => {
      const { pins, stale } = await this.resolve(conversationId)
      // A deleted or expired message left the list: its record goes too, so it never counts against the limit.
      if (stale.length) await this.store.pins.remove(conversationId, stale)
      if (pins.some((p) => p.seq === seq)) return { conversationId, pins, system: null }
      if (pins.length >= PINS_MAX) {
        throw new AppError('conflict', `a conversation can have at most ${PINS_MAX} pinned messages: unpin one first`)
      }
      await this.store.pins.add({ conversationId, seq, pinnedBy: userId, pinnedAt: new Date(this.now()).toISOString() })
      return this.changed(userId, conversationId, seq, true)
    })
  }

  async unpin(userId: string, conversationId: string, seq: number): Promise<PinChange> {
    await this.requirePinner(userId, conversationId)
    if (!(await messageAt(this.store.messages, conversationId, seq))) throw notFound('message')
    return this.store.locks.run(`pins:${conversationId}`, async () => {
      const removed = await this.store.pins.remove(conversationId, [seq])
      if (removed.length === 0) return { conversationId, pins: (await this.resolve(conversationId)).pins, system: null }
      return this.changed(userId, conversationId, seq, false)
    })
  }

  private async changed(userId: string, conversationId: string, seq: number, pinned: boolean): Promise<PinChange> {
    const { message } = await this.store.messages.append(conversationId, systemDraft(userId, { type: 'message_pinned', seq, pinned }))
    return { conversationId, pins: (await this.resolve(conversationId)).pins, system: message }
  }

  /** The pins whose messages still show, newest first, and the seqs of those that no longer do. */
  private async resolve(conversationId: string): Promise<{ pins: Pin[]; stale: number[] }> {
    const records = await this.store.pins.list(conversationId)
    const messages = await Promise.all(records.map((r) => live(this.store, r)))
    const pins: Pin[] = []
    const stale: number[] = []
    records.forEach((r, i) => {
      const message = messages[i]
      if (message) pins.push({ ...r, message })
      else stale.push(r.seq)
    })
    return { pins, stale }
  }

  private async requirePinner(userId: string, conversationId: string): Promise<void> {
    const { conversation, membership } = await this.conversations.requireMembership(conversationId, userId)
    if (conversation.kind === 'direct' || membership.role === 'admin') return
    throw forbidden(`only ${conversation.kind === 'room' ? 'room' : 'group'} admins can pin or unpin messages here`)
  }

  private async pinnable(conversationId: string, seq: number): Promise<void> {
    const message = await messageAt(this.store.messages, conversationId, seq)
    if (!message) throw notFound('message')
    if (message.kind === 'system') throw new AppError('conflict', 'system messages cannot be pinned')
    if (message.deletedAt) throw new AppError('conflict', 'this message was deleted; it cannot be pinned')
  }
}
