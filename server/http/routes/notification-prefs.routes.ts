import { NotificationPrefsResponse, UpdateNotificationPrefsBody } from '../../../src/shared/schemas/notification-prefs'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

/** Issue 21 (i21-attention): notification preferences and do-not-disturb, for every device of the caller. */
export function notificationPrefsRoutes({ services }: RouteDeps): AnyRoute[] {
  const prefs = services.notificationPrefs
  return [
    defineRoute({
      method: 'get',
      path: '/me/notification-prefs',
      summary: "The caller's notification preferences and do-not-disturb (the defaults until changed)",
      tag: 'users',
      auth: true,
      responses: { 200: { description: 'The preferences', schema: NotificationPrefsResponse } },
      handler: async ({ caller }) => ({ status: 200, body: { prefs: await prefs.get(caller.userId) } })
    }),
    defineRoute({
      method: 'patch',
      path: '/me/notification-prefs',
      summary:
        "Change them: only the fields given change; a conversations entry replaces that conversation's (null removes it; conversations the caller is not in are dropped). Every device of the caller gets notification-prefs:updated",
      tag: 'users',
      auth: true,
      body: UpdateNotificationPrefsBody,
      responses: { 200: { description: 'The preferences after the change', schema: NotificationPrefsResponse } },
      handler: async ({ caller, body }) => ({ status: 200, body: { prefs: await prefs.update(caller.userId, body) } })
    })
  ]
}
