// All of one conversation's history for an export: the cached range from the
// cache, and what lies below or above it (never opened, or not yet caught up)
// from the server, page by page. Nothing fetched here is written to the
// cache: an export leaves the app's state as it found it.
import { LIMITS } from '../../../shared/limits'
import { MessagePage, type Message } from '../../../shared/schemas/messages'
import type { PublicUser } from '../../../shared/schemas/users'
import type { AccountContext } from '../context'
import { ClientError } from '../errors'
import { fromServer } from '../server-data'

export interface FullHistory {
  messages: Message[]
  /** People the server named with the pages (former members). */
  people: PublicUser[]
}

export async function fullHistory(ctx: AccountContext, conversationId: string, signal: AbortSignal, onMessages: (count: number) => void): Promise<FullHistory> {
  const conversation = ctx.cache.conversation(conversationId)
  if (!conversation) throw new ClientError('not_found', 'no such conversation in this account')
  const floor = Math.max(conversation.clearedSeq, conversation.expiredSeq ?? 0)
  const { low, high } = ctx.cache.cursor(conversationId)
  const messages: Message[] = []
  const people: PublicUser[] = []
  let after = floor
  for (;;) {
    signal.throwIfAborted()
    if (high > 0 && after + 1 >= low && after < high) {
      // The cached range, in pages so progress moves and memory per step stays small.
      const to = Math.min(high, after + LIMITS.pageSizeMax)
      messages.push(...(await ctx.cache.range(conversationId, Math.max(after + 1, low), to)))
      after = to
    } else {
      const belowCache = high > 0 && after < low
      const limit = belowCache ? Math.min(LIMITS.pageSizeMax, low - 1 - after) : LIMITS.pageSizeMax
      const page = fromServer(
        MessagePage,
        await ctx.session.request('GET', `/conversations/${conversationId}/messages`, { query: { after, limit } }),
        'message page'
      )
      people.push(...page.people)
      messages.push(...page.messages)
      const last = page.messages[page.messages.length - 1]?.seq
      if (belowCache) after = last ?? low - 1
      else if (last === undefined || !page.hasMore) break
      else after = last
    }
    onMessages(messages.length)
  }
  onMessages(messages.length)
  return { messages, people }
}
