// The Socket.IO connection of one signed-in account. The access token goes
// in the handshake (fetched fresh on every attempt); transport failures are
// retried by socket.io-client with backoff; a refused handshake (expired or
// revoked token) is handled here: refresh, then connect again.
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client'
import type { ErrorBody, Result } from '../../shared/errors'
import type { ConnectionStatus } from '../../shared/ipc'
import type { ClientToServerEvents, HandshakeErrorData, ServerToClientEvents } from '../../shared/protocol'
import { ClientError, fromErrorBody, toErrorBody } from './errors'
import { isCertificateError } from './tls/pinned'
import { certificateChanged } from './tls/server-trust'
import type { Logger } from './logger'
import type { Session } from './session'

export type MessengerSocket = Socket<ServerToClientEvents, ClientToServerEvents>

const ACK_TIMEOUT_MS = 15_000
const BACKOFF_MIN_MS = 500
const BACKOFF_MAX_MS = 15_000
/** After `too_many_connections`: other tabs or devices hold every place; one frees when one of them closes, not in a second. */
export const FULL_BACKOFF_MS = 30_000

type EventArgs<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>
type AckData<E extends keyof ClientToServerEvents> = EventArgs<E>[1] extends (r: Result<infer T>) => void ? T : never

export interface RealtimeHooks {
  onStatus(status: ConnectionStatus, error: ErrorBody | null): void
  /** Connected (first time or again): time to catch up. */
  onConnect(): void
}

export class Realtime {
  readonly socket: MessengerSocket
  private manualRetry: NodeJS.Timeout | null = null
  private failures = 0
  private wasOnline = false
  private closed = false

  constructor(
    private readonly serverUrl: string,
    private readonly session: Session,
    private readonly hooks: RealtimeHooks,
    private readonly log: Logger
  ) {
    this.socket = io(serverUrl, {
      // Over https: only the pinned certificate.
      // (engine.io-client hands `agent` on to ws; its type only says string | boolean.)
      ...((session.http.socketTls ?? {}) as unknown as Partial<ManagerOptions & SocketOptions>),
      autoConnect: false,
      // WebSocket only: one connection to one node, so a load balancer in front of
      // several nodes needs no sticky sessions (long polling would).
      transports: ['websocket'],
      reconnectionDelay: BACKOFF_MIN_MS,
      reconnectionDelayMax: BACKOFF_MAX_MS,
      randomizationFactor: 0.5,
      // Called on every attempt, so a reconnect carries a current token.
      auth: (cb) => {
        session.accessToken().then(
          (token) => cb({ token }),
          (err: unknown) => {
            this.log.debug('no token for the handshake', { err })
            cb({ token: '' })
          }
        )
      }
    })
    this.socket.on('connect', () => {
      this.failures = 0
      this.wasOnline = true
      this.hooks.onStatus('online', null)
      this.hooks.onConnect()
    })
    this.socket.on('disconnect', (reason) => {
      this.log.info('disconnected', { reason })
      if (this.closed) return
      this.hooks.onStatus('reconnecting', null)
      // The server closed us on purpose (signed out elsewhere, revoked): check the sign-in, then come back.
      if (reason === 'io server disconnect') this.retrySoon(true)
    })
    this.socket.io.on('reconnect_attempt', () => this.hooks.onStatus(this.wasOnline ? 'reconnecting' : 'connecting', null))
    this.socket.on('connect_error', (err) => this.onConnectError(err as Error & { data?: Partial<HandshakeErrorData> }))
  }

  connect(): void {
    this.hooks.onStatus('connecting', null)
    this.socket.connect()
  }

  get connected(): boolean {
    return this.socket.connected
  }

  /** Try now instead of at the next backoff step. */
  retryNow(): void {
    if (this.closed || this.socket.connected) return
    if (this.manualRetry) clearTimeout(this.manualRetry)
    this.manualRetry = null
    this.socket.disconnect()
    this.socket.connect()
  }

  /** Emits with an acknowledgement; an error ack or a timeout becomes a ClientError. */
  async call<E extends keyof ClientToServerEvents>(event: E, payload: EventArgs<E>[0]): Promise<AckData<E>> {
    if (!this.socket.connected) throw new ClientError('unreachable', 'not connected to the server')
    let result: Result<AckData<E>>
    try {
      // The typed emitWithAck cannot follow a generic event name; the ack shape is the contract's.
      const timed = this.socket.timeout(ACK_TIMEOUT_MS) as unknown as { emitWithAck(e: string, p: unknown): Promise<Result<AckData<E>>> }
      result = await timed.emitWithAck(event, payload)
    } catch {
      throw new ClientError('timeout', `the server did not acknowledge ${event} in time`)
    }
    if (!result.ok) throw fromErrorBody(result.error)
    return result.data
  }

  close(): void {
    this.closed = true
    if (this.manualRetry) clearTimeout(this.manualRetry)
    this.socket.removeAllListeners()
    this.socket.io.removeAllListeners()
    this.socket.disconnect()
  }

  private onConnectError(err: Error & { data?: Partial<HandshakeErrorData> }): void {
    if (this.closed) return
    const code = err.data?.code
    this.failures++
    if (isCertificateError(err) || isCertificateError((err as { description?: { error?: unknown } }).description?.error)) {
      // Retrying cannot help: the user has to decide about the new certificate.
      this.hooks.onStatus('offline', toErrorBody(certificateChanged(this.serverUrl)))
      this.socket.disconnect()
      return
    }
    const error: ErrorBody = code
      ? { code, message: err.message }
      : { code: 'unreachable', message: `cannot reach the server (${err.message})` }
    this.hooks.onStatus('offline', error)
    // socket.active: socket.io-client retries transport failures itself; a
    // refused handshake it leaves to us.
    if (this.socket.active) return
    this.retrySoon(code === 'token_expired' || code === 'invalid_token' || code === 'session_revoked' || code === 'unauthorized', code === 'too_many_connections' ? FULL_BACKOFF_MS : undefined)
  }

  private retrySoon(refreshFirst: boolean, baseMs?: number): void {
    if (this.manualRetry || this.closed) return
    const delay = (baseMs ?? Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.failures, 6))) * (0.75 + Math.random() * 0.5)
    this.manualRetry = setTimeout(() => {
      this.manualRetry = null
      const attempt = refreshFirst ? this.session.refresh().then(() => undefined) : Promise.resolve()
      attempt.then(
        () => {
          if (!this.closed) this.socket.connect()
        },
        (e: unknown) => {
          // A revoked sign-in closes this connection through the session; anything else: try again later.
          if (!this.closed) {
            this.log.debug('refresh before reconnect failed', { e })
            this.retrySoon(refreshFirst)
          }
        }
      )
    }, delay)
    this.manualRetry.unref()
  }
}
