// The emoji a user reacted or wrote with lately, newest first, kept per
// account in this device's localStorage (the picker's "recently used").
const KEY = 'messenger.recentEmoji.'
export const RECENT_EMOJI_MAX = 16

export function loadRecentEmoji(userId: string): string[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY + userId) ?? '[]')
    return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string').slice(0, RECENT_EMOJI_MAX) : []
  } catch {
    // Unreadable (written by hand, or storage off): start again.
    return []
  }
}

/** `unified` first, once; the list kept short. */
export function rememberEmoji(userId: string, unified: string): string[] {
  const next = [unified, ...loadRecentEmoji(userId).filter((u) => u !== unified)].slice(0, RECENT_EMOJI_MAX)
  try {
    localStorage.setItem(KEY + userId, JSON.stringify(next))
  } catch {
    // Storage full or off: the list lives for this window only.
  }
  return next
}
