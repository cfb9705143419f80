// Whether new messages deserve a notification, and its words. Pure: the
// muted list, do-not-disturb, focus and previews come in as arguments, so
// every rule is unit-tested; notifier.ts only shows what this returns.
import type { Conversation } from '../../shared/schemas/conversations'
import type { Message } from '../../shared/schemas/messages'
import { plainLine } from '../../shared/plain-text'
import { mentionsMe } from '../core/mentions'

/** Messages older than this (a catch-up after days offline) are not announced. */
export const RECENT_MS = 10 * 60_000
const PREVIEW_MAX = 140

export interface NotifyContext {
  meId: string | null
  muted: ReadonlySet<string>
  doNotDisturb: boolean
  hidePreviews: boolean
  /** The app window is focused: the user sees the messages arrive. */
  windowFocused: boolean
  now: number
  conversation: Conversation | undefined
  /** Highest seq already announced (or seen) in this conversation during this run. */
  notifiedSeq: number
  name(userId: string): string
  /** Which account the messages are for, when this app has more than one ("Front office"): said in the title. */
  account?: string | null
}

export interface NotificationSpec {
  conversationId: string
  title: string
  body: string
}

export interface NotifyDecision {
  notification: NotificationSpec | null
  /** The new value of notifiedSeq: edits and reactions of these messages never notify later. */
  notifiedSeq: number
}

export function decideNotification(event: { conversationId: string; upserted: Message[] }, ctx: NotifyContext): NotifyDecision {
  const notifiedSeq = Math.max(ctx.notifiedSeq, ...event.upserted.map((m) => m.seq))
  const conversation = ctx.conversation
  const readSeq = conversation?.readSeq ?? 0
  const fresh = event.upserted.filter(
    (m) =>
      m.seq > ctx.notifiedSeq &&
      m.seq > readSeq &&
      m.kind === 'text' &&
      !m.deletedAt &&
      m.senderId !== ctx.meId &&
      ctx.now - Date.parse(m.createdAt) <= RECENT_MS
  )
  // A mention gets through a muted conversation (as Slack's mute lets mentions through); do-not-disturb holds everything.
  const mentions = ctx.meId === null ? [] : fresh.filter((m) => mentionsMe(m, ctx.meId!))
  const muted = ctx.muted.has(event.conversationId)
  const told = muted ? mentions : fresh
  const quiet = ctx.doNotDisturb || ctx.windowFocused || !conversation
  if (quiet || told.length === 0) return { notification: null, notifiedSeq }
  const last = told.reduce((a, b) => (b.seq > a.seq ? b : a))
  const sender = ctx.name(last.senderId)
  const mentioned = mentionsMe(last, ctx.meId ?? '')
  const group = conversation.kind !== 'direct'
  const title = (group ? `${conversation.title ?? 'Group'}` : sender) + (ctx.account ? ` · ${ctx.account}` : '')
  const count = told.length > 1 ? `${told.length} new messages` : null
  let body: string
  if (ctx.hidePreviews) body = mentioned ? `${sender} mentioned you` : (count ?? (group ? `New message from ${sender}` : 'New message'))
  else {
    const preview = plainLine(last.text, PREVIEW_MAX)
    body = (mentioned ? `${sender} mentioned you: ` : group ? `${sender}: ` : '') + preview
    if (count) body = `${count} · ${body}`
  }
  return { notification: { conversationId: event.conversationId, title, body }, notifiedSeq }
}

/** Unread messages shown on the badge and the tray: muted conversations do not count. */
export function unreadTotal(conversations: Iterable<Pick<Conversation, 'id' | 'unreadCount'>>, muted: ReadonlySet<string>): number {
  let total = 0
  for (const c of conversations) if (!muted.has(c.id)) total += c.unreadCount
  return total
}
