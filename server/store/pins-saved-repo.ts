// Issue 20: pins and saved messages inside the meta store's lowdb document.
// Both lists are small (PINS_MAX per conversation, SAVED_MAX per user), so a
// change rewrites the document like the admin records do.
import type { DbData, PinRecord, SavedRecord } from './records'
import type { PinRepo, SavedRepo } from './types'

export class LowPinRepo implements PinRepo {
  constructor(
    private readonly data: () => DbData,
    private readonly writeNow: () => Promise<void>
  ) {}

  /** Older documents get the missing collection. */
  load(): void {
    this.data().pins ??= {}
  }

  private get pins(): Record<string, PinRecord[]> {
    return (this.data().pins ??= {})
  }

  list: PinRepo['list'] = (conversationId) => Promise.resolve([...(this.pins[conversationId] ?? [])].reverse())

  add: PinRepo['add'] = async (pin) => {
    const list = (this.pins[pin.conversationId] ??= [])
    if (list.some((p) => p.seq === pin.seq)) return false
    list.push(pin)
    await this.writeNow()
    return true
  }

  /** A deleted conversation's pins, in the caller's write. */
  dropConversation(conversationId: string): void {
    delete this.pins[conversationId]
  }

  remove: PinRepo['remove'] = async (conversationId, seqs) => {
    const list = this.pins[conversationId] ?? []
    const gone = list.filter((p) => seqs.includes(p.seq)).map((p) => p.seq)
    if (gone.length === 0) return []
    const rest = list.filter((p) => !seqs.includes(p.seq))
    if (rest.length) this.pins[conversationId] = rest
    else delete this.pins[conversationId]
    await this.writeNow()
    return gone
  }
}

export class LowSavedRepo implements SavedRepo {
  constructor(
    private readonly data: () => DbData,
    private readonly writeNow: () => Promise<void>
  ) {}

  load(): void {
    this.data().saved ??= {}
  }

  private get saved(): Record<string, SavedRecord[]> {
    return (this.data().saved ??= {})
  }

  list: SavedRepo['list'] = (userId) => Promise.resolve([...(this.saved[userId] ?? [])].reverse())

  add: SavedRepo['add'] = async (record) => {
    const list = (this.saved[record.userId] ??= [])
    if (list.some((s) => s.conversationId === record.conversationId && s.seq === record.seq)) return false
    list.push(record)
    await this.writeNow()
    return true
  }

  /** Everyone's saved messages of a deleted conversation, in the caller's write. */
  dropConversation(conversationId: string): void {
    for (const [userId, list] of Object.entries(this.saved)) {
      const rest = list.filter((s) => s.conversationId !== conversationId)
      if (rest.length === list.length) continue
      if (rest.length) this.saved[userId] = rest
      else delete this.saved[userId]
    }
  }

  remove: SavedRepo['remove'] = async (userId, conversationId, seq) => {
    const list = this.saved[userId] ?? []
    const rest = list.filter((s) => !(s.conversationId === conversationId && s.seq === seq))
    if (rest.length === list.length) return false
    if (rest.length) this.saved[userId] = rest
    else delete this.saved[userId]
    await this.writeNow()
    return true
  }
}
