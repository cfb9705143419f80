// Shows the notifications decideNotification asks for with Electron's
// Notification; a click opens that conversation in the window.
import type { NotificationConstructorOptions } from 'electron'
import type { MessengerEvent } from '../../shared/ipc'
import type { DesktopPrefs } from './desktop-prefs'
import type { DesktopState } from './desktop-state'
import { decideNotification } from './notifications'

interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown
  show(): void
}

export interface NotifierDeps {
  Notification: { new (options: NotificationConstructorOptions): NotificationLike; isSupported(): boolean }
  state: DesktopState
  prefs: () => DesktopPrefs
  windowFocused: () => boolean
  onClick: (conversationId: string) => void
  icon?: string
  now?: () => number
}

export class Notifier {
  /** Held until closed: a notification that is garbage-collected loses its click on Windows. */
  private readonly shown = new Set<NotificationLike>()

  constructor(private readonly deps: NotifierDeps) {}

  handle(batch: MessengerEvent[]): void {
    for (const event of batch) {
      if (event.type !== 'messages') continue
      const { state } = this.deps
      const prefs = this.deps.prefs()
      const decision = decideNotification(event.payload, {
        meId: state.meId,
        muted: state.muted,
        doNotDisturb: prefs.doNotDisturb,
        hidePreviews: prefs.hidePreviews,
        windowFocused: this.deps.windowFocused(),
        now: (this.deps.now ?? Date.now)(),
        conversation: state.conversations.get(event.payload.conversationId),
        notifiedSeq: state.notified.get(event.payload.conversationId) ?? 0,
        name: (id) => state.name(id)
      })
      state.notified.set(event.payload.conversationId, decision.notifiedSeq)
      if (decision.notification && this.deps.Notification.isSupported()) {
        const { conversationId, title, body } = decision.notification
        this.show({ title, body, ...(this.deps.icon ? { icon: this.deps.icon } : {}) }, conversationId)
      }
    }
  }

  private show(options: NotificationConstructorOptions, conversationId: string): void {
    const n = new this.deps.Notification(options)
    this.shown.add(n)
    n.on('click', () => {
      this.shown.delete(n)
      this.deps.onClick(conversationId)
    })
    n.on('close', () => this.shown.delete(n))
    n.show()
  }
}
