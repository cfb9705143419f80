// Selectors per domain: components pick the least they need.
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Message } from '../../../shared/schemas/messages'
import type { PresenceStatus } from '../../../shared/schemas/presence'
import type { Me } from '../../../shared/schemas/users'
import { i18n } from '../i18n'
import { nameAmong, shownName, shownTitle } from '../lib/names'
import { useStore } from './index'
import type { AppState } from './types'

export const selectMe = (s: AppState): Me | null => (s.session?.status === 'signed_in' ? s.session.me : null)
export const selectMeId = (s: AppState): string | null => selectMe(s)?.id ?? null

/** Conversation ids by last activity, filtered by title. */
export function selectConversationIds(s: AppState): string[] {
  const me = selectMeId(s)
  const filter = s.filter.trim().toLowerCase()
  return Object.values(s.conversations)
    .filter((c) => !filter || conversationTitle(c, me).toLowerCase().includes(filter))
    .sort((a, b) => (activity(a) < activity(b) ? 1 : activity(a) > activity(b) ? -1 : 0))
    .map((c) => c.id)
}

export function activity(c: Conversation): string {
  return c.lastMessage?.createdAt ?? c.createdAt
}

/** Direct chats are named after the other person. */
export function conversationTitle(c: Conversation, meId: string | null): string {
  if (c.title) return shownTitle(c.title)
  const other = c.members.find((m) => m.user.id !== meId)
  return other ? nameAmong(c.members, other.user) : i18n.t('chat.justYou')
}

export function otherMember(c: Conversation, meId: string | null) {
  return c.kind === 'direct' ? c.members.find((m) => m.user.id !== meId) : undefined
}

/**
 * A member's name, with their username when another member shares it (see
 * nameAmong); for someone who has left, the name they had when last seen
 * (main keeps everyone met). Reads the directory without subscribing: it
 * only fills in names, and the list re-renders on the messages it names.
 */
export function memberName(c: Conversation | undefined, userId: string): string {
  const user = c?.members.find((m) => m.user.id === userId)?.user ?? useStore.getState().people[userId]
  if (!user) return i18n.t('chat.someone')
  return c ? nameAmong(c.members, user) : shownName(user)
}

/** A member's picture (or a former member's, as last seen), like memberName. */
export function memberAvatar(c: Conversation | undefined, userId: string): string | null {
  return (c?.members.find((m) => m.user.id === userId)?.user ?? useStore.getState().people[userId])?.avatar ?? null
}

/** Who (other than the sender) has read a message, and who has received it. */
export function receiptsOf(c: Conversation, m: Message): { readBy: string[]; deliveredTo: string[]; others: number } {
  const others = c.members.filter((x) => x.user.id !== m.senderId)
  return {
    readBy: others.filter((x) => x.readSeq >= m.seq).map((x) => nameAmong(c.members, x.user)),
    deliveredTo: others.filter((x) => x.deliveredSeq >= m.seq).map((x) => nameAmong(c.members, x.user)),
    others: others.length
  }
}

export function typingNames(s: AppState, conversationId: string): string[] {
  const typing = s.typing[conversationId]
  if (!typing) return []
  const now = Date.now()
  const c = s.conversations[conversationId]
  const me = selectMeId(s)
  return Object.entries(typing)
    .filter(([userId, until]) => until > now && userId !== me)
    .map(([userId]) => memberName(c, userId))
}

/**
 * The presence the window may claim for a person: live only while this
 * account is connected; otherwise 'unknown' (nobody is shown online on the
 * strength of news that can no longer come).
 */
export function shownPresence(s: AppState, userId: string | undefined): PresenceStatus | 'unknown' | null {
  if (!userId) return null
  if (s.connection.status !== 'online') return 'unknown'
  return s.presence[userId]?.status ?? null
}

/** When a person was last seen: while disconnected, someone online then was last seen when the connection went. */
export function shownLastSeen(s: AppState, userId: string | undefined): string | null {
  const p = userId ? s.presence[userId] : undefined
  if (!p) return null
  if (s.connection.status !== 'online' && p.status !== 'offline') return s.connectionLostAt ?? p.lastSeenAt
  return p.lastSeenAt
}
