import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { Express } from 'express'
import type { MdnsOptions } from '../src/shared/discovery'
import { advertise, type Advertisement } from './discovery/advertise'
import { parseAdvertiseAddress } from './discovery/advertise-address'
import { FileStore } from './files/file-store'
import { DEFAULT_FILE_LIMITS } from './files/files.service'
import type { FileService } from './files/files.service'
import { startUploadSweeper } from './files/upload-sweeper'
import { createHttpApp } from './http/app'
import { createHttpServer, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, HEADERS_TIMEOUT_MS } from './http/http-server'
import type { FailureLimit } from './http/rate-limit'
import { createLogger, type Logger } from './logger'
import { createServerMetrics, type ServerMetrics } from './metrics/metrics'
import { metricsTokenProblem } from './metrics/metrics-route'
import { connectRedis, describeRedis, type RedisLink } from './cluster/redis'
import { createRealtime } from './realtime/io'
import type { IoServer } from './realtime/types'
import type { Broadcaster } from './realtime/broadcaster'
import type { PresenceHub } from './realtime/presence-hub'
import type { Calls } from './realtime/calls/calls'
import type { IceServer } from '../src/shared/schemas/calls'
import { checkIceServers } from './realtime/calls/ice-servers'
import type { CallOptions } from './realtime/calls/call-hub'
import type { SerialJob } from '../src/node/serial-job'
import { loadTokenSecret } from './secret'
import { createServices, type Services } from './services'
import { announceDraft } from './realtime/drafts.broadcast'
import { startAttention } from './realtime/attention'
import { announceScheduled } from './realtime/scheduled.handlers'
import { startScheduler } from './services/scheduler'
import { createSmtpMailer, type SmtpOptions } from './services/mailer'
import type { SendLimitsOption } from './services/send-limits'
import { DEFAULT_SCRYPT_N } from './services/passwords'
import type { RetentionService } from './services/retention.service'
import type { LinkPreviewService } from './services/link-previews/link-previews.service'
import { openFileStore } from './store'
import { openPostgresStore } from './store/postgres'
import { describeTarget } from './store/postgres/pool'
import { lockDataDir } from './store/lock'
import { mkdirDurable } from '../src/node/fsync'
import type { Store } from './store/types'
import { serverCertificate } from './tls/server-certificate'
import { SERVER_VERSION } from './version'

export interface MessengerServerOptions {
  /**
   * Where files' bytes live (without `filesDir`), and, without `databaseUrl`,
   * the TLS certificate, the token secret, users, conversations and history
   * too; owned by one process at a time.
   */
  dataDir: string
  /** postgres://… : keep users, conversations, history and file records in PostgreSQL instead of the data directory. */
  databaseUrl?: string
  /**
   * redis://… : several nodes share one PostgreSQL database (needs `databaseUrl`);
   * Redis carries events, presence and shared limits between them. See docs/scaling.md.
   */
  redisUrl?: string
  /**
   * Where files' bytes live. Default: `<dataDir>/files`. Several nodes give one
   * directory they all reach (an NFS mount, say).
   */
  filesDir?: string
  /**
   * PEM certificate (chain, the server's own first) and its unencrypted key
   * to serve; giving them turns TLS on. Without them, with `tls`, a
   * self-signed certificate is made once and kept: in the database with
   * `databaseUrl` (so every node serves the same one), else in the data directory.
   */
  tlsCertFile?: string
  tlsKeyFile?: string
  /** The address mDNS advertises instead of this host's own, e.g. a load balancer's. */
  advertiseAddress?: string
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
  /** A typing indicator stops this long after its last typing:start. Default 6 s; tests lower it. */
  typingTimeoutMs?: number
  /**
   * With Redis: a node that has not beaten in the presence directory for this
   * long counts as dead, its users offline; it beats every third of it. At
   * most expiry + beat (default 15 + 5 = 20 s) after a node dies its users
   * show offline. Tests lower it.
   */
  presenceExpiryMs?: number
  /** With Redis: while it is away, clients are told to catch up this often. Default 10 s; tests lower it. */
  redisStaleIntervalMs?: number
  /** Sockets one session (a signed-in device) may have open at once, over every node. Default 5. */
  socketsPerSession?: number
  /** Sockets one user may have open at once, over all their sessions and every node. Default 30. */
  socketsPerUser?: number
  /**
   * Failed sign-ins and reset codes allowed per address and username, and
   * failed join codes per user, in a window (default 10 per 15 minutes); and
   * per address across accounts (`perAddressMax`, default ten times as many).
   */
  loginLimit?: FailureLimit
  /**
   * TCP connections one client address may hold at once; more are closed.
   * Default 256; 0 turns the bound off (behind a reverse proxy or load
   * balancer every client has its address).
   */
  maxConnectionsPerAddress?: number
  /**
   * Per-user budgets for messages, edits, reactions and new uploads (see
   * server/services/send-limits.ts); those not given keep their defaults.
   * `false` turns them off: benchmarks whose few senders stand for many people.
   */
  sendLimits?: SendLimitsOption
  /** Largest file accepted, in bytes. Default 2 GiB. */
  maxFileBytes?: number
  /** Bytes of files one user may keep on the server. Default 20 GiB. */
  userQuotaBytes?: number
  /** An unfinished upload that received no byte for this long is deleted. Default 24 hours. */
  unfinishedUploadTtlMs?: number
  /** Milliseconds since the epoch; tests pass a controllable clock for expiries, message times and retention. */
  clock?: () => number
  /** How often the retention job runs (when admins set `retentionDays`). Default 1 hour. */
  retentionIntervalMs?: number
  /** How often the scheduler looks for scheduled messages that came due (issue 21). Default 1 s. */
  scheduledIntervalMs?: number
  /** How long a password reset code works. Default 60 minutes. */
  resetCodeTtlMinutes?: number
  /** Where password reset codes are emailed from; without it admins hand codes over. */
  smtp?: SmtpOptions
  /**
   * HTTPS + WSS with the server's own self-signed certificate (made on first
   * start, kept in tls/ or the database; see `tlsCertFile`). Off by default in this factory so embedding
   * code and tests choose; the CLI and the app's hosted server turn it on
   * unless told --no-tls.
   */
  tls?: boolean
  /**
   * Conversations whose history stays open (tail file, dedupe window), each
   * holding two file descriptors. Default 512. A server with more busy
   * conversations than this reopens them constantly (about 5 times the CPU
   * per message at 1,000 of them), so it should raise this, and its
   * descriptor limit with it.
   */
  openConversations?: number
  /** Shown in discovery and GET /health. Default: this computer's host name. */
  name?: string
  /** Advertise over mDNS/DNS-SD (_messenger._tcp). Off by default here; on in the CLI. Options go to multicast-dns. */
  advertise?: boolean | MdnsOptions
  /**
   * Serves GET /metrics (Prometheus text format) to `Authorization: Bearer <this>`:
   * 16 characters or more, no spaces. Without it there are no metrics and /metrics is 404.
   */
  metricsToken?: string
  /** Calls ring this long before they are missed (default 45 s), a window away this long has left (default 15 s); tests lower them. */
  callRingMs?: CallOptions['callRingMs']
  callRejoinGraceMs?: CallOptions['callRejoinGraceMs']
  /** STUN/TURN servers for calls across subnets or a VPN, handed to every window that joins a call; none by default (one LAN needs none). */
  iceServers?: IceServer[]
}

export interface ServerIdentity {
  name: string
  tls: boolean
  /** SHA-256 fingerprint of the certificate, null without TLS. */
  fingerprint: string | null
}

export interface MessengerServer {
  /** Takes the data directory, opens the store and listens; resolves with the bound address. */
  listen(): Promise<AddressInfo>
  /** Stops accepting, disconnects clients, writes everything pending, releases the data directory. */
  close(): Promise<void>
  address(): AddressInfo | null
  /** Name and certificate fingerprint; known once listening. */
  identity(): ServerIdentity | null
}

interface Running {
  httpServer: HttpServer
  io: IoServer
  store: Store
  /** Indexing of history the search index missed, running in the background. */
  catchUp: Promise<void>
  identity: ServerIdentity
  advertisement: Advertisement | null
  retention: RetentionService
  linkPreviews: LinkPreviewService
  sweeper: SerialJob
  /** Issue 21: sends scheduled messages when due. */
  scheduler: SerialJob
  files: FileService
  broadcaster: Broadcaster
  presence: PresenceHub
  calls: Calls
  redis: RedisLink | null
  metrics: ServerMetrics | null
}

/**
 * Builds a server from options. Nothing touches the disk or the network until
 * `listen()`, which takes the data directory, opens the store and listens.
 */
export function createMessengerServer(options: MessengerServerOptions): MessengerServer {
  const log = options.logger ?? createLogger()
  let starting: Promise<AddressInfo> | null = null
  let running: Running | null = null
  let closed = false

  async function start(): Promise<AddressInfo> {
    if (options.redisUrl && !options.databaseUrl) throw new Error('Redis joins nodes that share one PostgreSQL database: give a database URL too')
    const advertiseAddress = options.advertiseAddress === undefined ? undefined : parseAdvertiseAddress(options.advertiseAddress)
    if (advertiseAddress === null) throw new Error(`the advertise address ${options.advertiseAddress} is not an IP address or host name (with an optional :port)`)
    const token = options.metricsToken
    const tokenProblem = token === undefined ? null : metricsTokenProblem(token)
    if (tokenProblem) throw new Error(tokenProblem)
    const iceServers = options.iceServers === undefined ? undefined : checkIceServers(options.iceServers)
    if (typeof iceServers === 'string') throw new Error(`the ICE servers are not valid: ${iceServers}`)
    const metrics = token === undefined ? null : createServerMetrics(options.databaseUrl ? 'postgres' : 'data-dir')
    const store = await openStore(options, log, metrics)
    let io: IoServer | null = null
    let presence: PresenceHub | null = null
    let redis: RedisLink | null = null
    try {
      redis = options.redisUrl ? await connectRedis(options.redisUrl, log) : null
      const services = createServices(
        store,
        {
          secret: await loadTokenSecret(options.dataDir, store.secrets, log),
          issuer: 'messenger-server',
          audience: 'messenger-client',
          accessTtlSeconds: options.accessTokenTtlSeconds ?? 15 * 60,
          refreshTtlMs: (options.refreshTokenTtlDays ?? 30) * 24 * 3600 * 1000,
          reuseGraceMs: options.refreshReuseGraceMs ?? 30_000
        },
        options.scryptN ?? DEFAULT_SCRYPT_N,
        options.clock,
        {
          store: await FileStore.open(options.filesDir ?? join(options.dataDir, 'files'), store.files, log),
          limits: {
            maxFileBytes: options.maxFileBytes ?? DEFAULT_FILE_LIMITS.maxFileBytes,
            quotaBytes: options.userQuotaBytes ?? DEFAULT_FILE_LIMITS.quotaBytes,
            unfinishedTtlMs: options.unfinishedUploadTtlMs ?? DEFAULT_FILE_LIMITS.unfinishedTtlMs
          }
        },
        log,
        { resetCodeTtlMs: (options.resetCodeTtlMinutes ?? 60) * 60_000, mailer: options.smtp ? createSmtpMailer(options.smtp) : null },
        redis,
        options.sendLimits
      )
      const certificate = await serverCertificate(options, store.secrets, log)
      const identity: ServerIdentity = { name: options.name ?? hostname(), tls: certificate !== null, fingerprint: certificate?.fingerprint ?? null }
      await services.admin.ensureAdmin()
      let app: Express | null = null
      // Socket.IO wraps the request listener, so the Express app is bound late through it.
      const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
        app?.(req, res)
      }
      const httpServer: HttpServer = createHttpServer(
        { certificate, maxConnectionsPerAddress: options.maxConnectionsPerAddress ?? DEFAULT_MAX_CONNECTIONS_PER_ADDRESS },
        onRequest,
        log
      )
      // Expect: 100-continue: an upload says whether it wants the bytes only after
      // checking their headers (a refusal costs none); everything else continues at once.
      httpServer.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
        if (!(req.method === 'PATCH' && req.url?.startsWith('/api/v1/uploads/'))) res.writeContinue()
        app?.(req, res)
      })
      const realtime = createRealtime(
        httpServer,
        services,
        log,
        {
          typingTimeoutMs: options.typingTimeoutMs,
          staleIntervalMs: options.redisStaleIntervalMs,
          socketsPerSession: options.socketsPerSession,
          socketsPerUser: options.socketsPerUser,
          metrics,
          callRingMs: options.callRingMs,
          callRejoinGraceMs: options.callRejoinGraceMs,
          iceServers,
          ...(options.presenceExpiryMs ? { presenceExpiryMs: options.presenceExpiryMs, presenceHeartbeatMs: options.presenceExpiryMs / 3 } : {})
        },
        redis
      )
      io = realtime.io
      presence = realtime.presence
      services.retention.onExpired = (conversationId, expiredSeq) => realtime.broadcaster.historyExpired(conversationId, expiredSeq)
      services.linkPreviews.onUpdated = (message) => realtime.broadcaster.messageUpdated(message)
      services.drafts.onChanged = (userId, draft, exceptSessionId) => announceDraft(realtime.io, userId, draft, exceptSessionId)
      // Issue 21: do-not-disturb and custom statuses that change with time; their timers stop with the HTTP server.
      const attention = startAttention(realtime.io, services, realtime.presence, realtime.broadcaster, log, options.clock)
      httpServer.once('close', () => attention.close())
      services.scheduled.onChanged = (userId, update) => announceScheduled(realtime.io, userId, update)
      services.scheduled.onSent = ({ message, thread }) => {
        realtime.broadcaster.messageCreated(message)
        realtime.broadcaster.threadChanged(thread)
      }
      if (metrics) countTraffic(services, metrics)
      app = createHttpApp(
        { services, realtime: realtime.broadcaster, version: SERVER_VERSION, identity, metrics: metrics && token ? { metrics, token } : null },
        options.loginLimit ?? { windowMs: 15 * 60_000, max: 10 },
        log,
        redis
      )
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject)
        httpServer.listen(options.port ?? 7450, options.host ?? '127.0.0.1', () => {
          httpServer.off('error', reject)
          resolve()
        })
      })
      const catchUp = (store.start?.(() => closed) ?? Promise.resolve()).catch((err: unknown) => log.error({ err }, 'search index catch-up failed'))
      const address = httpServer.address() as AddressInfo
      const advertisement = options.advertise
        ? await advertise({ ...identity, version: SERVER_VERSION, port: address.port }, options.advertise === true ? {} : options.advertise, log, advertiseAddress)
        : null
      services.retention.start(options.retentionIntervalMs)
      running = {
        httpServer,
        io,
        store,
        catchUp,
        identity,
        advertisement,
        retention: services.retention,
        linkPreviews: services.linkPreviews,
        sweeper: startUploadSweeper(services.files, log),
        scheduler: startScheduler(services.scheduled, log, options.scheduledIntervalMs),
        files: services.files,
        broadcaster: realtime.broadcaster,
        presence: realtime.presence,
        calls: realtime.calls,
        redis,
        metrics
      }
      log.info(
        {
          host: address.address,
          port: address.port,
          dataDir: options.dataDir,
          engine: store.engine,
          ...(options.databaseUrl ? { database: describeTarget(options.databaseUrl) } : {}),
          ...(options.redisUrl ? { redis: describeRedis(options.redisUrl) } : {}),
          tls: identity.tls, fingerprint: identity.fingerprint, serverName: identity.name },
        'listening'
      )
      return address
    } catch (err) {
      void io?.close()
      await presence?.close()
      await redis?.close()
      await store.close()
      throw err
    }
  }

  return {
    listen: () => {
      if (closed) return Promise.reject(new Error('this server was closed; create a new one'))
      starting ??= start()
      return starting
    },
    address: () => {
      const address = running?.httpServer.address()
      return address && typeof address === 'object' ? address : null
    },
    identity: () => (running ? { ...running.identity } : null),
    close: async () => {
      if (closed) return
      closed = true
      await starting?.catch(() => undefined)
      if (!running) return
      const { httpServer, io, store, catchUp, advertisement, retention, linkPreviews, sweeper, scheduler, files, broadcaster, presence, calls, redis, metrics } = running
      running = null
      await sweeper.stop()
      await scheduler.stop()
      await advertisement?.stop()
      // While the sockets are still open: their calls end `failed` (or, with other nodes alive, wait for a rejoin there).
      await calls.close()
      await new Promise<void>((resolve) => {
        // Requests under way get the headers bound to finish; then the rest is cut, since
        // Node stops its headers check once closing and a slow client would hold close() forever.
        const cut = setTimeout(() => httpServer.closeAllConnections(), HEADERS_TIMEOUT_MS)
        void io.close(() => {
          clearTimeout(cut)
          resolve()
        })
        httpServer.closeIdleConnections()
      })
      await files.close()
      await broadcaster.settled()
      // The sockets' departures published, then this node leaves the presence directory, before Redis closes.
      await presence.close()
      await catchUp
      await retention.stop()
      await linkPreviews.close()
      await redis?.close()
      await store.close()
      metrics?.registry.clear()
      log.info('stopped')
    }
  }
}

/** Messages accepted and files' bytes stored, counted where the services know them. */
function countTraffic(services: Services, metrics: ServerMetrics): void {
  services.messages.onAccepted = () => metrics.messagesAccepted.inc()
  services.files.onStored = (bytes) => metrics.uploadBytes.inc(bytes)
}

/** The engine the options choose: PostgreSQL with a database URL, else the data directory. */
async function openStore(options: MessengerServerOptions, log: Logger, metrics: ServerMetrics | null): Promise<Store> {
  const now = options.clock ? { now: options.clock } : {}
  const onDurableWrite = metrics ? (seconds: number) => metrics.durableWriteSeconds.observe(seconds) : undefined
  if (options.databaseUrl) {
    // The data directory still holds files' bytes (without filesDir): it stays one process's.
    await mkdirDurable(options.dataDir)
    const lock = await lockDataDir(options.dataDir)
    try {
      const store = await openPostgresStore(options.databaseUrl, { ...now, log, onDurableWrite })
      return {
        ...store,
        close: async () => {
          try {
            await store.close()
          } finally {
            await lock.release()
          }
        }
      }
    } catch (err) {
      await lock.release()
      throw err
    }
  }
  return openFileStore(options.dataDir, { openConversations: options.openConversations, ...now, log, onDurableWrite })
}
