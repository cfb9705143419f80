import type { IoServer } from './types'

/** The engine.io parts read here: its write buffer is not in its public types. */
interface Conn {
  writeBuffer?: unknown[]
  transport: { writable: boolean; on(event: 'drain', fn: () => void): void; off(event: 'drain', fn: () => void): void }
  once(event: 'close', fn: () => void): void
  off(event: 'close', fn: () => void): void
}

/**
 * Resolves once everything emitted to this node's sockets has been handed to
 * their connections (or after `capMs` for a client that stopped reading).
 * Closing the server discards what is still buffered, so last words (a call
 * ended because the server stops) wait for this first.
 */
export function socketsFlushed(io: IoServer, capMs: number): Promise<void> {
  const waits = [...io.of('/').sockets.values()].map((socket) => {
    const conn = socket.conn as unknown as Conn
    const done = (): boolean => (conn.writeBuffer?.length ?? 0) === 0 && conn.transport.writable
    if (done()) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer)
        conn.transport.off('drain', check)
        conn.off('close', finish)
        resolve()
      }
      // engine.io emits 'drain' just before it marks the transport writable again.
      const check = (): void => {
        setImmediate(() => done() && finish())
      }
      const timer = setTimeout(finish, capMs)
      conn.transport.on('drain', check)
      conn.once('close', finish)
    })
  })
  return Promise.all(waits).then(() => undefined)
}
