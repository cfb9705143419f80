import type { Draft } from '../../src/shared/schemas/drafts'
import { sessionRoom, userRoom, type IoServer } from './types'

/**
 * A changed draft to the user's devices: all of them when a sent message
 * emptied it, else all but the session that wrote it (it has it already).
 */
export function announceDraft(io: IoServer, userId: string, draft: Draft, exceptSessionId: string | null): void {
  const to = io.to(userRoom(userId))
  ;(exceptSessionId === null ? to : to.except(sessionRoom(exceptSessionId))).emit('draft:updated', { draft })
}
