// The composer's side of mentions: the `@word` being typed at the caret, what
// the autocomplete offers for it, and the ids a finished text mentions. The
// text carries `@username` (usernames never change), `@handle` of a user
// group, `@here` or `@all`; the send carries the ids.
import type { BroadcastMention } from '../../../shared/schemas/messages'

export interface MentionPerson {
  id: string
  username: string
  displayName: string
}

export interface MentionGroup {
  id: string
  handle: string
  name: string
}

export type MentionCandidate =
  | { kind: 'person'; id: string; insert: string; label: string }
  | { kind: 'broadcast'; id: BroadcastMention; insert: string; label: string }
  | { kind: 'group'; id: string; insert: string; label: string }

export interface MentionFields {
  mentions?: string[]
  mentionAll?: BroadcastMention
  mentionGroups?: string[]
}

/** Characters of a username or handle. */
const WORD = /[\p{L}\p{N}._-]/u
/** Every `@word` that starts a word (so "me@example.com" is no mention). */
const MENTION_RE = /(?<![\p{L}\p{N}_.@-])@([\p{L}\p{N}._-]+)/gu

export const MENU_SIZE = 8

/** The `@word` the caret stands in or at the end of: where its @ is and what follows it up to the caret. */
export function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  let i = caret
  while (i > 0 && WORD.test(text[i - 1]!)) i--
  if (i === 0 || text[i - 1] !== '@') return null
  const at = i - 1
  if (at > 0 && !/\s|[([{"'“‘]/.test(text[at - 1]!)) return null
  return { start: at, query: text.slice(i, caret) }
}

/**
 * What the menu offers for a query: people whose username or display name
 * starts with it first, then those containing it; @here and @all when the
 * writer may use them; user groups by handle or name. The writer is left out.
 */
export function mentionCandidates(
  query: string,
  people: readonly MentionPerson[],
  groups: readonly MentionGroup[],
  broadcast: boolean,
  limit = MENU_SIZE
): MentionCandidate[] {
  const q = query.toLowerCase()
  const rank = (...names: string[]): number => {
    const lower = names.map((n) => n.toLowerCase())
    if (lower.some((n) => n.startsWith(q) || n.split(/\s+/).some((w) => w.startsWith(q)))) return 0
    return lower.some((n) => n.includes(q)) ? 1 : -1
  }
  // Within a rank: people by name, then @here and @all, then groups by handle.
  const ranked: Array<{ rank: number; kind: number; order: string; candidate: MentionCandidate }> = []
  for (const p of people) {
    const r = rank(p.username, p.displayName)
    if (r >= 0) ranked.push({ rank: r, kind: 0, order: p.displayName.toLowerCase(), candidate: { kind: 'person', id: p.id, insert: p.username, label: p.displayName } })
  }
  if (broadcast) {
    for (const id of ['here', 'all'] as const) {
      if (id.startsWith(q)) ranked.push({ rank: 0, kind: 1, order: '', candidate: { kind: 'broadcast', id, insert: id, label: id } })
    }
  }
  for (const g of groups) {
    const r = rank(g.handle, g.name)
    if (r >= 0) ranked.push({ rank: r, kind: 2, order: g.handle, candidate: { kind: 'group', id: g.id, insert: g.handle, label: g.name } })
  }
  ranked.sort((a, b) => a.rank - b.rank || a.kind - b.kind || a.order.localeCompare(b.order))
  return ranked.slice(0, limit).map((r) => r.candidate)
}

/** The text with the `@word` at start..caret replaced by `@insert ` and where the caret goes. */
export function insertMention(text: string, start: number, caret: number, insert: string): { text: string; caret: number } {
  let end = caret
  while (end < text.length && WORD.test(text[end]!)) end++
  const before = `${text.slice(0, start)}@${insert} `
  const after = text.slice(end).replace(/^ /, '')
  return { text: before + after, caret: before.length }
}

/** The ids a text mentions: members by username, groups by handle, @here/@all (@all wins when both are written). */
export function mentionFields(text: string, people: readonly MentionPerson[], groups: readonly MentionGroup[]): MentionFields {
  const byUsername = new Map(people.map((p) => [p.username.toLowerCase(), p.id]))
  const byHandle = new Map(groups.map((g) => [g.handle.toLowerCase(), g.id]))
  const mentions = new Set<string>()
  const mentionGroups = new Set<string>()
  let mentionAll: BroadcastMention | undefined
  for (const match of text.matchAll(MENTION_RE)) {
    // A trailing dot ends a sentence, not a name.
    const word = match[1]!.replace(/[.]+$/, '').toLowerCase()
    if (word === 'all' || word === 'here') mentionAll = mentionAll === 'all' ? 'all' : word
    const person = byUsername.get(word)
    if (person) mentions.add(person)
    const group = byHandle.get(word)
    if (group) mentionGroups.add(group)
  }
  return {
    ...(mentions.size ? { mentions: [...mentions] } : {}),
    ...(mentionAll ? { mentionAll } : {}),
    ...(mentionGroups.size ? { mentionGroups: [...mentionGroups] } : {})
  }
}
