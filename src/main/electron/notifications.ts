// The dock badge's and the tray's count. Whether a message notifies is
// decided in the core (core/notify/decide.ts), the same for the Node host.
import type { Conversation } from '../../shared/schemas/conversations'

/** Unread messages shown on the badge and the tray: muted conversations do not count. */
export function unreadTotal(conversations: Iterable<Pick<Conversation, 'id' | 'unreadCount'>>, muted: ReadonlySet<string>): number {
  let total = 0
  for (const c of conversations) if (!muted.has(c.id)) total += c.unreadCount
  return total
}
