// Desktop notifications for ringing calls, of the shown account or another
// signed-in one: Accept and Decline buttons where the OS has notification
// actions (macOS, Windows), a click elsewhere (Linux) answers like Accept.
// Each closes when its call stops ringing for this user (answered on another
// device, declined, ended).
import type { NotificationConstructorOptions } from 'electron'
import type { NotificationPrefs } from '../../shared/schemas/notification-prefs'
import type { CallRing } from '../core/calls'
import { dndActive } from '../core/notify/dnd'
import { decideCallNotification } from './call-notifications'
import type { DesktopState } from '../core/notify/desktop-state'

/** Electron's 'action' event: the index in `details` (Electron ≥ 35), or as the second argument (older). */
type ActionListener = (details: { actionIndex?: number } | undefined, index?: number) => void

export interface RingNotification {
  on(event: 'click' | 'close', listener: () => void): unknown
  on(event: 'action', listener: ActionListener): unknown
  show(): void
  close(): void
}

export interface CallRingerDeps {
  Notification: { new (options: NotificationConstructorOptions): RingNotification; isSupported(): boolean }
  platform: NodeJS.Platform
  state: DesktopState
  /** The ringing account's server-kept preferences: its do-not-disturb holds the ringing notification too. */
  notificationPrefs: (accountId?: string) => NotificationPrefs
  now?: () => number
  windowFocused: () => boolean
  /** Show the window (switching account if needed) and have it answer the call. */
  accept: (accountId: string, callId: string) => void
  decline: (accountId: string, callId: string) => void
  icon?: string
}

const ACCEPT = 0
const DECLINE = 1

export class CallRinger {
  /** Held until closed (a collected notification loses its click on Windows), by account and call. */
  private readonly open = new Map<string, RingNotification>()

  constructor(private readonly deps: CallRingerDeps) {}

  handle(ring: CallRing): void {
    const key = `${ring.accountId}/${ring.call.id}`
    if (!ring.ringing) {
      const n = this.open.get(key)
      this.open.delete(key)
      n?.close()
      return
    }
    if (this.open.has(key) || !this.deps.Notification.isSupported()) return
    const { state } = this.deps
    const spec = decideCallNotification(ring, {
      doNotDisturb: dndActive(this.deps.notificationPrefs(ring.accountId), (this.deps.now ?? Date.now)()),
      shownAccountId: state.accountId,
      windowFocused: this.deps.windowFocused(),
      account: state.accountLabel(ring.accountId)
    })
    if (!spec) return
    const withActions = this.deps.platform === 'darwin' || this.deps.platform === 'win32'
    const n = new this.deps.Notification({
      ...spec,
      ...(this.deps.icon ? { icon: this.deps.icon } : {}),
      // It stays up while the call rings (CALL_RING_MS); it is closed here when the ringing stops.
      timeoutType: 'never',
      urgency: 'critical',
      ...(withActions ? { actions: [{ type: 'button', text: 'Accept' }, { type: 'button', text: 'Decline' }] } : {})
    })
    this.open.set(key, n)
    const done = (): boolean => {
      const current = this.open.get(key) === n
      if (current) this.open.delete(key)
      return current
    }
    n.on('click', () => {
      if (done()) this.deps.accept(ring.accountId, ring.call.id)
    })
    n.on('action', (details, index) => {
      const action = details?.actionIndex ?? index
      if (!done()) return
      if (action === DECLINE) this.deps.decline(ring.accountId, ring.call.id)
      else if (action === ACCEPT) this.deps.accept(ring.accountId, ring.call.id)
    })
    n.on('close', () => {
      done()
    })
    n.show()
  }
}
