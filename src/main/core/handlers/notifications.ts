// Issue 21: notification preferences and do-not-disturb. Placeholder of the contract commit: i21-attention builds it.
import type { ClientCore } from '../client'
import type { HandlersFor } from './index'

export function notificationHandlers(_core: ClientCore): HandlersFor<'notifications'> {
  const later = () => Promise.reject(new Error('notification preferences are not built yet'))
  return { 'notifications.prefs': later, 'notifications.update': later }
}
