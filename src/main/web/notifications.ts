// Desktop notifications in the browser host: the same decision as the
// Electron notifier (core/notify/decide.ts), announced as a
// 'desktopNotification' event to the pages that said the user is not looking
// at them (hidden or unfocused); the page shows it with the Notification API.
import type { MessengerEvent, MessengerEvents, OpenTarget } from '../../shared/ipc'
import type { ClientCore } from '../core/client'
import type { Logger } from '../core/logger'
import { decideNotification, type NotificationSpec } from '../core/notify/decide'
import { DesktopState } from '../core/notify/desktop-state'

/** A page that can be told of a notification, and whether its user looks at it now. */
export interface NotifiedPage {
  attentive(): boolean
  notify(notification: MessengerEvents['desktopNotification']): void
}

export class HostNotifications {
  /** The same bookkeeping the Electron notifier keeps (plain code, no Electron in it). */
  private readonly state = new DesktopState()
  private readonly pages = new Set<NotifiedPage>()

  constructor(
    private readonly core: ClientCore,
    private readonly log: Logger,
    private readonly now: () => number = Date.now
  ) {}

  /** Subscribes to the core; returns the unsubscribe. */
  start(): () => void {
    return this.core.subscribe((batch) => this.handle(batch))
  }

  add(page: NotifiedPage): () => void {
    this.pages.add(page)
    return () => {
      this.pages.delete(page)
    }
  }

  private handle(batch: MessengerEvent[]): void {
    if (this.state.apply(batch).signedIn) void this.load()
    for (const event of batch) {
      if (event.type === 'messages') this.messages(event.payload)
      if (event.type === 'accountMessages') this.elsewhere(event.payload)
    }
  }

  private messages(event: MessengerEvents['messages']): void {
    const { state } = this
    const decision = decideNotification(event, {
      meId: state.meId,
      prefs: this.core.notificationPrefs(),
      hidePreviews: false,
      // Decided for a page not looked at; the pages that are looked at are left out below.
      windowFocused: !this.anyInattentive(),
      now: this.now(),
      conversation: state.conversations.get(event.conversationId),
      notifiedSeq: state.notified.get(event.conversationId) ?? 0,
      name: (id) => state.name(id),
      account: state.accountLabel(),
      followedThreads: state.followedThreads
    })
    state.notified.set(event.conversationId, decision.notifiedSeq)
    if (decision.notification) this.tell(decision.notification, { conversationId: event.conversationId })
  }

  /** Another signed-in account's messages: told even to a page looked at, which shows a different account. */
  private elsewhere({ accountId, conversation, upserted }: MessengerEvents['accountMessages']): void {
    const notified = this.state.notifiedElsewhere.get(accountId) ?? new Map<string, number>()
    this.state.notifiedElsewhere.set(accountId, notified)
    const account = this.state.accounts.find((a) => a.id === accountId)
    const decision = decideNotification(
      { conversationId: conversation.id, upserted },
      {
        meId: account?.userId ?? null,
        prefs: this.core.notificationPrefs(accountId),
        hidePreviews: false,
        windowFocused: false,
        now: this.now(),
        conversation,
        notifiedSeq: notified.get(conversation.id) ?? 0,
        name: (id) => conversation.members.find((m) => m.user.id === id)?.user.displayName ?? 'Someone',
        account: this.state.accountLabel(accountId) ?? account?.serverUrl ?? null
      }
    )
    notified.set(conversation.id, decision.notifiedSeq)
    if (decision.notification) this.tell(decision.notification, { conversationId: conversation.id, accountId }, true)
  }

  private tell({ title, body, sound }: NotificationSpec, target: OpenTarget, evenAttentive = false): void {
    for (const page of this.pages) if (evenAttentive || !page.attentive()) page.notify({ title, body, sound, target })
  }

  private anyInattentive(): boolean {
    for (const page of this.pages) if (!page.attentive()) return true
    return false
  }

  /** What the start-up events do not carry: the conversations, the people met and the followed threads. */
  private async load(): Promise<void> {
    const [list, known, threads] = await Promise.all([
      this.core.dispatch('conversations.list', {}),
      this.core.dispatch('users.known', {}),
      this.core.dispatch('threads.list', {})
    ])
    if (list.ok) this.state.setConversations(list.data as Parameters<DesktopState['setConversations']>[0])
    if (known.ok) this.state.addPeople(known.data as Parameters<DesktopState['addPeople']>[0])
    if (threads.ok) this.state.setFollowedThreads(threads.data as Parameters<DesktopState['setFollowedThreads']>[0])
    else this.log.debug('the followed threads were not loaded for notifications', { code: threads.error.code })
  }
}
