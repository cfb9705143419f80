// Pages of a conversation for the renderer, from the cache. When the user
// scrolls above what is cached and the server is reachable, the older page is
// fetched, cached (the range grows downward, still without gaps) and returned.
import type { MessagesPage } from '../../shared/ipc'
import { LIMITS } from '../../shared/limits'
import { MessagePage } from '../../shared/schemas/messages'
import type { AccountContext } from './context'
import { ClientError } from './errors'
import { fromServer } from './server-data'
import type { Sync } from './sync'

export async function loadPage(
  ctx: AccountContext,
  sync: Sync,
  conversationId: string,
  before: number | undefined,
  limit: number = LIMITS.pageSizeDefault
): Promise<MessagesPage> {
  const { cache, realtime, outbox } = ctx
  const conversation = cache.conversation(conversationId)
  if (!conversation) throw new ClientError('not_found', 'no such conversation in this account')
  const pending = before === undefined ? outbox.forConversation(conversationId) : []
  const floor = Math.max(conversation.clearedSeq, conversation.expiredSeq ?? 0)
  if (cache.cursor(conversationId).high === 0 && conversation.lastSeq > floor && realtime.connected) {
    await sync.catchUp(conversationId)
  }
  const { low, high } = cache.cursor(conversationId)
  if (high === 0) return { messages: [], pending, hasMore: false }
  const end = Math.min(before === undefined ? high : before - 1, high)
  const start = Math.max(floor + 1, end - limit + 1)
  if (start < low && realtime.connected) {
    const page = fromServer(
      MessagePage,
      await realtime.call('message:list', { conversationId, before: low, limit: Math.min(LIMITS.pageSizeMax, low - start) }),
      'message page'
    )
    sync.learnPeople(page.people)
    // Only a page that ends right below the cached range extends it.
    const older = page.messages.filter((m) => m.seq < low)
    if (older.length && older[older.length - 1]!.seq === low - 1) await cache.extend(conversationId, older)
  }
  const from = Math.max(start, cache.cursor(conversationId).low)
  const messages = end >= from ? await cache.range(conversationId, from, end) : []
  return { messages, pending, hasMore: (messages[0]?.seq ?? end + 1) > floor + 1 }
}
