import type { TLSSocket } from 'node:tls'
import express, { type Express } from 'express'
import type { Logger } from 'pino'
import type { RedisLink } from '../cluster/redis'
import { timeRequests } from '../metrics/http-metrics'
import { METRICS_PATH, metricsHandler } from '../metrics/metrics-route'
import { HSTS } from '../tls/profile'
import type { RouteDeps } from './deps'
import { errorHandler, notFoundHandler } from './errors'
import { buildOpenApi } from './openapi'
import { JOIN_PAGE_PATH, joinPageHandler } from './join-page'
import { requestLogger } from './request-log'
import { buildRouter, MAX_BODY } from './router'
import { adminRoutes } from './routes/admin.routes'
import { userGroupRoutes } from './routes/user-groups.routes'
import { botRoutes } from './routes/bots.routes'
import { webhookRoutes } from './routes/webhooks.routes'
import { authRoutes } from './routes/auth.routes'
import { addressAndUsername, addressOf, failureLimiter, perAddressMax, type FailureLimit } from './rate-limit'
import { callerOf } from './router'
import { contactRoutes } from './routes/contacts.routes'
import { draftRoutes } from './routes/drafts.routes'
import { notificationPrefsRoutes } from './routes/notification-prefs.routes'
import { scheduledRoutes } from './routes/scheduled.routes'
import { fileRoutes } from './routes/files.routes'
import { tusRoutes } from './routes/tus.routes'
import { tusResumable } from './tus'
import { conversationRoutes } from './routes/conversations.routes'
import { groupRoutes } from './routes/groups.routes'
import { roomRoutes } from './routes/rooms.routes'
import { messageMenuRoutes } from './routes/message-menu.routes'
import { linkPreviewRoutes } from './routes/link-previews.routes'
import { messageRoutes } from './routes/messages.routes'
import { pinRoutes } from './routes/pins.routes'
import { searchRoutes } from './routes/search.routes'
import { threadRoutes } from './routes/threads.routes'
import { userRoutes } from './routes/users.routes'
import type { AnyRoute } from './route'

/**
 * With `redis`, the failure limits count across every node. Each guessing
 * route has a limit per account (`loginLimit.max`) and, after it, a ceiling
 * per address across accounts (`perAddressMax`): the account's own limit
 * runs first, so its refusals never eat into the address's ceiling that a
 * whole office behind one proxy shares.
 */
export function allRoutes(deps: RouteDeps, loginLimit: FailureLimit, redis: RedisLink | null = null): AnyRoute[] {
  const addressCeiling = { windowMs: loginLimit.windowMs, max: perAddressMax(loginLimit) }
  // Wrong passwords and wrong reset codes against any username, from one address, share one count (spraying).
  const signInCeiling = failureLimiter(addressCeiling, 'sign-in attempts from this address', addressOf, 'login-address', redis)
  return [
    ...userRoutes(deps),
    ...authRoutes({
      ...deps,
      loginLimiter: [failureLimiter(loginLimit, 'sign-in attempts', addressAndUsername, 'login', redis), signInCeiling],
      // Reset codes are short: wrong ones are limited per address and username like passwords.
      resetLimiter: [failureLimiter(loginLimit, 'reset code attempts', addressAndUsername, 'reset', redis), signInCeiling]
    }),
    ...conversationRoutes(deps),
    ...contactRoutes(deps),
    ...roomRoutes(deps),
    ...messageRoutes(deps),
    // Issue 21: link previews.
    ...linkPreviewRoutes(deps),
    // Issue 20: pins and saved messages.
    ...pinRoutes(deps),
    ...messageMenuRoutes(deps),
    ...searchRoutes(deps),
    ...draftRoutes(deps),
    ...notificationPrefsRoutes(deps),
    ...scheduledRoutes(deps),
    ...threadRoutes(deps),
    ...adminRoutes(deps),
    ...userGroupRoutes(deps),
    // Issue 21 item 6.
    ...webhookRoutes(deps),
    ...botRoutes(deps),
    // Before fileRoutes: its GET /uploads/:id would otherwise answer HEAD.
    ...tusRoutes(deps),
    ...fileRoutes(deps),
    // Join codes are short: guessing is limited per signed-in user (the token is checked first), and per address.
    ...groupRoutes({
      ...deps,
      joinLimiter: [
        failureLimiter(loginLimit, 'join attempts', (_req, res) => callerOf(res).userId, 'join-user', redis),
        failureLimiter(addressCeiling, 'join attempts from this address', addressOf, 'join-address', redis)
      ]
    })
  ]
}

export function createHttpApp(deps: RouteDeps, loginLimit: FailureLimit, log: Logger, redis: RedisLink | null = null): Express {
  const routes = allRoutes(deps, loginLimit, redis)
  const openapi = buildOpenApi(routes, deps.version)
  const app = express()
  app.disable('x-powered-by')
  app.use(requestLogger(log))
  if (deps.metrics) app.use(timeRequests(deps.metrics.metrics))
  app.use((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Cache-Control', 'no-store')
    // Over HTTPS only: over plain HTTP the header means nothing (RFC 6797), and behind a proxy that does TLS it is the proxy's to send.
    if ((req.socket as TLSSocket).encrypted) res.setHeader('Strict-Transport-Security', HSTS)
    next()
  })
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi)
  })
  // Off, it is answered like any unknown path (404).
  if (deps.metrics) app.get(METRICS_PATH, metricsHandler(deps.metrics.metrics, deps.metrics.token))
  // Group invite links for email and chats that do not open messenger:// (i20-drafts).
  app.get(JOIN_PAGE_PATH, joinPageHandler(deps.identity))
  // Every request body is read (bounded), even where a route takes none, so the
  // connection stays clean for the next request; strict: false lets the schema
  // answer "expected object" for JSON such as "x" or null.
  app.use('/api/v1/uploads', tusResumable)
  app.use('/api/v1', express.json({ limit: MAX_BODY, strict: false }), buildRouter(routes, deps.services.tokens, (userId) => deps.services.admin.requireAdmin(userId)))
  app.use(notFoundHandler)
  app.use(errorHandler(log))
  return app
}
