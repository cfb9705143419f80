// The baseline: a bare Socket.IO server with the same events and payload
// shapes as ours, but no auth, validation or persistence. A client joins the
// room named in its handshake query.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'

export interface BareServer {
  port: number
  close(): Promise<void>
}

export async function startBareServer(): Promise<BareServer> {
  const httpServer = createServer()
  // Same options as server/realtime/io.ts.
  const io = new Server(httpServer, { maxHttpBufferSize: 256 * 1024, serveClient: false })
  const seqByRoom = new Map<string, number>()

  io.on('connection', (socket) => {
    const room = String(socket.handshake.query['room'])
    void socket.join(room)
    socket.on('message:send', (payload: { conversationId: string; clientId: string; text: string }, ack: (r: unknown) => void) => {
      const seq = (seqByRoom.get(room) ?? 0) + 1
      seqByRoom.set(room, seq)
      // A message of the same shape (and so the same size on the wire) as ours.
      const message = {
        id: randomUUID(),
        clientId: payload.clientId,
        conversationId: payload.conversationId,
        seq,
        senderId: socket.id,
        text: payload.text,
        createdAt: new Date().toISOString()
      }
      ack({ ok: true, data: { message } })
      socket.to(room).emit('message:new', { message })
    })
  })

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve))
  return {
    port: (httpServer.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve()))
  }
}
