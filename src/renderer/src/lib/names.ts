// People's names as the window shows them. The server refuses names with
// invisible or direction-changing characters; names stored before that rule
// are shown without them, and one left blank by that shows the username.
import type { Member } from '../../../shared/schemas/conversations'
import { withoutHiddenCharacters } from '../../../shared/schemas/hidden-characters'
import { i18n } from '../i18n'

interface Person {
  displayName: string
  username: string
}

/** The display name, cleaned of what the server no longer accepts. */
export function shownName(user: Person): string {
  return withoutHiddenCharacters(user.displayName).trim() || `@${user.username}`
}

/** A group or room title, likewise cleaned. */
export function shownTitle(title: string): string {
  return withoutHiddenCharacters(title).trim() || i18n.t('chat.untitled')
}

/** Names that read the same get the same key: folded forms, case, spacing and joiners do not tell people apart. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase()
}

// Per members list (a new array whenever the conversation changes): who is in it, and how many go by each name.
interface Index {
  ids: Set<string>
  byName: Map<string, number>
}
const indexes = new WeakMap<Member[], Index>()

function indexOf(members: Member[]): Index {
  let index = indexes.get(members)
  if (!index) {
    index = { ids: new Set(members.map((m) => m.user.id)), byName: new Map() }
    for (const m of members) {
      const key = nameKey(shownName(m.user))
      index.byName.set(key, (index.byName.get(key) ?? 0) + 1)
    }
    indexes.set(members, index)
  }
  return index
}

/**
 * A person's name among the members of a conversation: with their username
 * too when someone else there goes by the same name ("Alice (@alice2)"), so
 * no one can pass for another by taking their name.
 */
export function nameAmong(members: Member[], user: Person & { id: string }): string {
  const name = shownName(user)
  const index = indexOf(members)
  const others = (index.byName.get(nameKey(name)) ?? 0) - (index.ids.has(user.id) ? 1 : 0)
  return others > 0 && name !== `@${user.username}` ? `${name} (@${user.username})` : name
}
