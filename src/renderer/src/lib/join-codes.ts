// A group's join code and its invite links, through main (the components that
// show them hold no window.messenger calls).
import type { JoinCode } from '../../../shared/schemas/groups'
import { api, unwrap } from './api'

export const getJoinCode = (conversationId: string): Promise<JoinCode | null> => unwrap(api().conversations.getJoinCode({ conversationId }))
export const createJoinCode = (conversationId: string): Promise<JoinCode> => unwrap(api().conversations.createJoinCode({ conversationId }))
export const revokeJoinCode = async (conversationId: string): Promise<void> => {
  await unwrap(api().conversations.revokeJoinCode({ conversationId }))
}
/** The messenger:// link of a code, and the server's web page of it (for email). */
export const inviteLinks = (code: string): Promise<{ link: string; web: string }> => unwrap(api().invites.link({ code }))
