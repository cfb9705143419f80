// Issue 21 (i21-attention): the account's notification preferences and
// do-not-disturb (kept by the server, cached by main), and the custom status;
// the actions that change them. Others' do-not-disturb is in their presence.
import type { ConversationNotify, NotificationPrefs, UpdateNotificationPrefsBody } from '../../../shared/schemas/notification-prefs'
import type { UpdateMeBody } from '../../../shared/schemas/users'
import { api, unwrap } from '../lib/api'
import type { Slice } from './types'

export interface CustomStatus {
  text: string
  emoji: string | null
  /** null: it stays. */
  expiresAt: string | null
}

export interface AttentionSlice {
  /** null until main told the window (at sign-in). */
  notificationPrefs: NotificationPrefs | null
  setNotificationPrefs(prefs: NotificationPrefs): void
  loadNotificationPrefs(): Promise<void>
  updateNotificationPrefs(body: UpdateNotificationPrefsBody): Promise<void>
  /** Do-not-disturb until a time, or off (null). */
  setDnd(until: string | null): Promise<void>
  /** One conversation's level or mute; null: back to the default. */
  setConversationNotify(conversationId: string, entry: ConversationNotify | null): Promise<void>
  setCustomStatus(status: CustomStatus): Promise<void>
}

export const createAttentionSlice: Slice<AttentionSlice> = (set, get) => ({
  notificationPrefs: null,
  setNotificationPrefs(prefs) {
    set({ notificationPrefs: prefs })
  },
  async loadNotificationPrefs() {
    set({ notificationPrefs: await unwrap(api().notifications.prefs()) })
  },
  async updateNotificationPrefs(body) {
    set({ notificationPrefs: await unwrap(api().notifications.update(body)) })
  },
  setDnd(until) {
    return get().updateNotificationPrefs({ dndUntil: until })
  },
  async setConversationNotify(conversationId, entry) {
    // A mute replaces the level's entry only in its mutedUntil; a level keeps a mute.
    await get().updateNotificationPrefs({ conversations: { [conversationId]: entry } })
    get().setMuted(await unwrap(api().conversations.muted()))
  },
  async setCustomStatus({ text, emoji, expiresAt }) {
    const patch: UpdateMeBody = { statusText: text, statusEmoji: emoji, statusExpiresAt: expiresAt }
    const me = await unwrap(api().profile.update(patch))
    const session = get().session
    if (session?.status === 'signed_in') get().setSession({ ...session, me })
  }
})
