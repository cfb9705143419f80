// What the window knows of contact invitations, and how a list or a live
// event changes it. Pure, so every rule is unit-tested; the slice in
// ./invitations only feeds it.
import type { Invitation } from '../../../shared/schemas/contacts'

/** An in-window notice: someone invited me, or declined my invitation. */
export interface InvitationNotice {
  key: string
  kind: 'invited' | 'declined'
  invitation: Invitation
}

export interface InvitationState {
  /** Pending, to me, newest first: the sidebar's count. */
  incoming: Invitation[]
  /** Pending, from me, newest first. */
  outgoing: Invitation[]
  /**
   * Mine that were declined while this window was open, newest first, until
   * dismissed. The server lists pending ones only, so this is kept here.
   */
  declined: Invitation[]
  notices: InvitationNotice[]
}

export const NO_INVITATIONS: InvitationState = { incoming: [], outgoing: [], declined: [], notices: [] }

const without = (list: Invitation[], id: string): Invitation[] => list.filter((i) => i.id !== id)
const newestFirst = (list: Invitation[]): Invitation[] => [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))

/**
 * The server's pending lists (after a (re)connect or a change). `newer`: live
 * events that came while the lists were on their way, which may be newer than
 * they are; applied on top, without new notices. Notices of invitations no
 * longer waiting go.
 */
export function withPendingLists(
  state: InvitationState,
  lists: { incoming: Invitation[]; outgoing: Invitation[] },
  meId: string | null,
  newer: readonly Invitation[] = []
): InvitationState {
  let next: InvitationState = { ...state, incoming: lists.incoming, outgoing: lists.outgoing }
  for (const invitation of newer) next = withInvitation(next, invitation, meId, true)
  const waiting = new Set(next.incoming.map((i) => i.id))
  return { ...next, notices: next.notices.filter((n) => n.kind !== 'invited' || waiting.has(n.invitation.id)) }
}

/**
 * A live invitation (sent, accepted, declined or cancelled) for the account
 * `meId`. `quiet`: the person is looking at the invitations already (the
 * Contacts dialog is open), so no notice.
 */
export function withInvitation(state: InvitationState, invitation: Invitation, meId: string | null, quiet: boolean): InvitationState {
  const { id } = invitation
  const next: InvitationState = {
    incoming: without(state.incoming, id),
    outgoing: without(state.outgoing, id),
    declined: state.declined,
    // Answered (here or on another device): the notice that it waits goes.
    notices: invitation.status === 'pending' ? state.notices : state.notices.filter((n) => n.kind !== 'invited' || n.invitation.id !== id)
  }
  const toMe = invitation.to.id === meId
  const fromMe = invitation.from.id === meId
  const notify = (kind: InvitationNotice['kind']): void => {
    const key = `${kind}:${id}`
    if (!quiet && !state.notices.some((n) => n.key === key)) next.notices = [...next.notices, { key, kind, invitation }]
  }
  if (invitation.status === 'pending') {
    // Told live, it is news even if a list just brought it; the same event again makes no second notice.
    if (toMe) next.incoming = newestFirst([invitation, ...next.incoming])
    if (fromMe) next.outgoing = newestFirst([invitation, ...next.outgoing])
    if (toMe) notify('invited')
  } else if (invitation.status === 'declined' && fromMe) {
    if (!state.declined.some((i) => i.id === id)) notify('declined')
    next.declined = [invitation, ...without(state.declined, id)]
  }
  return next
}

export function withoutNotice(state: InvitationState, key: string): InvitationState {
  return { ...state, notices: state.notices.filter((n) => n.key !== key) }
}

/** The person saw a declined invitation of theirs: it leaves the list, and its notice goes. */
export function withoutDeclined(state: InvitationState, invitationId: string): InvitationState {
  return {
    ...state,
    declined: without(state.declined, invitationId),
    notices: state.notices.filter((n) => n.invitation.id !== invitationId)
  }
}
