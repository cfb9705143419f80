// Session permissions: everything denied, except notifications asked by our
// own page (checklist item 5). Device and display-capture requests are denied too.
import type { Session } from 'electron'
import { isAppOrigin, parseUrl } from './app-frame'

const ALLOWED_PERMISSIONS = new Set(['notifications'])

/** May `origin` (the page asking) have `permission`? Only ours, only notifications. */
export function permissionAllowed(permission: string, requestingUrl: string, devUrl: string | undefined): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission)) return false
  const url = parseUrl(requestingUrl)
  if (!url) return false
  if (devUrl) return url.origin === new URL(devUrl).origin
  // A check may carry the page URL or just its origin (app://messenger): our origin serves only our files.
  return isAppOrigin(url)
}

type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'setDisplayMediaRequestHandler'
>

export function restrictPermissions(session: PermissionSession, devUrl: string | undefined): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(permissionAllowed(permission, details.requestingUrl || contents.getURL(), devUrl))
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin, devUrl))
  session.setDevicePermissionHandler(() => false)
  session.setDisplayMediaRequestHandler((_request, callback) => callback(null))
}
