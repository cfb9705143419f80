// The Node host: the same client core as the Electron app, with the IPC
// contract carried over a WebSocket on 127.0.0.1 and the renderer served over
// HTTP, so the whole product runs in any browser (development, Playwright).
// Only a page that knows the per-launch secret (given in the printed URL's
// #fragment, never sent to the server in a page request) and comes from this
// host's own origin may connect.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import express, { type RequestHandler } from 'express'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ClientCore } from '../core/client'
import type { Logger } from '../core/logger'
import { IPC_METHODS } from '../../shared/ipc'
import { filesEndpoint } from './files-endpoint'
import { hostErrors, parseFrame, type HostReply } from './frames'
import { HostNotifications } from './notifications'

export interface WebHostOptions {
  core: ClientCore
  /** Serves the renderer: the built files, or Vite's dev middleware (which needs the server for its HMR socket). */
  renderer: (server: Server) => Promise<Renderer> | Renderer
  port?: number
  log: Logger
}

export interface Renderer {
  handler: RequestHandler
  close?: () => Promise<void>
}

/** The built renderer (out/renderer) as static files. */
export function staticRenderer(dir: string): Renderer {
  return { handler: express.static(dir, { index: 'index.html' }) }
}

export interface WebHost {
  /** The address to open, with the secret in the fragment. */
  url: string
  origin: string
  secret: string
  close(): Promise<void>
}

const IPC_PATH = '/ipc'
/** Generous for avatars (128 KB data URLs) and long messages; anything bigger is refused. */
const MAX_FRAME_BYTES = 1024 * 1024

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core, log } = options
  const secret = randomBytes(24).toString('base64url')
  const app = express()
  app.disable('x-powered-by')
  app.use((_req, res, next) => {
    // The page must not be framed by another site (clickjacking the messenger).
    res.setHeader('X-Frame-Options', 'DENY')
    res.setHeader('X-Content-Type-Options', 'nosniff')
    next()
  })
  const server = createServer(app)
  const renderer = await options.renderer(server)
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const notifications = new HostNotifications(core, log.child('notifications'))
  const stopNotifications = notifications.start()
  let origin = ''
  // Same checks as the IPC socket: this host's own page (or no Origin, for a plain download), and the secret.
  const allowed = (req: IncomingMessage, given: string): boolean =>
    (req.headers.origin === undefined || req.headers.origin === origin) && sameSecret(given, secret)
  app.use(filesEndpoint(core, allowed, log))
  app.use(renderer.handler)

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== IPC_PATH) return // another upgrade (Vite's HMR) handles it
    if (req.headers.origin !== origin || !sameSecret(url.searchParams.get('secret') ?? '', secret)) {
      log.warn('refused an IPC connection', { origin: req.headers.origin })
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, core, notifications, log))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`
  return {
    url: `${origin}/#secret=${secret}`,
    origin,
    secret,
    close: async () => {
      stopNotifications()
      for (const client of wss.clients) client.close(1001, 'host closing')
      wss.close()
      await renderer.close?.()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** One page's connection: requests in, results and event batches out. */
function serve(ws: WebSocket, core: ClientCore, notifications: HostNotifications, log: Logger): void {
  const send = (reply: HostReply): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply))
  }
  const unsubscribe = core.subscribe((batch) => send({ events: batch }))
  // Looked at until the page says otherwise: a page that never reports gets no notification over what it shows.
  let attentive = true
  const forget = notifications.add({
    attentive: () => attentive,
    notify: (payload) => send({ events: [{ type: 'desktopNotification', payload }] })
  })
  ws.on('message', (data, isBinary) => {
    const frame = parseFrame(data, isBinary)
    if (!frame.ok) {
      // No id to answer to: say what was wrong and drop the frame.
      send({ id: null, result: { ok: false, error: frame.error } })
      return
    }
    core
      .dispatch(frame.method, frame.payload)
      .then((result) => {
        // Validated by the core's dispatch (its handler answers null): this connection's page reported its focus.
        if (result.ok && frame.method === 'window.attention') {
          const { focused, visible } = IPC_METHODS['window.attention'].request.parse(frame.payload)
          attentive = focused && visible
        }
        send({ id: frame.id, result })
      })
      .catch((err: unknown) => send({ id: frame.id, result: { ok: false, error: hostErrors.internal(err) } }))
  })
  ws.on('close', () => {
    unsubscribe()
    forget()
  })
  ws.on('error', (err) => log.warn('IPC socket error', { err }))
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}
