import type { ClientCore } from '../client'
import type { HandlersFor } from './index'

/** Drafts (i20-drafts): the shown account's, from its cache; the core sends them on. */
export function draftHandlers(core: ClientCore): HandlersFor<'drafts'> {
  return {
    'drafts.list': () => Promise.resolve(core.ctx().drafts.list()),
    'drafts.set': (request) => Promise.resolve(core.ctx().drafts.set(request))
  }
}
