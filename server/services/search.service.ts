import type { SearchResponse } from '../../src/shared/schemas/search'
import { AppError } from '../errors'
import type { Store } from '../store/types'
import { messageAt } from './message-at'

/** Searches the caller's conversations only, and only what they have not cleared. */
export class SearchService {
  constructor(private readonly store: Store) {}

  async search(userId: string, q: string, before: number | undefined, limit: number): Promise<SearchResponse> {
    const index = this.store.search
    if (!index) throw new AppError('unavailable', 'search is not available on this server (its runtime lacks node:sqlite)')
    const terms = searchTerms(q)
    if (!terms) throw new AppError('validation_failed', 'query.q: give at least one word of 3 or more characters')
    const scope: Record<string, number> = {}
    for (const c of await this.store.conversations.forUser(userId)) {
      scope[c.id] = (await this.store.conversations.membership(c.id, userId))?.clearedSeq ?? 0
    }
    const hits = await index.search(scope, terms, before ?? Number.MAX_SAFE_INTEGER, limit + 1)
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

/** Terms of at least 3 characters (trigrams: parts of words match), all required; null if none. */
export function searchTerms(q: string): string[] | null {
  const terms = q
    .split(/\s+/)
    .map((t) => t.trim())
    .filter((t) => [...t].length >= 3)
  return terms.length === 0 ? null : terms
}
