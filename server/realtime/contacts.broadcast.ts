import type { ContactChange } from '../services/contacts.service'
import { userRoom, type IoServer } from './types'

/**
 * Tells both people of a contact change, on every device: invitations sent or
 * answered, contacts made or ended. REST calls it after responding.
 */
export function announceContactChange(io: IoServer, { invitations, added, removed }: ContactChange): void {
  for (const { invitation, isNew } of invitations) {
    io.to([userRoom(invitation.from.id), userRoom(invitation.to.id)]).emit(isNew ? 'invitation:new' : 'invitation:updated', { invitation })
  }
  for (const [a, b] of added) {
    io.to(userRoom(a.id)).emit('contact:added', { user: b })
    io.to(userRoom(b.id)).emit('contact:added', { user: a })
  }
  for (const [a, b] of removed) {
    io.to(userRoom(a)).emit('contact:removed', { userId: b })
    io.to(userRoom(b)).emit('contact:removed', { userId: a })
  }
}
