import type { Logger } from '../logger'
import { nextTurn } from '../next-turn'
import type { Store } from '../store/types'
import type { SearchIndex } from './search-index'

const PAGE = 200

/**
 * Brings the index up to the log, conversation by conversation, in small
 * steps between other work: new messages by seq, then changes by version.
 * Runs in the background after start; search answers from what is indexed.
 */
export async function catchUpIndex(store: Store, index: SearchIndex, conversationIds: string[], log: Logger, stopped: () => boolean): Promise<void> {
  let indexed = 0
  const started = Date.now()
  for (const id of conversationIds) {
    if (stopped()) return
    let { seq, version } = index.progress(id)
    for (;;) {
      if (stopped() || !(await store.conversations.byId(id))) break
      const page = await store.messages.page(id, { after: seq, limit: PAGE })
      // Retention deleted what lies below its floor: nothing there to index.
      if (page.expiredSeq > seq) index.dropThrough(id, page.expiredSeq)
      for (const m of page.messages) index.put(m)
      indexed += page.messages.length
      seq = page.messages.at(-1)?.seq ?? seq
      await nextTurn()
      if (!page.hasMore) break
    }
    for (;;) {
      if (stopped() || !(await store.conversations.byId(id))) break
      const changes = await store.messages.changes(id, version, PAGE)
      for (const m of changes.messages) index.put(m)
      version = changes.version
      index.noteVersion(id, version)
      await nextTurn()
      if (!changes.hasMore) break
    }
  }
  if (indexed > 0) log.info({ indexed, ms: Date.now() - started }, 'search index caught up')
}
