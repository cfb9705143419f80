// Issue 20: pinned and saved messages (src/main/core/pins-saved.ts).
import type { ClientCore } from '../client'
import type { HandlersFor } from './index'

export function pinHandlers(core: ClientCore): HandlersFor<'pins' | 'saved'> {
  const lists = () => core.ctx().pinsSaved
  return {
    'pins.list': ({ conversationId }) => lists().pins(conversationId),
    'pins.pin': ({ conversationId, seq }) => lists().setPinned(conversationId, seq, true),
    'pins.unpin': ({ conversationId, seq }) => lists().setPinned(conversationId, seq, false),
    'saved.list': () => lists().saved(),
    'saved.save': ({ conversationId, seq }) => lists().save(conversationId, seq),
    'saved.unsave': async ({ conversationId, seq }) => {
      await lists().unsave(conversationId, seq)
      return null
    }
  }
}
