import type { SessionState } from '../../../shared/ipc'
import { api, unwrap } from '../lib/api'
import type { Slice } from './types'

export interface SessionSlice {
  /** null until main has answered at start. */
  session: SessionState | null
  setSession(session: SessionState): void
  signIn(serverUrl: string, username: string, password: string): Promise<void>
  register(serverUrl: string, username: string, password: string, displayName?: string, inviteCode?: string): Promise<void>
  /** Sets a new password with a one-time reset code, and signs in. */
  resetPassword(serverUrl: string, username: string, code: string, password: string): Promise<void>
  logout(): Promise<void>
}

export const createSessionSlice: Slice<SessionSlice> = (set, get) => ({
  session: null,
  setSession(session) {
    const was = get().session
    set({ session })
    // Another account (or none): forget what the window held for the last one.
    const before = was?.status === 'signed_in' ? was.account.id : null
    const after = session.status === 'signed_in' ? session.account.id : null
    if (before !== after) {
      // An account added (or another one shown): the first-run screen over the window is done.
      if (after) set({ addingAccount: null })
      get().resetAccountState()
      get().resetInvitations()
      get().resetCalls()
    }
  },
  async signIn(serverUrl, username, password) {
    get().setSession(await unwrap(api().session.login({ serverUrl, username, password })))
    set({ addingAccount: null })
  },
  async register(serverUrl, username, password, displayName, inviteCode) {
    const extra = { ...(displayName ? { displayName } : {}), ...(inviteCode ? { inviteCode } : {}) }
    get().setSession(await unwrap(api().session.register({ serverUrl, username, password, ...extra })))
    set({ addingAccount: null })
  },
  async resetPassword(serverUrl, username, code, password) {
    get().setSession(await unwrap(api().session.resetPassword({ serverUrl, username, code, password })))
    set({ addingAccount: null })
  },
  async logout() {
    await get().leaveCall()
    get().setSession(await unwrap(api().session.logout()))
  }
})
