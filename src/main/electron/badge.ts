// The unread count on the dock (macOS), the launcher (Linux, Unity) and the
// taskbar button's overlay icon (Windows, which has no badge count).
import type { App, BrowserWindow, NativeImage } from 'electron'
import { badgeText } from './tray-menu'

export function showUnreadBadge(app: Pick<App, 'setBadgeCount'>, platform: NodeJS.Platform, win: BrowserWindow | null, overlay: NativeImage, unread: number): void {
  if (platform === 'win32') {
    win?.setOverlayIcon(unread > 0 ? overlay : null, unread > 0 ? `${badgeText(unread)} unread` : '')
    return
  }
  app.setBadgeCount(unread)
}
