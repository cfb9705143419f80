// Shows the notifications decideNotification (core/notify) and
// decideInvitationNotification ask for with Electron's Notification, silent
// when the user turned sound off; a click opens that conversation, or the
// Contacts dialog, in the window.
import type { NotificationConstructorOptions } from 'electron'
import type { AccountMessages, MessengerEvent, OpenTarget } from '../../shared/ipc'
import type { Invitation } from '../../shared/schemas/contacts'
import type { NotificationPrefs } from '../../shared/schemas/notification-prefs'
import { decideNotification, type NotificationSpec } from '../core/notify/decide'
import { dndActive } from '../core/notify/dnd'
import type { DesktopPrefs } from './desktop-prefs'
import type { DesktopState } from '../core/notify/desktop-state'
import { decideInvitationNotification } from './invitation-notifications'

interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown
  show(): void
}

export interface NotifierDeps {
  Notification: { new (options: NotificationConstructorOptions): NotificationLike; isSupported(): boolean }
  state: DesktopState
  prefs: () => DesktopPrefs
  /** The account's server-kept notification preferences (the shown one's without an id): ClientCore.notificationPrefs. */
  notificationPrefs: (accountId?: string) => NotificationPrefs
  windowFocused: () => boolean
  onClick: (target: OpenTarget) => void
  icon?: string
  now?: () => number
}

export class Notifier {
  /** Held until closed: a notification that is garbage-collected loses its click on Windows. */
  private readonly shown = new Set<NotificationLike>()
  /** Invitations announced in this run, by id. */
  private readonly invitations = new Set<string>()

  constructor(private readonly deps: NotifierDeps) {}

  handle(batch: MessengerEvent[]): void {
    for (const event of batch) {
      if (event.type === 'invitation') this.invitation(event.payload.invitation)
      if (event.type === 'accountMessages') this.elsewhere(event.payload)
      if (event.type !== 'messages') continue
      const { state } = this.deps
      const prefs = this.deps.prefs()
      const decision = decideNotification(event.payload, {
        meId: state.meId,
        prefs: this.deps.notificationPrefs(),
        hidePreviews: prefs.hidePreviews,
        windowFocused: this.deps.windowFocused(),
        now: (this.deps.now ?? Date.now)(),
        conversation: state.conversations.get(event.payload.conversationId),
        notifiedSeq: state.notified.get(event.payload.conversationId) ?? 0,
        name: (id) => state.name(id),
        account: state.accountLabel(),
        followedThreads: state.followedThreads
      })
      state.notified.set(event.payload.conversationId, decision.notifiedSeq)
      if (decision.notification) this.message(decision.notification, { conversationId: decision.notification.conversationId })
    }
  }

  /** Messages of a signed-in account the window does not show: the window being focused does not mean they were seen. */
  private elsewhere({ accountId, conversation, upserted }: AccountMessages): void {
    const { state } = this.deps
    const prefs = this.deps.prefs()
    const notified = state.notifiedElsewhere.get(accountId) ?? new Map<string, number>()
    state.notifiedElsewhere.set(accountId, notified)
    const account = state.accounts.find((a) => a.id === accountId)
    const decision = decideNotification(
      { conversationId: conversation.id, upserted },
      {
        meId: account?.userId ?? null,
        // Mutes and do-not-disturb of that account: kept by its server like the shown one's.
        prefs: this.deps.notificationPrefs(accountId),
        hidePreviews: prefs.hidePreviews,
        windowFocused: false,
        now: (this.deps.now ?? Date.now)(),
        conversation,
        notifiedSeq: notified.get(conversation.id) ?? 0,
        name: (id) => conversation.members.find((m) => m.user.id === id)?.user.displayName ?? 'Someone',
        account: state.accountLabel(accountId) ?? account?.serverUrl ?? null
      }
    )
    notified.set(conversation.id, decision.notifiedSeq)
    if (decision.notification) this.message(decision.notification, { conversationId: conversation.id, accountId })
  }

  private message({ title, body, sound }: NotificationSpec, target: OpenTarget): void {
    if (!this.deps.Notification.isSupported()) return
    this.show({ title, body, silent: !sound, ...(this.deps.icon ? { icon: this.deps.icon } : {}) }, target)
  }

  private invitation(invitation: Invitation): void {
    const prefs = this.deps.prefs()
    const decision = decideInvitationNotification(invitation, {
      meId: this.deps.state.meId,
      doNotDisturb: dndActive(this.deps.notificationPrefs(), (this.deps.now ?? Date.now)()),
      hidePreviews: prefs.hidePreviews,
      windowFocused: this.deps.windowFocused(),
      announced: this.invitations
    })
    this.invitations.add(invitation.id)
    if (decision && this.deps.Notification.isSupported()) {
      this.show({ ...decision, ...(this.deps.icon ? { icon: this.deps.icon } : {}) }, { contacts: true })
    }
  }

  private show(options: NotificationConstructorOptions, target: OpenTarget): void {
    const n = new this.deps.Notification(options)
    this.shown.add(n)
    n.on('click', () => {
      this.shown.delete(n)
      this.deps.onClick(target)
    })
    n.on('close', () => this.shown.delete(n))
    n.show()
  }
}
