// In a browser served by the Node host, `window.messenger` comes from here:
// the same contract as the Electron preload, carried over a WebSocket to the
// host. The per-launch secret arrives in the URL fragment; it is kept in
// sessionStorage (so a reload works) and removed from the address bar.
import type { ErrorBody, Result } from '../../../shared/errors'
import { createMessengerApi, type IpcMethod, type MessengerApi, type MessengerEvent } from '../../../shared/ipc'

const SECRET_KEY = 'messenger.hostSecret'
const RECONNECT_MS = 1000

type Reply = { id: number | null; result: Result<unknown> } | { events: MessengerEvent[] }

function takeSecret(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('secret')
  if (fromHash) {
    sessionStorage.setItem(SECRET_KEY, fromHash)
    history.replaceState(null, '', location.pathname + location.search)
    return fromHash
  }
  return sessionStorage.getItem(SECRET_KEY)
}

export function connectWebBridge(): MessengerApi {
  const secret = takeSecret() ?? ''
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ipc?secret=${encodeURIComponent(secret)}`
  const pending = new Map<number, (result: Result<unknown>) => void>()
  const eventListeners = new Set<(batch: MessengerEvent[]) => void>()
  let nextId = 1
  let socket: WebSocket
  let open: Promise<void>

  const unreachable = (message: string): ErrorBody => ({ code: 'unreachable', message })

  const connect = (): void => {
    socket = new WebSocket(url)
    open = new Promise((resolve) => socket.addEventListener('open', () => resolve(), { once: true }))
    socket.addEventListener('message', (event: MessageEvent<string>) => {
      const reply = JSON.parse(event.data) as Reply
      if ('events' in reply) {
        for (const listener of eventListeners) listener(reply.events)
      } else if (reply.id !== null) {
        pending.get(reply.id)?.(reply.result)
        pending.delete(reply.id)
      }
    })
    socket.addEventListener('close', () => {
      for (const resolve of pending.values()) resolve({ ok: false, error: unreachable('the app host closed the connection') })
      pending.clear()
      setTimeout(connect, RECONNECT_MS)
    })
  }
  connect()

  const invoke = async (method: IpcMethod, request: unknown): Promise<Result<unknown>> => {
    await open
    const id = nextId++
    return new Promise((resolve) => {
      pending.set(id, resolve)
      socket.send(JSON.stringify({ id, method, payload: request }))
    })
  }
  return createMessengerApi(invoke, (listener) => {
    eventListeners.add(listener)
  })
}
