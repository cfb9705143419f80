import type { Logger } from 'pino'
import { nextDndChange } from '../../src/shared/dnd'
import type { NotificationPrefs } from '../../src/shared/schemas/notification-prefs'
import type { Services } from '../services'
import { Alarms } from './alarms'
import type { Broadcaster } from './broadcaster'
import type { PresenceHub } from './presence-hub'
import { userRoom, type IoServer } from './types'

const dndOf = (p: NotificationPrefs): string => JSON.stringify([p.dndUntil, p.workHours])

/**
 * Issue 21 (i21-attention): what changes by itself with time. A user's
 * do-not-disturb starting or ending (timed, or by work hours) is told to their
 * contacts as a presence:update; a custom status clears at its expiry. One
 * timer per user, armed on a change and for everyone at start. With several
 * nodes, each arms the timers of changes made through it and all of them at
 * start; a second node's announcement of the same change says the same thing.
 */
export function startAttention(io: IoServer, services: Services, hub: PresenceHub, broadcaster: Broadcaster, log: Logger, now: () => number = Date.now): { close(): void } {
  const dnd = new Alarms(now)
  const status = new Alarms(now)

  function armDnd(userId: string, prefs: NotificationPrefs): void {
    dnd.set(userId, nextDndChange(prefs, now()), () => {
      hub.dndChanged(userId)
      services.store.notificationPrefs.get(userId).then(
        (latest) => armDnd(userId, latest),
        (err: unknown) => log.warn({ err, userId }, 'could not read notification preferences to time do-not-disturb')
      )
    })
  }

  function armStatus(userId: string, at: string | null): void {
    status.set(userId, at === null ? null : Date.parse(at), () => {
      services.users.expireStatus(userId).then(
        (cleared) => {
          if (cleared) void broadcaster.accountChanged(userId)
        },
        (err: unknown) => log.warn({ err, userId }, 'could not clear an expired custom status')
      )
    })
  }

  services.notificationPrefs.onChanged = (userId, prefs, before) => {
    io.to(userRoom(userId)).emit('notification-prefs:updated', { prefs })
    if (dndOf(prefs) === dndOf(before)) return
    hub.dndChanged(userId)
    armDnd(userId, prefs)
  }
  services.users.onStatusExpiry = armStatus

  void (async () => {
    try {
      for (const [userId, prefs] of await services.store.notificationPrefs.timed()) armDnd(userId, prefs)
      for (const { id, at } of await services.users.expiring()) armStatus(id, at)
    } catch (err) {
      log.error({ err }, 'could not time do-not-disturb and custom statuses at start')
    }
  })()

  return {
    close: () => {
      dnd.close()
      status.close()
    }
  }
}
