import { io, type Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/shared/protocol'
import type { Result } from '../../src/shared/errors'
import type { Message } from '../../src/shared/schemas/messages'

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** Connects a real socket.io-client; resolves once connected, rejects with the server's refusal. */
export function connect(url: string, token: string | undefined): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true
  })
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket))
    socket.once('connect_error', (err) => {
      socket.close()
      reject(err)
    })
  })
}

/** Emits an event and waits for its acknowledgement. */
export function emitAck<T>(socket: ClientSocket, event: string, ...args: unknown[]): Promise<Result<T>> {
  const emit = socket.timeout(10_000).emit.bind(socket) as (name: string, ...rest: unknown[]) => void
  return new Promise((resolve, reject) => {
    emit(event, ...args, (err: Error | null, result: Result<T>) => (err ? reject(err) : resolve(result)))
  })
}

/** An ack slower than this is a hang, not an answer (fault tests: a server must answer even while its database is down). */
export const SEND_ACK_LIMIT_MS = 30_000

export type SendAck = Result<{ message: Message }> | 'hang'

/** Emits message:send; the ack, or 'hang' when none came in SEND_ACK_LIMIT_MS. */
export function sendOrHang(socket: ClientSocket, payload: { conversationId: string; clientId: string; text: string }): Promise<SendAck> {
  const emit = socket.timeout(SEND_ACK_LIMIT_MS).emit.bind(socket) as (name: string, ...rest: unknown[]) => void
  return new Promise((resolve) => {
    emit('message:send', payload, (err: Error | null, result: Result<{ message: Message }>) => resolve(err ? 'hang' : result))
  })
}

/** Resolves with the next `count` payloads of an event. */
export function collect<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  count: number,
  timeoutMs = 10_000
): Promise<Parameters<ServerToClientEvents[E]>[0][]> {
  type Payload = Parameters<ServerToClientEvents[E]>[0]
  const got: Payload[] = []
  const on = socket.on.bind(socket) as (name: string, fn: (p: Payload) => void) => void
  const off = socket.off.bind(socket) as (name: string, fn: (p: Payload) => void) => void
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off(event, listener)
      reject(new Error(`timed out waiting for ${count} ${event}; got ${got.length}`))
    }, timeoutMs)
    const listener = (payload: Payload): void => {
      got.push(payload)
      if (got.length === count) {
        clearTimeout(timer)
        off(event, listener)
        resolve(got)
      }
    }
    on(event, listener)
  })
}

/** The sockets one test file opens; `closeAll` in afterEach so none outlives its test. */
export class SocketPool {
  private readonly sockets: ClientSocket[] = []

  async connect(url: string, token: string): Promise<ClientSocket> {
    const socket = await connect(url, token)
    this.sockets.push(socket)
    return socket
  }

  closeAll(): void {
    for (const socket of this.sockets.splice(0)) socket.close()
  }
}
