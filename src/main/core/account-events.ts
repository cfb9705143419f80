// One signed-in account's events. The shown account's go on to the window's
// batcher; a background account's are kept from the window (they would mix
// two accounts' conversations in one list) and only tell the core that its
// unread total may have changed and which messages came, for the account
// switcher's badge and for notifications that name the account.
import type { MessengerEventName, MessengerEvents } from '../../shared/ipc'
import { EventBatcher } from './event-batcher'

export interface AccountEventHooks {
  /** This account is the one the window shows now. */
  shown(): boolean
  /** Its conversations or muted list changed: its unread total may have. */
  unreadMayChange(): void
  /** Messages added or changed while the account is in the background. */
  backgroundMessages(event: MessengerEvents['messages']): void
}

/** A batcher in type only (the runtime's parts emit into one): it queues nothing itself. */
export class AccountEvents extends EventBatcher {
  constructor(
    private readonly window: EventBatcher,
    private readonly hooks: AccountEventHooks
  ) {
    super()
  }

  override emit<K extends MessengerEventName>(type: K, payload: MessengerEvents[K]): void {
    if (type === 'conversations' || type === 'muted') this.hooks.unreadMayChange()
    if (this.hooks.shown()) this.window.emit(type, payload)
    else if (type === 'messages') this.hooks.backgroundMessages(payload as MessengerEvents['messages'])
  }
}
