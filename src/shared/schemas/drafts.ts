// Drafts: what a person started writing, per conversation and per thread,
// kept on the server so their other devices show it too.
import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, Timestamp } from './common'

export const Draft = z
  .object({
    conversationId: Id,
    threadRoot: z.number().int().min(1).nullable().describe('null: the conversation\'s composer'),
    text: z.string().max(LIMITS.messageTextMax),
    replyTo: z.number().int().min(1).nullable(),
    updatedAt: Timestamp
  })
  .meta({ id: 'Draft' })
export type Draft = z.infer<typeof Draft>

/** PUT /api/v1/drafts/{conversationId} (threadRoot in the body); an empty text with no replyTo deletes it. */
export const PutDraftBody = z.strictObject({
  threadRoot: z.number().int().min(1).nullable().default(null),
  text: z.string().max(LIMITS.messageTextMax),
  replyTo: z.number().int().min(1).nullable().default(null),
  /** When the user typed it (their clock): an older write than the stored one is ignored, so devices settle on the newest. */
  updatedAt: Timestamp
})
export type PutDraftBody = z.infer<typeof PutDraftBody>

export const DraftsResponse = z.object({ drafts: z.array(Draft) })
