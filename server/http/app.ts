import express, { type Express } from 'express'
import type { Logger } from 'pino'
import type { RedisLink } from '../cluster/redis'
import type { RouteDeps } from './deps'
import { errorHandler, notFoundHandler } from './errors'
import { buildOpenApi } from './openapi'
import { buildRouter, MAX_BODY } from './router'
import { adminRoutes } from './routes/admin.routes'
import { authRoutes } from './routes/auth.routes'
import { failureLimiter, usernameOf, type FailureLimit } from './rate-limit'
import { contactRoutes } from './routes/contacts.routes'
import { fileRoutes } from './routes/files.routes'
import { conversationRoutes } from './routes/conversations.routes'
import { groupRoutes } from './routes/groups.routes'
import { roomRoutes } from './routes/rooms.routes'
import { messageRoutes } from './routes/messages.routes'
import { searchRoutes } from './routes/search.routes'
import { userRoutes } from './routes/users.routes'
import type { AnyRoute } from './route'

/** With `redis`, the failure limits count across every node. */
export function allRoutes(deps: RouteDeps, loginLimit: FailureLimit, redis: RedisLink | null = null): AnyRoute[] {
  return [
    ...userRoutes(deps),
    ...authRoutes({
      ...deps,
      loginLimiter: failureLimiter(loginLimit, 'sign-in attempts', usernameOf, 'login', redis),
      // Reset codes are short: wrong ones are limited per address and username like passwords.
      resetLimiter: failureLimiter(loginLimit, 'reset code attempts', usernameOf, 'reset', redis)
    }),
    ...conversationRoutes(deps),
    ...contactRoutes(deps),
    ...roomRoutes(deps),
    ...messageRoutes(deps),
    ...searchRoutes(deps),
    ...adminRoutes(deps),
    ...fileRoutes(deps),
    // Join codes are short: guessing is limited per address like sign-ins.
    ...groupRoutes({ ...deps, joinLimiter: failureLimiter(loginLimit, 'join attempts', () => 'join', 'join', redis) })
  ]
}

export function createHttpApp(deps: RouteDeps, loginLimit: FailureLimit, log: Logger, redis: RedisLink | null = null): Express {
  const routes = allRoutes(deps, loginLimit, redis)
  const openapi = buildOpenApi(routes, deps.version)
  const app = express()
  app.disable('x-powered-by')
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Cache-Control', 'no-store')
    next()
  })
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi)
  })
  // Every request body is read (bounded), even where a route takes none, so the
  // connection stays clean for the next request; strict: false lets the schema
  // answer "expected object" for JSON such as "x" or null.
  app.use('/api/v1', express.json({ limit: MAX_BODY, strict: false }), buildRouter(routes, deps.services.tokens, (userId) => deps.services.admin.requireAdmin(userId)))
  app.use(notFoundHandler)
  app.use(errorHandler(log))
  return app
}
