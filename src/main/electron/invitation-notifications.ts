// Whether a contact invitation deserves a notification, and its words. Pure,
// like notifications.ts for messages: notifier.ts only shows what this returns.
// Only an invitation to me that waits is announced; one of mine declined is
// told quietly inside the window (docs/desktop.md).
import type { Invitation } from '../../shared/schemas/contacts'

const NOTE_MAX = 140

export interface InvitationNotifyContext {
  meId: string | null
  doNotDisturb: boolean
  /** Notifications say who, not what: the invitation's note stays out. */
  hidePreviews: boolean
  /** The window is focused: its sidebar and notice show it already. */
  windowFocused: boolean
  /** Invitations already announced in this run (the same event may come again). */
  announced: ReadonlySet<string>
}

export function decideInvitationNotification(invitation: Invitation, ctx: InvitationNotifyContext): { title: string; body: string } | null {
  if (invitation.status !== 'pending' || invitation.to.id !== ctx.meId || ctx.announced.has(invitation.id)) return null
  if (ctx.doNotDisturb || ctx.windowFocused) return null
  const note = ctx.hidePreviews ? '' : (invitation.message ?? '').replace(/\s+/g, ' ').trim()
  const said = note.length > NOTE_MAX ? `${note.slice(0, NOTE_MAX - 1)}…` : note
  return {
    title: 'Contact invitation',
    body: `${invitation.from.displayName} invited you to their contacts${said ? `: “${said}”` : '.'}`
  }
}
