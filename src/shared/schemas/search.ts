import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, lineText, queryInt } from './common'
import { Message } from './messages'

export const SearchQuery = z.strictObject({
  q: lineText(1, 200),
  /** The `nextBefore` of the previous page. */
  before: queryInt(z.number().int().min(1)).optional(),
  limit: queryInt(z.number().int().min(1).max(LIMITS.searchResultsMax)).optional()
})

export const SearchResponse = z
  .object({
    results: z.array(z.object({ conversationId: Id, message: Message })).describe('newest first'),
    nextBefore: z.string().nullable().describe('pass as `before` for older results; null at the end')
  })
  .meta({ id: 'SearchResponse' })
export type SearchResponse = z.infer<typeof SearchResponse>
