// Presence (online / away / offline, last seen) and typing indicators: the
// payloads of their socket events. Who may see what is described in
// docs/server.md ("Presence and typing").
import { z } from 'zod'
import { Id, Timestamp } from './common'

/** Most user ids one `presence:list` may ask about. */
export const PRESENCE_LIST_MAX = 500

export const PresenceStatus = z.enum(['online', 'away', 'offline'])
export type PresenceStatus = z.infer<typeof PresenceStatus>

/** What a client may report for itself; offline is what the server sees when it goes. */
export const ActiveStatus = z.enum(['online', 'away'])
export type ActiveStatus = z.infer<typeof ActiveStatus>

export const Presence = z.object({
  userId: Id,
  status: PresenceStatus,
  /**
   * When the user's last device disconnected. Null while they are connected,
   * when they hide their last seen, when the viewer hides their own, or when
   * it is not known.
   */
  lastSeenAt: Timestamp.nullable(),
  /** In do-not-disturb (timed or outside work hours) until this time; absent or null: not. Clients stop showing it at that time by themselves. */
  dndUntil: Timestamp.nullable().optional()
})
export type Presence = z.infer<typeof Presence>

export const SetPresencePayload = z.strictObject({ status: ActiveStatus })
export type SetPresencePayload = z.infer<typeof SetPresencePayload>

/** Without userIds: everyone the caller shares a conversation with. */
export const ListPresencePayload = z.strictObject({
  userIds: z.array(Id).max(PRESENCE_LIST_MAX).optional()
})
export type ListPresencePayload = z.infer<typeof ListPresencePayload>

export interface PresenceList {
  presence: Presence[]
}

export const TypingPayload = z.strictObject({ conversationId: Id })
export type TypingPayload = z.infer<typeof TypingPayload>

export interface TypingUpdate {
  conversationId: string
  userId: string
  typing: boolean
}

export interface TypingStarted {
  /** Without a renewed `typing:start` within this time the server stops the indicator. */
  timeoutMs: number
}
