// Issue 21 (i21-attention): notification preferences and do-not-disturb of the shown account.
import type { ClientCore } from '../client'
import type { HandlersFor } from './index'

export function notificationHandlers(core: ClientCore): HandlersFor<'notifications'> {
  return {
    // From the cache: answers offline too (the defaults until the server first told this device).
    'notifications.prefs': () => Promise.resolve(core.ctx().notificationPrefs.current()),
    'notifications.update': (body) => core.ctx().notificationPrefs.update(body)
  }
}
