import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'
import { createHttpApp, type LoginLimit } from './http/app'
import { createLogger, type Logger } from './logger'
import { createRealtime } from './realtime/io'
import { loadOrCreateSecret } from './secret'
import { createServices } from './services'
import { DEFAULT_SCRYPT_N } from './services/passwords'
import { openFileStore } from './store'
import { SERVER_VERSION } from './version'

export interface MessengerServerOptions {
  /** Where users, conversations and history live; owned by one process at a time. */
  dataDir: string
  /** 0 picks a free port. Default 7450. */
  port?: number
  /** Default 127.0.0.1; use 0.0.0.0 to serve the LAN. */
  host?: string
  logger?: Logger
  /** scrypt cost; default OWASP's 2^17. Only tests lower it. */
  scryptN?: number
  accessTokenTtlSeconds?: number
  refreshTokenTtlDays?: number
  /** See TokenSettings.reuseGraceMs. Default 30 s. */
  refreshReuseGraceMs?: number
  loginLimit?: LoginLimit
}

export interface MessengerServer {
  listen(): Promise<AddressInfo>
  /** Stops accepting, disconnects clients, writes everything pending, releases the data directory. */
  close(): Promise<void>
  address(): AddressInfo | null
}

export async function createMessengerServer(options: MessengerServerOptions): Promise<MessengerServer> {
  const log = options.logger ?? createLogger()
  const store = await openFileStore(options.dataDir)
  let closed = false
  try {
    const services = createServices(
      store,
      {
        secret: await loadOrCreateSecret(options.dataDir),
        issuer: 'messenger-server',
        audience: 'messenger-client',
        accessTtlSeconds: options.accessTokenTtlSeconds ?? 15 * 60,
        refreshTtlMs: (options.refreshTokenTtlDays ?? 30) * 24 * 3600 * 1000,
        reuseGraceMs: options.refreshReuseGraceMs ?? 30_000
      },
      options.scryptN ?? DEFAULT_SCRYPT_N
    )
    let app: Express | null = null
    // Socket.IO wraps the request listener, so the Express app is bound late through it.
    const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
      app?.(req, res)
    })
    const { io, broadcaster } = createRealtime(httpServer, services, log)
    app = createHttpApp({ services, realtime: broadcaster, version: SERVER_VERSION }, options.loginLimit ?? { windowMs: 15 * 60_000, max: 10 }, log)

    return {
      listen: () =>
        new Promise((resolve, reject) => {
          httpServer.once('error', reject)
          httpServer.listen(options.port ?? 7450, options.host ?? '127.0.0.1', () => {
            httpServer.off('error', reject)
            const address = httpServer.address() as AddressInfo
            log.info({ host: address.address, port: address.port, dataDir: options.dataDir }, 'listening')
            resolve(address)
          })
        }),
      address: () => {
        const address = httpServer.address()
        return address && typeof address === 'object' ? address : null
      },
      close: async () => {
        if (closed) return
        closed = true
        await new Promise<void>((resolve) => {
          void io.close(() => resolve())
          httpServer.closeIdleConnections()
        })
        await store.close()
        log.info('stopped')
      }
    }
  } catch (err) {
    await store.close()
    throw err
  }
}
