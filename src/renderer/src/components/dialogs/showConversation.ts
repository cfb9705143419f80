import type { Conversation } from '../../../../shared/schemas/conversations'
import { useStore } from '../../store'

/** Puts a conversation the server answered with into the store, opens it and closes the dialog. */
export function showConversation(c: Conversation): void {
  const s = useStore.getState()
  s.applyConversations({ upserted: [c], removed: [] })
  s.openConversation(c.id)
  s.openDialog(null)
}

/** Forgets a conversation the user left or deleted, and closes the dialog. */
export function dropConversation(id: string): void {
  const s = useStore.getState()
  s.applyConversations({ upserted: [], removed: [id] })
  s.openDialog(null)
}
