// Issue 20: saved messages, a personal list across conversations kept on the
// server so every device of the user shows the same.
import type { Message } from '../../src/shared/schemas/messages'
import { SAVED_MAX, type SavedItem } from '../../src/shared/schemas/saved'
import { AppError, notFound } from '../errors'
import type { SavedRecord } from '../store/records'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'
import { messageAt } from './message-at'

export interface SavedChange {
  added?: SavedItem
  removed?: { conversationId: string; seq: number }
  /** False when nothing changed (saved twice, or removed what was not saved). */
  changed: boolean
}

export class SavedService {
  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly now: () => number
  ) {}

  async list(userId: string): Promise<SavedItem[]> {
    const records = await this.store.saved.list(userId)
    // One membership read per conversation, however many of its messages were saved.
    const floors = new Map<string, Promise<number | null>>()
    const floor = (conversationId: string): Promise<number | null> => {
      let found = floors.get(conversationId)
      if (!found) {
        found = this.store.conversations.membership(conversationId, userId).then((m) => (m ? (m.clearedSeq ?? 0) : null))
        floors.set(conversationId, found)
      }
      return found
    }
    return Promise.all(records.map(async (r) => ({ ...view(r), message: await this.readable(r, await floor(r.conversationId)) })))
  }

  async save(userId: string, conversationId: string, seq: number): Promise<SavedChange> {
    const { membership } = await this.conversations.requireMembership(conversationId, userId)
    const message = await messageAt(this.store.messages, conversationId, seq, membership.clearedSeq ?? 0)
    if (!message) throw notFound('message')
    if (message.kind === 'system') throw new AppError('conflict', 'system messages cannot be saved')
    if (message.deletedAt) throw new AppError('conflict', 'this message was deleted; it cannot be saved')
    return this.store.locks.run(`saved:${userId}`, async () => {
      const records = await this.store.saved.list(userId)
      const found = records.find((r) => r.conversationId === conversationId && r.seq === seq)
      if (found) return { added: { ...view(found), message }, changed: false }
      if (records.length >= SAVED_MAX) {
        throw new AppError('conflict', `you can save at most ${SAVED_MAX} messages: remove one from Saved first`)
      }
      const record: SavedRecord = { userId, conversationId, seq, savedAt: new Date(this.now()).toISOString() }
      await this.store.saved.add(record)
      return { added: { ...view(record), message }, changed: true }
    })
  }

  /** Anyone may remove what they saved, also after leaving its conversation. */
  async unsave(userId: string, conversationId: string, seq: number): Promise<SavedChange> {
    const changed = await this.store.locks.run(`saved:${userId}`, () => this.store.saved.remove(userId, conversationId, seq))
    return { removed: { conversationId, seq }, changed }
  }

  /** The message if the user may still read it (`floor`: their cleared history, null when not a member), not deleted or expired. */
  private async readable(record: SavedRecord, floor: number | null): Promise<Message | null> {
    if (floor === null) return null
    const message = await messageAt(this.store.messages, record.conversationId, record.seq, floor)
    return message && !message.deletedAt ? message : null
  }
}

const view = (r: SavedRecord): Omit<SavedItem, 'message'> => ({ conversationId: r.conversationId, seq: r.seq, savedAt: r.savedAt })
