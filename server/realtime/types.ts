import type { Server, Socket } from 'socket.io'
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/protocol'

export interface SocketData {
  userId: string
  sessionId: string
  /** The user's conversations when the socket connected (it joins their rooms at once). */
  conversationIds: string[]
  /** Issue 21: connected with a bot's token: only BOT_EVENTS are answered. */
  bot?: boolean
}

/** Between the nodes of one organisation (io.serverSideEmit, through the Redis adapter). */
export interface InterServerEvents {
  /** A node's Redis link came back: what it published meanwhile was lost, so every node has its clients catch up. */
  'redis:recovered': () => void
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>

export const userRoom = (userId: string): string => `user:${userId}`
export const conversationRoom = (conversationId: string): string => `conv:${conversationId}`
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`
