// Journal lines of the metadata store: the new state of one record, read
// when the line is written (so it is the latest), or null when it was removed.
//   ["r", collection, id, record | null]        a record of a keyed collection
//   ["m", conversationId, userId, membership | null]   a membership (they sit in an array)

export interface Change {
  /** Two changes with the same key name the same record: only the last is written. */
  key: string
  line: () => unknown[]
}

/** Collections of records keyed by id, as in DbData. */
export type RecordCollection = 'users' | 'conversations' | 'refreshFamilies' | 'drafts' | 'threads' | 'threadFollows' | 'notificationPrefs' | 'scheduled'

export function recordChange(collection: RecordCollection, id: string, get: () => unknown): Change {
  return { key: `r/${collection}/${id}`, line: () => ['r', collection, id, get() ?? null] }
}

export function memberChange(conversationId: string, userId: string, get: () => unknown): Change {
  return { key: `m/${conversationId}/${userId}`, line: () => ['m', conversationId, userId, get() ?? null] }
}

interface Membership {
  conversationId: string
  userId: string
}

/** Where each membership sits in the array, built once per replay. */
const memberIndexes = new WeakMap<object, Map<string, number>>()

function memberIndex(list: Membership[]): Map<string, number> {
  let index = memberIndexes.get(list)
  if (!index) {
    index = new Map(list.map((m, i) => [`${m.conversationId}/${m.userId}`, i]))
    memberIndexes.set(list, index)
  }
  return index
}

/** Applies one journal line to the document; false if the line is not one (the journal ends there). */
export function applyChange(data: Record<string, unknown>, line: unknown): boolean {
  if (!Array.isArray(line) || line.length !== 4 || typeof line[1] !== 'string' || typeof line[2] !== 'string') return false
  const [kind, a, b, value] = line as [unknown, string, string, unknown]
  if (kind === 'r') {
    const collection = (data[a] ??= {}) as Record<string, unknown>
    if (value === null) delete collection[b]
    else collection[b] = value
    return true
  }
  if (kind !== 'm') return false
  const list = (data['memberships'] ??= []) as Membership[]
  const index = memberIndex(list)
  const key = `${a}/${b}`
  const at = index.get(key)
  if (value === null) {
    if (at === undefined) return true
    list.splice(at, 1)
    // Positions after it moved: rebuild on the next line.
    memberIndexes.delete(list)
  } else if (at === undefined) {
    index.set(key, list.push(value as Membership) - 1)
  } else {
    list[at] = value as Membership
  }
  return true
}
