// Whether do-not-disturb or a conversation's mute holds now, for the
// notifiers. The rules of do-not-disturb are the server's too (it shows
// others the mark), so they live in src/shared/dnd.ts; this asks them.
import { dndEnd } from '../../../shared/dnd'
import type { NotificationPrefs } from '../../../shared/schemas/notification-prefs'

/** Do-not-disturb is on: no notification and no sound (badges still count). */
export function dndActive(prefs: Pick<NotificationPrefs, 'dndUntil' | 'workHours'>, now: number): boolean {
  return dndEnd(prefs, now) !== null
}

/** The conversation is muted now (until a time still ahead): nothing of it notifies, not even a mention. */
export function mutedNow(prefs: Pick<NotificationPrefs, 'conversations'>, conversationId: string, now: number): boolean {
  const until = prefs.conversations[conversationId]?.mutedUntil
  return until !== null && until !== undefined && Date.parse(until) > now
}
