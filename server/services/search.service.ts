import type { SearchResponse } from '../../src/shared/schemas/search'
import { AppError } from '../errors'
import { toMatchQuery, type SearchIndex } from '../search/search-index'
import type { Store } from '../store/types'
import { messageAt } from './message-at'

/** Searches the caller's conversations only, and only what they have not cleared. */
export class SearchService {
  constructor(
    private readonly store: Store,
    private readonly index: SearchIndex | null
  ) {}

  async search(userId: string, q: string, before: number | undefined, limit: number): Promise<SearchResponse> {
    if (!this.index) throw new AppError('unavailable', 'search is not available on this server (its runtime lacks node:sqlite)')
    const match = toMatchQuery(q)
    if (!match) throw new AppError('validation_failed', 'query.q: give at least one word of 3 or more characters')
    const scope: Record<string, number> = {}
    for (const c of this.store.conversations.forUser(userId)) {
      scope[c.id] = this.store.conversations.membership(c.id, userId)?.clearedSeq ?? 0
    }
    const hits = this.index.search(scope, match, before ?? Number.MAX_SAFE_INTEGER, limit + 1)
    const page = hits.slice(0, limit)
    const results: SearchResponse['results'] = []
    for (const hit of page) {
      const message = await messageAt(this.store.messages, hit.conversationId, hit.seq)
      if (message && !message.deletedAt) results.push({ conversationId: hit.conversationId, message })
    }
    const last = page.at(-1)
    return { results, nextBefore: hits.length > limit && last ? String(last.cursor) : null }
  }
}
