// When the app hosts this server (a child process in the Node host, an
// Electron utilityProcess in the desktop app), the CLI tells its parent where
// it listens and stops when asked. Standalone, there is no parent channel and
// nothing here runs.
import type { ServerIdentity } from './server'

/** Messages the hosted server sends to the app. */
export type HostedServerMessage =
  | ({ type: 'listening'; port: number; host: string } & ServerIdentity)
  | { type: 'failed'; message: string }

/** What the app may send: only "stop". */
export type HostingCommand = { type: 'stop' }

interface Channel {
  send(message: HostedServerMessage): void
  onMessage(listener: (message: unknown) => void): void
  /** The app went away without asking (it crashed): the server must not linger. */
  onGone(listener: () => void): void
}

interface ParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
}

export function parentChannel(): Channel | null {
  // Electron's utilityProcess gives process.parentPort; child_process.fork gives process.send.
  const port = (process as unknown as { parentPort?: ParentPort }).parentPort
  // Electron ends a utilityProcess with its app, so there is nothing to watch there.
  if (port) return { send: (m) => port.postMessage(m), onMessage: (l) => port.on('message', (e) => l(e.data)), onGone: () => undefined }
  if (process.send) {
    const send = process.send.bind(process)
    return {
      send: (m) => void send(m),
      onMessage: (l) => process.on('message', l),
      onGone: (l) => process.once('disconnect', l)
    }
  }
  return null
}

export function isStopCommand(message: unknown): message is HostingCommand {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'stop'
}
