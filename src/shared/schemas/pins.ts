// Pinned messages of a conversation: who pinned, when. Group and room admins
// pin in groups and rooms; both people in a direct chat.
import { z } from 'zod'
import { Id, Timestamp } from './common'
import { Message } from './messages'

export const Pin = z
  .object({ conversationId: Id, seq: z.number().int().min(1), pinnedBy: Id, pinnedAt: Timestamp, message: Message })
  .meta({ id: 'Pin' })
export type Pin = z.infer<typeof Pin>

export const PinsResponse = z.object({ pins: z.array(Pin).describe('newest pin first') })
/** At most this many pins per conversation (Slack allows 100). */
export const PINS_MAX = 100
