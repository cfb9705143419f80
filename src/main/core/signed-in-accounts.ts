// The accounts signed in at once, each with its own runtime (connection,
// sync, cache), and which one the window shows. Every one stays connected,
// as Slack keeps every workspace: a background account's unread total and
// notifications are live, and switching shows its cache without a reconnect.
import type { UnreadByAccount } from '../../shared/ipc'
import type { Me } from '../../shared/schemas/users'
import { AccountEvents } from './account-events'
import type { EventBatcher } from './event-batcher'
import type { AccountRuntime } from './runtime'

/** Background messages older than this (a catch-up after a long time offline) are not passed on to be announced. */
const ANNOUNCE_MS = 10 * 60_000

interface Open {
  runtime: AccountRuntime
  me: Me | null
}

export class SignedInAccounts {
  private readonly open = new Map<string, Open>()
  /** The account the window shows; null when none is signed in. */
  shownId: string | null = null
  private unreadSent = ''
  private unreadPending = false

  constructor(private readonly events: EventBatcher) {}

  get shown(): Open | null {
    return (this.shownId && this.open.get(this.shownId)) || null
  }

  get(id: string): Open | undefined {
    return this.open.get(id)
  }

  all(): Open[] {
    return [...this.open.values()]
  }

  add(runtime: AccountRuntime, me: Me | null): void {
    this.open.set(runtime.account.id, { runtime, me })
    this.unreadMayChange()
  }

  remove(id: string): Open | undefined {
    const entry = this.open.get(id)
    this.open.delete(id)
    if (this.shownId === id) this.shownId = null
    this.unreadMayChange()
    return entry
  }

  /** The events of one account's runtime: to the window while shown, otherwise kept back. */
  eventsFor(accountId: string, userId: string): AccountEvents {
    return new AccountEvents(this.events, {
      shown: () => this.shownId === accountId,
      unreadMayChange: () => this.unreadMayChange(),
      backgroundMessages: ({ conversationId, upserted }) => {
        const cache = this.open.get(accountId)?.runtime.cache
        const conversation = cache?.conversation(conversationId)
        const now = Date.now()
        const fresh = upserted.filter((m) => m.senderId !== userId && now - Date.parse(m.createdAt) <= ANNOUNCE_MS)
        if (!cache || !conversation || fresh.length === 0) return
        this.events.emit('accountMessages', { accountId, conversation, muted: cache.mutedIds().includes(conversationId), upserted: fresh })
      }
    })
  }

  /** Unread messages of each signed-in account, muted conversations left out (as the dock badge counts). */
  unread(): UnreadByAccount {
    const out: UnreadByAccount = {}
    for (const [id, { runtime }] of this.open) {
      const muted = new Set(runtime.cache.mutedIds())
      out[id] = runtime.cache.conversations().reduce((sum, c) => sum + (muted.has(c.id) ? 0 : c.unreadCount), 0)
    }
    return out
  }

  /** Counted once after a burst of changes (a catch-up brings many), and sent only when a total changed. */
  private unreadMayChange(): void {
    if (this.unreadPending) return
    this.unreadPending = true
    setImmediate(() => {
      this.unreadPending = false
      const unread = this.unread()
      const text = JSON.stringify(unread)
      if (text === this.unreadSent) return
      this.unreadSent = text
      this.events.emit('unread', unread)
    })
  }
}
