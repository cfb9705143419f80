// Whether new messages deserve a desktop notification, its words and whether
// it sounds: one set of rules for the Electron notifier and the Node host's
// browser notifications. Pure: preferences, focus and previews come in as
// arguments, so every rule is unit-tested; the hosts only show what this says.
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Message } from '../../../shared/schemas/messages'
import type { NotificationPrefs } from '../../../shared/schemas/notification-prefs'
import { plainLine } from '../../../shared/plain-text'
import { inConversation, threadKey } from '../../../shared/threads'
import { dndActive, mutedNow } from './dnd'
import { matchesKeyword } from './keywords'

/** Messages older than this (a catch-up after days offline) are not announced. */
export const RECENT_MS = 10 * 60_000
const PREVIEW_MAX = 140

export interface NotifyContext {
  meId: string | null
  /** The account's notification preferences and do-not-disturb (server-kept). */
  prefs: NotificationPrefs
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
  /** Threads the user follows (threadKey): their replies notify like messages of the conversation. */
  followedThreads?: ReadonlySet<string>
}

export interface NotificationSpec {
  conversationId: string
  title: string
  body: string
  /** Play the notification sound (prefs.sound). */
  sound: boolean
}

export interface NotifyDecision {
  notification: NotificationSpec | null
  /** The new value of notifiedSeq: edits and reactions of these messages never notify later. */
  notifiedSeq: number
}

/** Names me by id, @all, or `mentioned` (@here and user groups, expanded by the server): in the conversation or in a thread. */
function mentions(m: Message, me: string): boolean {
  return m.mentionAll === 'all' || (m.mentions?.includes(me) ?? false) || (m.mentioned?.includes(me) ?? false)
}

export function decideNotification(event: { conversationId: string; upserted: Message[] }, ctx: NotifyContext): NotifyDecision {
  const notifiedSeq = Math.max(ctx.notifiedSeq, ...event.upserted.map((m) => m.seq))
  const { conversation, prefs, meId } = ctx
  const readSeq = conversation?.readSeq ?? 0
  const mentioned = (m: Message): boolean => meId !== null && mentions(m, meId)
  const followed = (m: Message): boolean => m.threadRoot !== undefined && (ctx.followedThreads?.has(threadKey(event.conversationId, m.threadRoot)) ?? false)
  const fresh = event.upserted.filter(
    (m) =>
      m.seq > ctx.notifiedSeq &&
      m.seq > readSeq &&
      m.kind === 'text' &&
      !m.deletedAt &&
      m.senderId !== meId &&
      ctx.now - Date.parse(m.createdAt) <= RECENT_MS &&
      // A reply only in its thread: for those who follow the thread or are named in it.
      (inConversation(m) || mentioned(m) || followed(m))
  )
  const override = prefs.conversations[event.conversationId]
  const level = override?.level ?? prefs.level
  // Direct messages, mentions and keywords: what "mentions" lets through.
  const important = (m: Message): boolean => conversation?.kind === 'direct' || mentioned(m) || matchesKeyword(m.text, prefs.keywords)
  const told = mutedNow(prefs, event.conversationId, ctx.now) || level === 'none' ? [] : level === 'mentions' ? fresh.filter(important) : fresh
  const quiet = dndActive(prefs, ctx.now) || ctx.windowFocused || !conversation
  if (quiet || told.length === 0) return { notification: null, notifiedSeq }
  const last = told.reduce((a, b) => (b.seq > a.seq ? b : a))
  const sender = ctx.name(last.senderId)
  const named = mentioned(last)
  const group = conversation.kind !== 'direct'
  const title = (group ? `${conversation.title ?? 'Group'}` : sender) + (ctx.account ? ` · ${ctx.account}` : '')
  const count = told.length > 1 ? `${told.length} new messages` : null
  let body: string
  if (ctx.hidePreviews) body = named ? `${sender} mentioned you` : (count ?? (group ? `New message from ${sender}` : 'New message'))
  else {
    const preview = plainLine(last.text, PREVIEW_MAX)
    body = (named ? `${sender} mentioned you: ` : group ? `${sender}: ` : '') + preview
    if (count) body = `${count} · ${body}`
  }
  return { notification: { conversationId: event.conversationId, title, body, sound: prefs.sound }, notifiedSeq }
}
