// Issue 20, the message menu's actions that need the core: forwarding (through
// the outbox, so it waits for the connection and survives a restart like any
// message) and "mark unread from here" (the server moves the read position back).
import { randomUUID } from 'node:crypto'
import type { PendingMessage } from '../../../shared/ipc'
import type { ClientCore } from '../client'
import { ClientError } from '../errors'
import type { HandlersFor } from './index'

export function messageMenuHandlers(core: ClientCore): HandlersFor<'messageMenu'> {
  return {
    'messageMenu.forward': async ({ from, to }) => {
      const ctx = core.ctx()
      // The server decides whether the source can be read (a refusal leaves the entry failed, as any send).
      const [source] = ctx.cache.conversation(from.conversationId) ? await ctx.cache.range(from.conversationId, from.seq, from.seq) : []
      const targets = [...new Set(to)]
      const unknown = targets.find((id) => !ctx.cache.conversation(id))
      if (unknown) throw new ClientError('not_found', `to: no conversation ${unknown} in this account`)
      const entries = targets.map(
        (conversationId): PendingMessage => ({
          clientId: randomUUID(),
          conversationId,
          // Shown while pending; the server copies the source's text and files.
          text: source?.text ?? '',
          forward: { conversationId: from.conversationId, seq: from.seq },
          createdAt: new Date().toISOString(),
          state: 'pending',
          error: null
        })
      )
      for (const entry of entries) await ctx.outbox.add(entry)
      ctx.events.emit('outbox', { upserted: entries, removed: [] })
      ctx.sender.kick()
      return entries
    },
    'messageMenu.markUnread': async ({ conversationId, seq }) => {
      const ctx = core.ctx()
      const body = await ctx.session.request<{ conversation: unknown }>('POST', `/conversations/${conversationId}/unread`, { body: { seq } })
      // The badge follows at once on this device; the others hear conversation:updated.
      return ctx.sync.putConversation(body.conversation)
    }
  }
}
