// Session permissions: everything denied, except notifications asked by our
// own page (checklist item 5), and, for calls, the microphone and camera
// ('media'), the speaker ('speaker-selection') and screen capture ('display-capture') asked by our page in the
// app window's top frame. Screen capture gets only the source chosen in the
// app's picker (screen-picker.ts); device permissions (USB, HID, serial) stay denied.
import type { Session, WebContents } from 'electron'
import { isAppOrigin, parseUrl } from './app-frame'

const ALLOWED_PERMISSIONS = new Set(['notifications'])
/**
 * Only for the app window's own page: a call's microphone, camera and screen,
 * and the speaker it plays through (Chromium asks 'speaker-selection' before
 * HTMLMediaElement.setSinkId uses a device other than the default).
 */
const CALL_PERMISSIONS = new Set(['media', 'display-capture', 'speaker-selection'])

/** Who asks, besides the URL: the app window's web contents, and from its top frame. */
export interface Asker {
  appWindow: boolean
  mainFrame: boolean
}

/**
 * May `requestingUrl` (the page asking, or just its origin) have `permission`?
 * Notifications: our origin. Calls: our origin, and only from the app window's top frame.
 */
export function permissionAllowed(permission: string, requestingUrl: string, devUrl: string | undefined, asker?: Asker): boolean {
  const forCalls = CALL_PERMISSIONS.has(permission)
  if (!ALLOWED_PERMISSIONS.has(permission) && !forCalls) return false
  if (forCalls && !(asker?.appWindow && asker.mainFrame)) return false
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

export interface CallPermissions {
  /** The app window's web contents now (null before it opens or after it closed). */
  appContents: () => Pick<WebContents, 'mainFrame'> | null
  /** The source chosen in the app's picker for this capture, used once; null: nothing is shared. */
  takeScreen: () => { id: string; name: string } | null
}

const NO_CALLS: CallPermissions = { appContents: () => null, takeScreen: () => null }

export function restrictPermissions(session: PermissionSession, devUrl: string | undefined, calls: CallPermissions = NO_CALLS): void {
  const isAppWindow = (contents: unknown): boolean => contents !== null && contents === calls.appContents()
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const asker = { appWindow: isAppWindow(contents), mainFrame: details.isMainFrame === true }
    callback(permissionAllowed(permission, details.requestingUrl || contents.getURL(), devUrl, asker))
  })
  session.setPermissionCheckHandler((contents, permission, requestingOrigin, details) => {
    const asker = { appWindow: isAppWindow(contents), mainFrame: details?.isMainFrame === true }
    return permissionAllowed(permission, requestingOrigin, devUrl, asker)
  })
  session.setDevicePermissionHandler(() => false)
  session.setDisplayMediaRequestHandler((request, callback) => {
    const frame = request.frame
    const fromAppPage =
      frame !== null &&
      frame !== undefined &&
      frame === calls.appContents()?.mainFrame &&
      permissionAllowed('display-capture', frame.url, devUrl, { appWindow: true, mainFrame: true })
    const source = fromAppPage ? calls.takeScreen() : null
    callback(source ? { video: source } : null)
  })
}
