// After a Redis outage, the room joins and leaves other nodes made for this
// node's sockets were lost (a member added there is not in the room here, a
// member removed still is), and so were their disconnections. The database
// says who belongs where: each local socket's conversation rooms are set
// again from it, and a socket whose session ended meanwhile goes.
import type { Logger } from 'pino'
import type { Services } from '../services'
import { conversationRoom, type IoServer, type IoSocket } from './types'

const CONVERSATION_ROOM_PREFIX = conversationRoom('')
/** Users whose memberships are read at once: enough to finish soon, few enough to leave the pool to requests. */
const CONCURRENCY = 8

export async function readmitLocalSockets(io: IoServer, services: Services, log: Logger): Promise<void> {
  const byUser = new Map<string, IoSocket[]>()
  for (const socket of io.of('/').sockets.values()) {
    const sockets = byUser.get(socket.data.userId)
    if (sockets) sockets.push(socket)
    else byUser.set(socket.data.userId, [socket])
  }
  // A join or leave that reaches a socket while its user's memberships are
  // being read is newer than what was read: it stands.
  const touched = new Map<string, Set<string>>()
  const record = (room: string, socketId: string): void => void touched.get(socketId)?.add(room)
  const adapter = io.of('/').adapter
  adapter.on('join-room', record)
  adapter.on('leave-room', record)
  const users = [...byUser]
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let next = users.shift(); next; next = users.shift()) await readmitUser(next[0], next[1], touched, services, log)
      })
    )
  } finally {
    adapter.off('join-room', record)
    adapter.off('leave-room', record)
  }
}

async function readmitUser(userId: string, sockets: IoSocket[], touched: Map<string, Set<string>>, services: Services, log: Logger): Promise<void> {
  for (const socket of sockets) touched.set(socket.id, new Set())
  try {
    const sessions = [...new Set(sockets.map((s) => s.data.sessionId))]
    const active = new Set<string>()
    for (const sessionId of sessions) if (await services.tokens.isActive(userId, sessionId)) active.add(sessionId)
    const rooms = new Set((await services.store.conversations.forUser(userId)).map((c) => conversationRoom(c.id)))
    for (const socket of sockets) {
      if (!socket.connected) continue
      if (!active.has(socket.data.sessionId)) {
        socket.disconnect(true)
        continue
      }
      const recent = touched.get(socket.id) ?? new Set<string>()
      for (const room of socket.rooms) {
        if (room.startsWith(CONVERSATION_ROOM_PREFIX) && !rooms.has(room) && !recent.has(room)) void socket.leave(room)
      }
      const missing = [...rooms].filter((room) => !socket.rooms.has(room) && !recent.has(room))
      if (missing.length > 0) void socket.join(missing)
    }
  } catch (err) {
    // Rooms that cannot be checked are not trusted: the clients reconnect, and their handshake reads them afresh.
    log.warn({ err, userId }, "could not check a user's rooms after a Redis outage; their sockets reconnect")
    for (const socket of sockets) socket.disconnect(true)
  } finally {
    for (const socket of sockets) touched.delete(socket.id)
  }
}
