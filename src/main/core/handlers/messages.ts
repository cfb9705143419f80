import { randomUUID } from 'node:crypto'
import type { PendingMessage } from '../../../shared/ipc'
import { Message as Message } from '../../../shared/schemas/messages'
import { MessageReceipts } from '../../../shared/schemas/receipts'
import { SearchResponse } from '../../../shared/schemas/search'
import type { ClientCore } from '../client'
import { ClientError } from '../errors'
import { loadPage } from '../history'
import { fromServer } from '../server-data'
import type { HandlersFor } from './index'

/** Those of messages.* with no file of their own (link previews: link-previews.ts). */
export function messageHandlers(core: ClientCore): Omit<HandlersFor<'messages'>, 'messages.removePreview'> {
  const path = (conversationId: string, seq: number, rest = ''): string => `/conversations/${conversationId}/messages/${seq}${rest}`
  /** The message's new state: into the cache, then to the caller. */
  const changed = async (body: { message: unknown }) => {
    const ctx = core.ctx()
    await ctx.sync.onUpdated(body.message)
    return fromServer(Message, body.message, 'message')
  }

  return {
    'messages.page': ({ conversationId, before, limit }) => {
      const ctx = core.ctx()
      return loadPage(ctx, ctx.sync, conversationId, before, limit)
    },
    'messages.send': async ({ conversationId, text, replyTo, mentions, mentionAll, mentionGroups, threadRoot, alsoInConversation }) => {
      const ctx = core.ctx()
      if (!ctx.cache.conversation(conversationId)) throw new ClientError('not_found', 'no such conversation in this account')
      const entry: PendingMessage = {
        clientId: randomUUID(),
        conversationId,
        text,
        ...(replyTo !== undefined ? { replyTo } : {}),
        ...(mentions?.length ? { mentions } : {}),
        ...(mentionAll ? { mentionAll } : {}),
        ...(mentionGroups?.length ? { mentionGroups } : {}),
        ...(threadRoot !== undefined ? { threadRoot, ...(alsoInConversation ? { alsoInConversation } : {}) } : {}),
        createdAt: new Date().toISOString(),
        state: 'pending',
        error: null
      }
      // On disk before the renderer hears of it: it survives a crash from here on.
      await ctx.outbox.add(entry)
      ctx.events.emit('outbox', { upserted: [entry], removed: [] })
      ctx.sender.kick()
      return entry
    },
    'messages.retry': async ({ clientId }) => {
      const ctx = core.ctx()
      const entry = await ctx.outbox.setState(clientId, 'pending', null)
      if (!entry) throw new ClientError('not_found', 'no unsent message with that clientId')
      ctx.events.emit('outbox', { upserted: [entry], removed: [] })
      await ctx.transfers.retryMessage(clientId)
      ctx.sender.kick()
      return entry
    },
    'messages.discard': async ({ clientId }) => {
      const ctx = core.ctx()
      if (!(await ctx.outbox.remove([clientId]))) throw new ClientError('not_found', 'no unsent message with that clientId')
      await ctx.transfers.discardMessage(clientId)
      ctx.events.emit('outbox', { upserted: [], removed: [clientId] })
      return null
    },
    'messages.edit': async ({ conversationId, seq, text, mentions, mentionAll, mentionGroups }) =>
      changed(
        await core.ctx().session.request('PATCH', path(conversationId, seq), {
          body: { text, ...(mentions ? { mentions } : {}), ...(mentionAll ? { mentionAll } : {}), ...(mentionGroups ? { mentionGroups } : {}) }
        })
      ),
    'messages.delete': async ({ conversationId, seq }) => changed(await core.ctx().session.request('DELETE', path(conversationId, seq))),
    'messages.react': async ({ conversationId, seq, emoji }) =>
      changed(await core.ctx().session.request('POST', path(conversationId, seq, '/reactions'), { body: { emoji } })),
    'messages.receipts': async ({ conversationId, seq }) =>
      fromServer(MessageReceipts, await core.ctx().session.request('GET', path(conversationId, seq, '/receipts')), 'receipts'),
    'messages.search': async ({ query, before, limit }) =>
      fromServer(SearchResponse, await core.ctx().session.request('GET', '/search', { query: { q: query, before, limit } }), 'search results')
  }
}
