import type { Server as HttpServer } from 'node:http'
import type { Logger } from 'pino'
import { Server } from 'socket.io'
import { redisAdapter } from '../cluster/adapter'
import type { RedisLink } from '../cluster/redis'
import type { HandshakeErrorData } from '../../src/shared/protocol'
import { AppError } from '../errors'
import type { ServerMetrics } from '../metrics/metrics'
import type { Services } from '../services'
import { createBroadcaster, type Broadcaster } from './broadcaster'
import type { CallOptions } from './calls/call-hub'
import { createCalls, type Calls } from './calls/calls'
import { registerCallHandlers } from './calls/calls.handlers'
import { EventRegistry } from './handle'
import { registerThreadHandlers } from './threads.handlers'
import { registerLinkPreviewHandlers } from './link-previews.handlers'
import { registerScheduledHandlers } from './scheduled.handlers'
import { registerMessageHandlers } from './messages.handlers'
import { registerNotificationPrefsHandlers } from './notification-prefs.handlers'
import { createPresenceHub, type PresenceHub, type PresenceOptions } from './presence-hub'
import { registerPresenceHandlers } from './presence.handlers'
import { watchRedisOutages, type OutageOptions } from './redis-outage'
import { createSocketCaps, type SocketCapOptions } from './socket-caps'
import { conversationRoom, sessionRoom, userRoom, type IoServer } from './types'

/** Issue 21: what a bot's socket may do: read and send in its conversations (membership is checked as for anyone). */
const BOT_EVENTS: ReadonlySet<string> = new Set(['message:send', 'message:list', 'message:changes', 'receipt:read', 'conversation:list'])

/** Largest socket frame accepted; a message is far below it. */
const MAX_FRAME_BYTES = 256 * 1024

export type RealtimeOptions = PresenceOptions & OutageOptions & SocketCapOptions & CallOptions & { metrics?: ServerMetrics | null }

export function createRealtime(
  httpServer: HttpServer,
  services: Services,
  log: Logger,
  options: RealtimeOptions = {},
  /** With several nodes: the Redis connections events and presence travel by. */
  redis: RedisLink | null = null
): { io: IoServer; broadcaster: Broadcaster; presence: PresenceHub; calls: Calls } {
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_FRAME_BYTES,
    serveClient: false,
    ...(redis
      ? {
          // Everything emitted to a room (and every join, leave and disconnection) reaches the sockets of every node.
          adapter: redisAdapter(redis),
          // Behind a load balancer without sticky sessions, long polling breaks (its
          // requests land on nodes that do not know the session): WebSocket only.
          transports: ['websocket' as const]
        }
      : {})
  })
  if (redis) {
    const stop = watchRedisOutages(io, services, redis, log, options)
    // io.close() closes the HTTP server: the timers go with it.
    httpServer.once('close', stop)
  }
  const metrics = options.metrics ?? null
  metrics?.countSockets(() => io.of('/').sockets.size)
  const broadcaster = createBroadcaster(io, services, log, metrics)
  const presenceHub = createPresenceHub(io, services.store, log, options, redis)
  // @here reaches the members online now, on any node (away and offline ones are not notified).
  services.mentions.online = async (userIds) => {
    const statuses = await presenceHub.presence.statuses(userIds)
    return new Set(userIds.filter((_, i) => statuses[i] === 'online'))
  }
  const caps = createSocketCaps(options, log, redis, presenceHub.liveness)
  const calls = createCalls(io, services, broadcaster, log, options, redis, presenceHub.liveness)
  metrics?.countCalls(() => calls.running())
  broadcaster.onMembersRemoved = (conversationId, userIds) => calls.membersRemoved(conversationId, userIds)
  // Sent before the Redis connection closes (the server closes it after io).
  httpServer.once('close', () => void caps.close())

  io.use((socket, next) => {
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.['token']
    const refuse = (code: HandshakeErrorData['code'], message: string): void => {
      const err = new Error(message) as Error & { data: HandshakeErrorData }
      err.data = { code }
      next(err)
    }
    if (typeof token !== 'string' || token === '') {
      refuse('unauthorized', 'sign in first: connect with auth: { token: <access token> }')
      return
    }
    void (async () => {
      let claims
      try {
        claims = await services.tokens.verifyAccess(token)
      } catch (err) {
        if (err instanceof AppError && (err.code === 'token_expired' || err.code === 'session_revoked' || err.code === 'unavailable')) {
          refuse(err.code, err.message)
        } else {
          refuse('invalid_token', 'access token is not valid')
        }
        return
      }
      try {
        socket.data.userId = claims.userId
        socket.data.sessionId = claims.sessionId
        if (claims.bot) socket.data.bot = true
        // Looked up before the connection opens, so the socket is in every room from its first moment.
        socket.data.conversationIds = (await services.store.conversations.forUser(claims.userId)).map((c) => c.id)
      } catch (err) {
        log.warn({ err, userId: claims.userId }, 'could not admit a socket')
        refuse('unavailable', 'the server cannot reach its storage right now; try again shortly')
        return
      }
      const admission = await caps.admit(claims.userId, claims.sessionId)
      if (!admission.ok) {
        const open = `${admission.limit} connection${admission.limit === 1 ? '' : 's'} open`
        refuse(
          'too_many_connections',
          admission.cap === 'session'
            ? `this sign-in already has ${open}, as many as the server allows: close other tabs or windows of the app`
            : `your account already has ${open}, as many as the server allows: close the app on other devices`
        )
        return
      }
      // Given back when the socket goes, or if the client left before its socket connected.
      socket.once('disconnect', admission.release)
      socket.conn.once('close', admission.release)
      next()
    })()
  })

  io.on('connection', (socket) => {
    const { userId, sessionId } = socket.data
    const rooms = [userRoom(userId), sessionRoom(sessionId)]
    for (const id of socket.data.conversationIds) rooms.push(conversationRoom(id))
    void socket.join(rooms)
    const events = new EventRegistry(socket, log, socket.data.bot ? BOT_EVENTS : null)
    registerMessageHandlers(socket, events, services, broadcaster, metrics)
    registerPresenceHandlers(socket, events, services, presenceHub, log)
    registerCallHandlers(socket, events, services, calls)
    registerThreadHandlers(socket, events, services, broadcaster)
    registerLinkPreviewHandlers(socket, events, services, broadcaster)
    registerNotificationPrefsHandlers(socket, events, services)
    registerScheduledHandlers(socket, events, services)
    // Ids only: the handshake's token stays out of the log.
    log.debug({ userId, socketId: socket.id }, 'socket connected')
    socket.once('disconnect', (reason) => log.debug({ userId, socketId: socket.id, reason }, 'socket disconnected'))
  })

  return { io, broadcaster, presence: presenceHub, calls }
}
