import type { ServerToClientEvents } from '../../src/shared/protocol'
import type { ClientSocket } from './socket'

export type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0]

/** Every payload of an event from now on, to assert later (after a round trip) what did or did not arrive. */
export function record<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Payload<E>[] {
  const got: Payload<E>[] = []
  const on = socket.on.bind(socket) as (name: string, fn: (p: Payload<E>) => void) => void
  on(event, (payload) => got.push(payload))
  return got
}

/** Resolves with the next `count` payloads of an event that match, ignoring the others. */
export function collectWhere<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  count: number,
  match: (payload: Payload<E>) => boolean,
  timeoutMs = 10_000
): Promise<Payload<E>[]> {
  const got: Payload<E>[] = []
  const on = socket.on.bind(socket) as (name: string, fn: (p: Payload<E>) => void) => void
  const off = socket.off.bind(socket) as (name: string, fn: (p: Payload<E>) => void) => void
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off(event, listener)
      reject(new Error(`timed out waiting for ${count} matching ${event}; got ${got.length}`))
    }, timeoutMs)
    const listener = (payload: Payload<E>): void => {
      if (!match(payload)) return
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
