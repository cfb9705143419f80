// The HTTP(S) server under Express and Socket.IO, with guards against clients
// that hold connections open: a request's headers must arrive within 20 s
// (a TLS handshake too), and one address may hold a bounded number of
// connections; the extra ones are closed at once.
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerOptions, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { Socket } from 'node:net'
import type { Logger } from '../logger'
import { TLS_PROFILE } from '../tls/profile'

/** Node's default is 60 s; 20 s is long for any real client on a LAN, short for one that sends a header line every few seconds. */
export const HEADERS_TIMEOUT_MS = 20_000
/**
 * How often Node looks for connections past their headers timeout (default
 * 30 s, which would let one live up to 50 s). A pass walks only connections
 * still speaking HTTP (a WebSocket leaves the list at its upgrade), so every
 * 5 s costs little even with thousands of sockets open.
 */
const CHECK_INTERVAL_MS = 5_000

/**
 * Connections one client address may hold at once. A desktop client holds one
 * WebSocket and a few keep-alive HTTP connections (under 10); 256 leaves room
 * for a shared machine (a terminal server) or a small NAT of a couple of dozen
 * clients, while one address cannot take more than 256 of the server's file
 * descriptors. Behind a reverse proxy or load balancer every client has the
 * proxy's address: raise it or turn it off (0) there.
 */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256

export interface HttpServerOptions {
  /** PEM key and certificate: HTTPS; null: plain HTTP. */
  certificate: { key: string; cert: string } | null
  /** 0 turns the bound off. */
  maxConnectionsPerAddress: number
}

type Listener = (req: IncomingMessage, res: ServerResponse) => void

export function createHttpServer({ certificate, maxConnectionsPerAddress }: HttpServerOptions, onRequest: Listener, log: Logger): HttpServer {
  const timeouts: ServerOptions = { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CHECK_INTERVAL_MS }
  const server: HttpServer = certificate
    ? createHttpsServer({ ...timeouts, ...TLS_PROFILE, handshakeTimeout: HEADERS_TIMEOUT_MS, key: certificate.key, cert: certificate.cert }, onRequest)
    : createServer(timeouts, onRequest)
  if (maxConnectionsPerAddress > 0) boundConnectionsPerAddress(server, maxConnectionsPerAddress, log)
  return server
}

/** Counts TCP connections per remote address (before any TLS) and destroys those past `max`. */
function boundConnectionsPerAddress(server: HttpServer, max: number, log: Logger): void {
  const open = new Map<string, number>()
  /** Addresses refused since they last dropped below the bound: the operator hears of each once, not per connection. */
  const refused = new Set<string>()
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress
    if (address === undefined) return // already gone
    const count = (open.get(address) ?? 0) + 1
    if (count > max) {
      if (!refused.has(address)) {
        refused.add(address)
        log.warn({ address, max }, 'an address holds the most connections allowed; closing its new ones (behind a proxy, raise --max-connections-per-address)')
      }
      socket.destroy()
      return
    }
    open.set(address, count)
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1
      if (left > 0) open.set(address, left)
      else open.delete(address)
      refused.delete(address)
    })
  })
}
