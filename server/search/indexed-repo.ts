import type { MessageRepo } from '../store/types'
import type { SearchIndex } from './search-index'

/** The message repository, telling the search index of every stored or changed message. */
export function withSearchIndex(repo: MessageRepo, index: SearchIndex): MessageRepo {
  return {
    append: async (conversationId, draft) => {
      const result = await repo.append(conversationId, draft)
      if (result.created) index.put(result.message)
      return result
    },
    mutate: async (conversationId, seq, change) => {
      const result = await repo.mutate(conversationId, seq, change)
      if (result?.changed) index.put(result.message)
      return result
    },
    drop: async (conversationId) => {
      await repo.drop(conversationId)
      index.dropConversation(conversationId)
    },
    expire: async (conversationId, before) => {
      const result = await repo.expire(conversationId, before)
      index.dropThrough(conversationId, result.expiredSeq)
      return result
    },
    expiredSeq: (conversationId) => repo.expiredSeq(conversationId),
    systemCount: (conversationId, after, through) => repo.systemCount(conversationId, after, through),
    page: (conversationId, query, floor) => repo.page(conversationId, query, floor),
    changes: (conversationId, since, limit, floor) => repo.changes(conversationId, since, limit, floor),
    version: (conversationId) => repo.version(conversationId),
    last: (conversationId) => repo.last(conversationId),
    close: () => repo.close()
  }
}
