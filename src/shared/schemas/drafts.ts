// Drafts: what a person started writing, per conversation and per thread,
// kept on the server so their other devices show it too.
import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, queryInt, Timestamp } from './common'

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

/** PUT's answer: the draft as stored now (the caller's when it was newer, else the one kept). */
export const DraftResponse = z.object({ draft: Draft }).meta({ id: 'DraftResponse' })

export const DraftParams = z.strictObject({ conversationId: Id })

/** DELETE /api/v1/drafts/{conversationId}?threadRoot=: without threadRoot, the conversation's composer. */
export const DeleteDraftQuery = z.strictObject({ threadRoot: queryInt(z.number().int().min(1)).optional() })

/** Where a draft sits in the window's and the client cache's maps: `${conversationId}`, or `${conversationId}:${rootSeq}` in a thread. */
export const draftKey = (conversationId: string, threadRoot: number | null | undefined): string =>
  threadRoot ? `${conversationId}:${threadRoot}` : conversationId

/** The IPC request of drafts.set: the core stamps the time typed. */
export const SetDraftRequest = z.strictObject({
  conversationId: Id,
  threadRoot: z.number().int().min(1).nullable().default(null),
  text: z.string().max(LIMITS.messageTextMax),
  replyTo: z.number().int().min(1).nullable().default(null)
})
