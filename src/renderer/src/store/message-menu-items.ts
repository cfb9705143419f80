// Issue 20: which items a message's menu (MessageMenu) offers, and in what order. Pure, so
// who sees Edit, Delete or Pin is tested without a window. Items of features
// built beside this one (threads, pins, saved messages) show once the store
// has their actions (OtherFeatures), so this menu needs no change when they land.
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Message } from '../../../shared/schemas/messages'

export type MenuItemId =
  | 'reply'
  | 'replyInThread'
  | 'react'
  | 'copyText'
  | 'copyLink'
  | 'forward'
  | 'pin'
  | 'unpin'
  | 'save'
  | 'unsave'
  | 'edit'
  | 'delete'
  | 'markUnread'
  | 'info'

/** What the store holds of the threads, pins and saved-messages features, when they are there. */
export interface OtherFeatures {
  openThread?: (conversationId: string, rootSeq: number) => void
  pin?: (conversationId: string, seq: number) => Promise<void>
  unpin?: (conversationId: string, seq: number) => Promise<void>
  save?: (conversationId: string, seq: number) => Promise<void>
  unsave?: (conversationId: string, seq: number) => Promise<void>
  pins?: Record<string, Array<{ seq: number }>>
  saved?: Array<{ conversationId: string; seq: number }>
}

export interface MenuFacts {
  message: Message
  conversation: Conversation
  meId: string | null
  features: OtherFeatures
}

/** Pins: group and room admins; both people of a direct chat. */
export function mayPin({ conversation: c, meId }: Pick<MenuFacts, 'conversation' | 'meId'>): boolean {
  if (c.kind === 'direct') return true
  return c.members.some((m) => m.user.id === meId && m.role === 'admin')
}

/** Deleting for everyone: the sender, and admins of a group or room. */
export function mayDelete({ message: m, conversation: c, meId }: Pick<MenuFacts, 'message' | 'conversation' | 'meId'>): boolean {
  if (m.senderId === meId) return true
  return c.kind !== 'direct' && c.members.some((x) => x.user.id === meId && x.role === 'admin')
}

export function menuItems(facts: MenuFacts): MenuItemId[] {
  const { message: m, conversation: c, meId, features: f } = facts
  if (m.kind === 'system' || m.deletedAt) return []
  const mine = m.senderId === meId
  const items: MenuItemId[] = ['reply']
  // A reply in a thread has no thread of its own.
  if (f.openThread && m.threadRoot === undefined) items.push('replyInThread')
  items.push('react')
  if (m.text.trim()) items.push('copyText')
  items.push('copyLink', 'forward')
  if (f.pin && f.unpin && mayPin(facts)) items.push(f.pins?.[c.id]?.some((p) => p.seq === m.seq) ? 'unpin' : 'pin')
  if (f.save && f.unsave) items.push(f.saved?.some((s) => s.conversationId === c.id && s.seq === m.seq) ? 'unsave' : 'save')
  if (mine) items.push('edit')
  if (mayDelete(facts)) items.push('delete')
  items.push('markUnread', 'info')
  return items
}
