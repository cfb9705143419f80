// Contact invitations for the sidebar's count, the in-window notices and the
// Contacts dialog: loaded on every (re)connect, kept current by main's
// `invitation` events.
import type { Invitation } from '../../../shared/schemas/contacts'
import { api, unwrap } from '../lib/api'
import { NO_INVITATIONS, withInvitation, withoutDeclined, withoutNotice, withPendingLists, type InvitationState } from './invitation-state'
import type { AppState, Slice } from './types'

export interface InvitationsSlice {
  invitations: InvitationState
  loadInvitations(): Promise<void>
  applyInvitation(invitation: Invitation): void
  answerInvitation(invitation: Invitation, answer: 'accept' | 'decline' | 'cancel'): Promise<void>
  /** Opens the Contacts dialog, where the invitations are; their notices go. */
  showInvitations(): void
  /** The Contacts dialog is open: the notices have been seen. */
  clearInvitationNotices(): void
  dismissInvitationNotice(key: string): void
  dismissDeclined(invitationId: string): void
  resetInvitations(): void
}

const meIdOf = (s: AppState): string | null => (s.session?.status === 'signed_in' ? s.session.me.id : null)

export const createInvitationsSlice: Slice<InvitationsSlice> = (set, get) => {
  /** Per list request on its way, the live events since it was sent (the list may be older than they are). */
  const loading = new Set<Invitation[]>()
  /** Bumped when the account changes: a list of the one before is dropped. */
  let account = 0
  return {
    invitations: NO_INVITATIONS,
    async loadInvitations() {
      const since: Invitation[] = []
      const asked = account
      loading.add(since)
      try {
        const lists = await unwrap(api().invitations.list())
        if (asked === account) set((s) => ({ invitations: withPendingLists(s.invitations, lists, meIdOf(s), since) }))
      } finally {
        loading.delete(since)
      }
    },
    applyInvitation(invitation) {
      for (const since of loading) since.push(invitation)
      const looking = get().dialog?.kind === 'contacts'
      set((s) => ({ invitations: withInvitation(s.invitations, invitation, meIdOf(s), looking) }))
    },
    async answerInvitation(invitation, answer) {
      const { invitations } = api()
      const id = { invitationId: invitation.id }
      // The event follows too; applying the answer now shows it without waiting for it.
      if (answer === 'accept') get().applyInvitation(await unwrap(invitations.accept(id)))
      else if (answer === 'decline') get().applyInvitation(await unwrap(invitations.decline(id)))
      else {
        await unwrap(invitations.cancel(id))
        get().applyInvitation({ ...invitation, status: 'cancelled' })
      }
    },
    showInvitations() {
      get().clearInvitationNotices()
      get().openDialog({ kind: 'contacts' })
    },
    clearInvitationNotices() {
      set((s) => ({ invitations: { ...s.invitations, notices: [] } }))
    },
    dismissInvitationNotice(key) {
      set((s) => ({ invitations: withoutNotice(s.invitations, key) }))
    },
    dismissDeclined(invitationId) {
      set((s) => ({ invitations: withoutDeclined(s.invitations, invitationId) }))
    },
    resetInvitations() {
      account += 1
      set({ invitations: NO_INVITATIONS })
    }
  }
}
