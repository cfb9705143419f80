import type { Server, Socket } from 'socket.io'
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/protocol'

export interface SocketData {
  userId: string
  sessionId: string
  /** The user's conversations when the socket connected (it joins their rooms at once). */
  conversationIds: string[]
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type NoInterServerEvents = {}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, NoInterServerEvents, SocketData>

export const userRoom = (userId: string): string => `user:${userId}`
export const conversationRoom = (conversationId: string): string => `conv:${conversationId}`
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`
