// Which `@words` of a message are mentions, and how each shows: the message
// carries ids (mentions, mentionGroups) and the text carries `@username`,
// `@handle`, `@here` or `@all`; a chip shows the person's current name.
import type { Message } from '../../../shared/schemas/messages'

export interface MentionChip {
  /** What the chip says after the @: a display name, a group's handle, here or all. */
  label: string
  /** The reader is meant: by name, through @here/@all, or as a member of the group. */
  me: boolean
  /** A user group's chip: its id (the chip lists its members). */
  groupId?: string
}

/** By the lower-case word after the @. */
export type MentionChips = Readonly<Record<string, MentionChip>>

export const NO_CHIPS: MentionChips = Object.freeze({})

export interface ChipSources {
  meId: string | null
  /** A mentioned user's username and current display name (undefined when unknown). */
  user(id: string): { username: string; name: string } | undefined
  groups: Readonly<Record<string, { handle: string; memberIds: readonly string[] }>>
}

type Mentioning = Pick<Message, 'mentions' | 'mentionAll' | 'mentionGroups' | 'mentioned' | 'senderId'>

export function mentionChips(m: Mentioning, from: ChipSources): MentionChips {
  if (!m.mentions?.length && !m.mentionAll && !m.mentionGroups?.length) return NO_CHIPS
  const chips: Record<string, MentionChip> = {}
  const notified = from.meId !== null && (m.mentioned?.includes(from.meId) ?? false)
  for (const id of m.mentions ?? []) {
    const user = from.user(id)
    if (user) chips[user.username.toLowerCase()] = { label: user.name, me: id === from.meId }
  }
  if (m.mentionAll) {
    // @all reaches every member without listing them; @here only those the server found online.
    const me = from.meId !== null && from.meId !== m.senderId && (m.mentionAll === 'all' || notified)
    chips[m.mentionAll] = { label: m.mentionAll, me }
  }
  for (const id of m.mentionGroups ?? []) {
    const group = from.groups[id]
    if (group) chips[group.handle.toLowerCase()] = { label: group.handle, me: notified || (from.meId !== null && group.memberIds.includes(from.meId)), groupId: id }
  }
  return chips
}

/** Equal chips: a row need not draw its text again. */
export function sameChips(a: MentionChips, b: MentionChips): boolean {
  if (a === b) return true
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((k) => a[k]?.label === b[k]?.label && a[k]?.me === b[k]?.me && a[k]?.groupId === b[k]?.groupId)
}
