// Saved messages: a personal list across conversations, kept on the server so
// every device of the user shows the same.
import { z } from 'zod'
import { Id, Timestamp } from './common'
import { Message } from './messages'

export const SavedItem = z
  .object({
    conversationId: Id,
    seq: z.number().int().min(1),
    savedAt: Timestamp,
    message: Message.nullable().describe('null when the user can no longer read it (left the conversation, or retention deleted it)')
  })
  .meta({ id: 'SavedItem' })
export type SavedItem = z.infer<typeof SavedItem>

export const SavedResponse = z.object({ saved: z.array(SavedItem).describe('newest first') })
export const SavedParams = z.strictObject({ conversationId: Id, seq: z.string().regex(/^\d{1,16}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1)) })
/** At most this many saved messages per user. */
export const SAVED_MAX = 1000
