import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, queryInt } from './common'
import { hasControlCharacters } from './hidden-characters'
import { Message } from './messages'

/** Words to find as they were written: not a name, so not NFKC-folded (messages are not). */
const SearchText = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !hasControlCharacters(s), 'may not contain control characters')

export const SearchQuery = z.strictObject({
  q: SearchText,
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
