// What the notifiers (the Electron app's and the browser host's) need to know of the signed-in account (its
// conversations with their unread counts, the muted ones, who is who), kept
// from the core's event batches. The window's store does the same for the UI.
import { accountLabel } from '../../../shared/accounts'
import type { AccountSummary, MessengerEvent, UnreadByAccount } from '../../../shared/ipc'
import type { Conversation } from '../../../shared/schemas/conversations'
import type { FollowedThread } from '../../../shared/schemas/threads'
import { threadKey } from '../../../shared/threads'
import type { PublicUser } from '../../../shared/schemas/users'

export class DesktopState {
  meId: string | null = null
  readonly conversations = new Map<string, Conversation>()
  muted = new Set<string>()
  /** Threads the user follows (threadKey): their replies notify. */
  readonly followedThreads = new Set<string>()
  private readonly people = new Map<string, string>()
  /** Per conversation, the highest seq already announced in this run. */
  readonly notified = new Map<string, number>()
  /** Every account this app keeps, and which one the window shows. */
  accounts: AccountSummary[] = []
  accountId: string | null = null
  /** Each signed-in account's unread total (the core counts those in the background too). */
  unread: UnreadByAccount = {}
  /** Background accounts' conversations: the highest seq announced, by account, then conversation. */
  readonly notifiedElsewhere = new Map<string, Map<string, number>>()

  /** Applies one batch; says whether the unread total may have changed and whether another account signed in. */
  apply(batch: MessengerEvent[]): { unreadChanged: boolean; signedIn: boolean } {
    let unreadChanged = false
    let signedIn = false
    for (const event of batch) {
      switch (event.type) {
        case 'session':
          this.accounts = event.payload.accounts
          this.accountId = event.payload.status === 'signed_in' ? event.payload.account.id : null
          if (event.payload.status === 'signed_in') {
            if (this.meId !== event.payload.me.id) {
              this.reset()
              signedIn = true
            }
            this.meId = event.payload.me.id
            this.people.set(event.payload.me.id, event.payload.me.displayName)
          } else this.reset()
          unreadChanged = true
          break
        case 'conversations':
          this.setConversations(event.payload.upserted, event.payload.removed)
          unreadChanged = true
          break
        case 'muted':
          this.muted = new Set(event.payload)
          unreadChanged = true
          break
        case 'people':
          this.addPeople(event.payload)
          break
        case 'followedThreads':
          this.setFollowedThreads(event.payload.upserted, event.payload.removed)
          break
        case 'unread':
          this.unread = event.payload
          unreadChanged = true
          break
        default:
          break
      }
    }
    return { unreadChanged, signedIn }
  }

  setConversations(upserted: Conversation[], removed: string[] = []): void {
    for (const c of upserted) {
      this.conversations.set(c.id, c)
      for (const m of c.members) this.people.set(m.user.id, m.user.displayName)
    }
    for (const id of removed) this.conversations.delete(id)
  }

  setFollowedThreads(upserted: Pick<FollowedThread, 'conversationId' | 'rootSeq'>[], removed: string[] = []): void {
    for (const t of upserted) this.followedThreads.add(threadKey(t.conversationId, t.rootSeq))
    for (const key of removed) this.followedThreads.delete(key)
  }

  addPeople(list: Pick<PublicUser, 'id' | 'displayName'>[]): void {
    for (const p of list) this.people.set(p.id, p.displayName)
  }

  /** How notifications name an account: only when there is more than one. */
  accountLabel(id: string | null = this.accountId): string | null {
    const account = this.accounts.find((a) => a.id === id)
    return account && this.accounts.length > 1 ? accountLabel(account, this.accounts) : null
  }

  /** Unread messages of the accounts in the background, for the dock badge and the tray beside the shown one's. */
  unreadElsewhere(): number {
    return Object.entries(this.unread).reduce((sum, [id, n]) => sum + (id === this.accountId ? 0 : n), 0)
  }

  name(userId: string): string {
    return this.people.get(userId) ?? 'Someone'
  }

  private reset(): void {
    this.meId = null
    this.conversations.clear()
    this.muted = new Set()
    this.followedThreads.clear()
    this.notified.clear()
  }
}
