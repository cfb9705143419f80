// Browser host only (issue 21): whether the page may show desktop
// notifications, and the sidebar banner that asks (a browser asks only after a
// click). null in Electron, which has native notifications.
import type { Slice } from './types'

export type BrowserNotificationPermission = 'default' | 'granted' | 'denied'

const DISMISSED_KEY = 'messenger.notificationBannerDismissed'

export interface BrowserNotificationsSlice {
  /** The page's Notification permission; null where the window does not use the Notification API (Electron, or a browser without it). */
  notificationPermission: BrowserNotificationPermission | null
  /** "Not now" on the banner: it stays away in this browser. */
  notificationBannerDismissed: boolean
  setNotificationPermission(permission: BrowserNotificationPermission | null): void
  /** Asks the browser (from the banner's click); the answer is kept. */
  requestNotificationPermission(): Promise<void>
  dismissNotificationBanner(): void
}

function readDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1'
  } catch {
    // Storage refused (a private window's policy): the banner may come back next time.
    return false
  }
}

export const createBrowserNotificationsSlice: Slice<BrowserNotificationsSlice> = (set) => ({
  notificationPermission: null,
  notificationBannerDismissed: readDismissed(),
  setNotificationPermission(permission) {
    set({ notificationPermission: permission })
  },
  async requestNotificationPermission() {
    if (typeof Notification === 'undefined') return
    const permission = await Notification.requestPermission()
    set({ notificationPermission: permission })
  },
  dismissNotificationBanner() {
    try {
      localStorage.setItem(DISMISSED_KEY, '1')
    } catch {
      // Kept for this page only.
    }
    set({ notificationBannerDismissed: true })
  }
})
