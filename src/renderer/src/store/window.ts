// The loaded window of one conversation's history, as pure functions of the
// old window and a page (tested in node). The window is bounded: scrolling far
// up drops its newest end, scrolling back down drops its oldest, so the list
// (and react-virtuoso's prepend, which costs with every row it has measured)
// stays the same size however far one scrolls. Main's cache has the rest.
import type { Message } from '../../../shared/schemas/messages'

/** Messages per page asked from main. */
export const PAGE = 100
/** Most messages a window holds. */
export const MAX_WINDOW = 1000
/** Virtuoso's index of a fresh window's first row: room to prepend below it. */
export const BASE_INDEX = 1_000_000_000

export interface Thread {
  /** Ascending seq, contiguous. */
  messages: Message[]
  /** Older messages exist before the first loaded one. */
  hasOlder: boolean
  /** The newest message is loaded: live messages are appended. */
  atLatest: boolean
  loadingOlder: boolean
  loadingNewer: boolean
  /** Changes when the window is replaced (jump to a message or to the latest): the list starts over. */
  generation: number
  /** The list's index of messages[0]: down by what is prepended, up by what is dropped from the top. */
  firstIndex: number
}

let generation = 0

/** A new window (the list mounts afresh for it). */
export function freshThread(messages: Message[], hasOlder: boolean, atLatest: boolean): Thread {
  return { messages, hasOlder, atLatest, loadingOlder: false, loadingNewer: false, generation: ++generation, firstIndex: BASE_INDEX }
}

/** An older page put before the window; beyond `max`, the newest end is dropped (then the window is no longer at the latest). */
export function withOlder(t: Thread, page: Message[], hasMore: boolean, max = MAX_WINDOW): Thread {
  const first = t.messages[0]?.seq ?? Infinity
  let n = page.length
  while (n > 0 && page[n - 1]!.seq >= first) n--
  // Only a page that ends right below the window extends it (the window may have moved since it was asked for).
  if (n > 0 && t.messages.length > 0 && page[n - 1]!.seq !== first - 1) return { ...t, loadingOlder: false }
  const older = n === page.length ? page : page.slice(0, n)
  const keep = Math.max(0, Math.min(t.messages.length, max - older.length))
  const kept = keep < t.messages.length ? t.messages.slice(0, keep) : t.messages
  return {
    ...t,
    messages: older.length ? older.concat(kept) : kept,
    firstIndex: t.firstIndex - older.length,
    hasOlder: hasMore,
    atLatest: t.atLatest && keep === t.messages.length,
    loadingOlder: false
  }
}

/**
 * A newer page put after the window; beyond `max`, the oldest end is dropped.
 * `reachedEnd`: the page ends at the newest message main has.
 */
export function withNewer(t: Thread, page: Message[], reachedEnd: boolean, max = MAX_WINDOW): Thread {
  const last = t.messages[t.messages.length - 1]?.seq ?? 0
  let n = 0
  while (n < page.length && page[n]!.seq <= last) n++
  if (n < page.length && t.messages.length > 0 && page[n]!.seq !== last + 1) return { ...t, loadingNewer: false }
  const all = n < page.length ? t.messages.concat(n === 0 ? page : page.slice(n)) : t.messages
  const drop = Math.max(0, all.length - max)
  return {
    ...t,
    messages: drop ? all.slice(drop) : all,
    firstIndex: t.firstIndex + drop,
    hasOlder: t.hasOlder || drop > 0,
    atLatest: reachedEnd,
    loadingNewer: false
  }
}

/**
 * Changed messages put in place; new ones at the end are appended when `appendNew`
 * (the window is at the latest) and they follow on. The same thread when nothing changed.
 */
export function withUpserted(t: Thread, messages: Message[], appendNew: boolean): Thread {
  let list: Message[] | null = null
  for (const m of messages) {
    const current = list ?? t.messages
    const last = current[current.length - 1]
    if (!last || m.seq > last.seq) {
      if (appendNew && (!last || m.seq === last.seq + 1)) (list ??= t.messages.slice()).push(m)
      continue
    }
    const index = findSeq(current, m.seq)
    if (index >= 0) (list ??= t.messages.slice())[index] = m
  }
  return list ? { ...t, messages: list } : t
}

/** History up to `clearedSeq` cleared: those rows go (from the top). */
export function withCleared(t: Thread, clearedSeq: number): Thread {
  let n = 0
  while (n < t.messages.length && t.messages[n]!.seq <= clearedSeq) n++
  return { ...t, messages: n ? t.messages.slice(n) : t.messages, firstIndex: t.firstIndex + n, hasOlder: false }
}

/** Index of the message with `seq` in an ascending list, or -1. */
export function findSeq(list: readonly Message[], seq: number): number {
  let lo = 0
  let hi = list.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const s = list[mid]!.seq
    if (s === seq) return mid
    if (s < seq) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}
