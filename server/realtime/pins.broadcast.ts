// Issue 20: what pins and saved messages tell connected clients.
import type { Pin } from '../../src/shared/schemas/pins'
import type { SavedItem } from '../../src/shared/schemas/saved'
import { conversationRoom, userRoom, type IoServer } from './types'

/** The conversation's whole pin list, to every member's sockets. */
export function announcePins(io: IoServer, conversationId: string, pins: Pin[]): void {
  io.to(conversationRoom(conversationId)).emit('pins:updated', { conversationId, pins })
}

/** A save or unsave, to every device of the user. */
export function announceSaved(io: IoServer, userId: string, change: { added?: SavedItem; removed?: { conversationId: string; seq: number } }): void {
  io.to(userRoom(userId)).emit('saved:updated', change)
}
