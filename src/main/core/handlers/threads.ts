import type { ClientCore } from '../client'
import type { HandlersFor } from './index'

export function threadHandlers(core: ClientCore): HandlersFor<'threads'> {
  return {
    'threads.page': ({ conversationId, rootSeq }) => core.ctx().threads.page(conversationId, rootSeq),
    'threads.list': () => core.ctx().threads.list(),
    'threads.read': ({ conversationId, rootSeq, seq }) => core.ctx().threads.read(conversationId, rootSeq, seq),
    'threads.follow': ({ conversationId, rootSeq, following }) => core.ctx().threads.follow(conversationId, rootSeq, following)
  }
}
