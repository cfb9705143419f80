import { DEFAULT_NOTIFICATION_PREFS, type NotificationPrefs } from '../../../src/shared/schemas/notification-prefs'
import { isTimed } from '../notification-prefs-repo'
import type { NotificationPrefsRepo } from '../types'
import { query, type Pool } from './pool'

interface PrefsRow {
  user_id: string
  prefs: NotificationPrefs
}

/** Issue 21: one jsonb value per user (migration 013). */
export class PgNotificationPrefsRepo implements NotificationPrefsRepo {
  constructor(private readonly pool: Pool) {}

  async get(userId: string): Promise<NotificationPrefs> {
    const { rows } = await query<PrefsRow>(this.pool, 'SELECT user_id, prefs FROM notification_prefs WHERE user_id = $1', [userId])
    return rows[0]?.prefs ?? structuredClone(DEFAULT_NOTIFICATION_PREFS)
  }

  async many(userIds: readonly string[]): Promise<Map<string, NotificationPrefs>> {
    if (userIds.length === 0) return new Map()
    const { rows } = await query<PrefsRow>(this.pool, 'SELECT user_id, prefs FROM notification_prefs WHERE user_id = ANY($1::text[])', [[...new Set(userIds)]])
    return new Map(rows.map((row) => [row.user_id, row.prefs]))
  }

  async put(userId: string, prefs: NotificationPrefs): Promise<void> {
    await query(
      this.pool,
      `INSERT INTO notification_prefs (user_id, prefs, timed) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET prefs = excluded.prefs, timed = excluded.timed`,
      [userId, JSON.stringify(prefs), isTimed(prefs)]
    )
  }

  async timed(): Promise<Map<string, NotificationPrefs>> {
    const { rows } = await query<PrefsRow>(this.pool, 'SELECT user_id, prefs FROM notification_prefs WHERE timed')
    return new Map(rows.map((row) => [row.user_id, row.prefs]))
  }
}
