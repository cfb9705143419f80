import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../src/shared/schemas/notification-prefs'
import type { Change } from './journal-changes'
import { recordChange } from './journal-changes'
import type { DbData } from './records'
import type { NotificationPrefsRepo } from './types'

/** Whether do-not-disturb may change by itself: the server times these users. */
export const isTimed = (prefs: NotificationPrefs): boolean => prefs.dndUntil !== null || prefs.workHours?.enabled === true

/** Issue 21: preferences inside the meta store's lowdb document, each user's its own journal line. */
export class LowNotificationPrefsRepo implements NotificationPrefsRepo {
  constructor(
    private readonly data: () => DbData,
    private readonly write: (changes: Change[]) => Promise<void>
  ) {}

  private get all(): Record<string, NotificationPrefs> {
    return (this.data().notificationPrefs ??= {})
  }

  get(userId: string): Promise<NotificationPrefs> {
    return Promise.resolve(structuredClone(this.all[userId] ?? DEFAULT_NOTIFICATION_PREFS))
  }

  many(userIds: readonly string[]): Promise<Map<string, NotificationPrefs>> {
    return Promise.resolve(new Map(userIds.flatMap((id) => (this.all[id] ? [[id, structuredClone(this.all[id])] as const] : []))))
  }

  async put(userId: string, prefs: NotificationPrefs): Promise<void> {
    this.all[userId] = structuredClone(prefs)
    await this.write([recordChange('notificationPrefs', userId, () => this.all[userId])])
  }

  timed(): Promise<Map<string, NotificationPrefs>> {
    return Promise.resolve(new Map(Object.entries(this.all).filter(([, p]) => isTimed(p))))
  }
}
