// Issue 21: link previews come with the message (the server fetches them; the
// cache keeps them as any change of a message); the sender may remove one.
import { Message } from '../../../shared/schemas/messages'
import type { ClientCore } from '../client'
import { fromServer } from '../server-data'
import type { Handlers } from './index'

export function linkPreviewHandlers(core: ClientCore): Pick<Handlers, 'messages.removePreview'> {
  return {
    'messages.removePreview': async ({ conversationId, seq }) => {
      const ctx = core.ctx()
      const body = await ctx.session.request<{ message: unknown }>('DELETE', `/conversations/${conversationId}/messages/${seq}/preview`)
      // Into the cache before the caller hears: the window shows what the cache holds.
      await ctx.sync.onUpdated(body.message)
      return fromServer(Message, body.message, 'message')
    }
  }
}
