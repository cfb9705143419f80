// Browser host only (issue 21): desktop notifications with the Notification
// API and the unread count in the tab title. The Node host decides (the same
// rules as the Electron app) and sends 'desktopNotification' only to a page
// that told it its user is not looking (hidden or unfocused), so this page
// reports its focus and visibility, shows what comes, and plays the sound.
import type { MessengerEvents } from '../../../shared/ipc'
import { playNotificationSound } from '../lib/notification-sound'
import { tabTitle, unreadSum } from '../lib/tab-title'
import { useStore } from '../store'

function reportAttention(): void {
  const focused = document.hasFocus()
  const visible = document.visibilityState === 'visible'
  // A failed report (the host restarting) is sent again at the next change of focus.
  void window.messenger.window.attention({ focused, visible }).catch(() => undefined)
}

function show({ title, body, target, sound }: MessengerEvents['desktopNotification']): void {
  if (sound) playNotificationSound()
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
  const n = new Notification(title, { body, tag: 'conversationId' in target ? target.conversationId : undefined })
  n.onclick = () => {
    window.focus()
    useStore.getState().openTarget(target)
    n.close()
  }
}

/** Starts it all; called once, in the browser host only. */
export function startBrowserNotifications(): void {
  const s = useStore.getState
  s().setNotificationPermission(typeof Notification === 'undefined' ? null : Notification.permission)
  window.messenger.onDesktopNotification(show)
  for (const name of ['focus', 'blur'] as const) window.addEventListener(name, reportAttention)
  document.addEventListener('visibilitychange', reportAttention)
  reportAttention()
  document.title = tabTitle(unreadSum(s().unread))
  useStore.subscribe((state, prev) => {
    if (state.unread !== prev.unread) document.title = tabTitle(unreadSum(state.unread))
  })
}
