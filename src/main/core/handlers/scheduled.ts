import type { ClientCore } from '../client'
import type { HandlersFor } from './index'

/** Scheduled messages (issue 21 item 4): the shown account's, cached by the core; changes go to the server. */
export function scheduledHandlers(core: ClientCore): HandlersFor<'scheduled'> {
  return {
    'scheduled.list': () => Promise.resolve(core.ctx().scheduled.list()),
    'scheduled.create': (request) => core.ctx().scheduled.create(request),
    'scheduled.update': (request) => core.ctx().scheduled.update(request),
    'scheduled.cancel': async ({ id }) => {
      await core.ctx().scheduled.cancel(id)
      return null
    },
    'scheduled.sendNow': async ({ id }) => {
      await core.ctx().scheduled.sendNow(id)
      return null
    }
  }
}
