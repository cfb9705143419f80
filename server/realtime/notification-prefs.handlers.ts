import { z } from 'zod'
import { UpdateNotificationPrefsBody } from '../../src/shared/schemas/notification-prefs'
import type { Services } from '../services'
import type { EventRegistry } from './handle'
import type { IoSocket } from './types'

/** Issue 21: notification preferences by socket, as GET/PATCH /me/notification-prefs. */
export function registerNotificationPrefsHandlers(socket: IoSocket, events: EventRegistry, services: Services): void {
  const { userId } = socket.data
  events.on('notification-prefs:get', z.object({}).optional(), async () => ({ data: { prefs: await services.notificationPrefs.get(userId) } }))
  events.on('notification-prefs:update', UpdateNotificationPrefsBody, async (body) => ({
    data: { prefs: await services.notificationPrefs.update(userId, body) }
  }))
}
