// Several accounts in one window: each one's unread total (the core keeps
// every signed-in account connected), switching, adding one through the
// first-run screen, and the servers signed in to before.
import type { AppInfo, KnownServer, UnreadByAccount } from '../../../shared/ipc'
import { api, unwrap, UiError } from '../lib/api'
import type { Slice } from './types'

/** The first-run flow shown over the window to add an account; filled in for an account that must sign in again. */
export interface AddingAccount {
  serverUrl: string
  username: string
}

export interface AccountsSlice {
  unread: UnreadByAccount
  knownServers: KnownServer[]
  addingAccount: AddingAccount | null
  /** Which host runs the window: the account shortcuts differ (a browser keeps Ctrl+digit for its tabs). */
  appInfo: AppInfo | null
  setUnread(unread: UnreadByAccount): void
  /** The unread totals and the host, at start. */
  loadAccountsInfo(): Promise<void>
  loadKnownServers(): Promise<void>
  startAddAccount(prefill?: AddingAccount): void
  cancelAddAccount(): void
  /** Shows another account; one whose sign-in ended goes to the sign-in screen, filled in. */
  switchAccount(accountId: string): Promise<void>
  /** The n-th account in the switcher (0-based), as Ctrl+1…9 picks it. */
  switchToIndex(index: number): Promise<void>
  /** A notification of another account was clicked: that account, then the conversation once its list is in. */
  openAccountConversation(accountId: string, conversationId: string): Promise<void>
}

export const createAccountsSlice: Slice<AccountsSlice> = (set, get, store) => ({
  unread: {},
  knownServers: [],
  addingAccount: null,
  appInfo: null,
  setUnread(unread) {
    set({ unread })
  },
  async loadAccountsInfo() {
    const [unread, info] = await Promise.all([unwrap(api().session.unread()), unwrap(api().app.info())])
    set({ unread, appInfo: info })
  },
  async loadKnownServers() {
    set({ knownServers: await unwrap(api().session.knownServers()) })
  },
  startAddAccount(prefill) {
    set({ addingAccount: prefill ?? { serverUrl: '', username: '' }, dialog: null })
  },
  cancelAddAccount() {
    set({ addingAccount: null })
  },
  async switchAccount(accountId) {
    const session = get().session
    if (session?.status === 'signed_in' && session.account.id === accountId) return
    // A call belongs to the shown account, and the core's switch ends nothing: this window leaves it first.
    await get().leaveCall()
    const result = await api().session.switchAccount({ accountId })
    if (result.ok) {
      get().setSession(result.data)
      return
    }
    const account = session?.accounts.find((a) => a.id === accountId)
    if (result.error.code === 'unauthorized' && account) get().startAddAccount({ serverUrl: account.serverUrl, username: account.username })
    else throw new UiError(result.error)
  },
  async switchToIndex(index) {
    const session = get().session
    const account = session ? railOrder(session.accounts)[index] : undefined
    if (account) await get().switchAccount(account.id)
  },
  async openAccountConversation(accountId, conversationId) {
    await get().switchAccount(accountId)
    const open = (): boolean => {
      const s = get()
      if (s.session?.status !== 'signed_in' || s.session.account.id !== accountId) return true // moved on: nothing to open
      if (!s.conversations[conversationId]) return false
      s.openConversation(conversationId)
      return true
    }
    if (open()) return
    const stop = store.subscribe(() => {
      if (open()) stop()
    })
  }
})

/** The switcher's order: the order they were signed in to (the core lists the latest first). */
export function railOrder<T>(accounts: readonly T[]): T[] {
  return [...accounts].reverse()
}
