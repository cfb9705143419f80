import express, { type Express, type RequestHandler } from 'express'
import { ipKeyGenerator, rateLimit } from 'express-rate-limit'
import type { Logger } from 'pino'
import { AppError } from '../errors'
import type { RouteDeps } from './deps'
import { errorHandler, notFoundHandler } from './errors'
import { buildOpenApi } from './openapi'
import { buildRouter } from './router'
import { authRoutes } from './routes/auth.routes'
import { conversationRoutes } from './routes/conversations.routes'
import { userRoutes } from './routes/users.routes'
import type { AnyRoute } from './route'

export interface LoginLimit {
  windowMs: number
  /** Failed attempts allowed per address and username in a window. */
  max: number
}

/** Failed sign-ins are limited per client address and username. */
function loginLimiter({ windowMs, max }: LoginLimit): RequestHandler {
  return rateLimit({
    windowMs,
    limit: max,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const body = req.body as { username?: unknown } | undefined
      const name = typeof body?.username === 'string' ? body.username.toLowerCase() : ''
      return `${ipKeyGenerator(req.ip ?? '')}|${name}`
    },
    handler: (_req, _res, next) => {
      const minutes = Math.ceil(windowMs / 60_000)
      next(new AppError('rate_limited', `too many failed sign-in attempts; try again in ${minutes} minute(s)`))
    }
  })
}

export function allRoutes(deps: RouteDeps, loginLimit: LoginLimit): AnyRoute[] {
  return [...userRoutes(deps), ...authRoutes({ ...deps, loginLimiter: loginLimiter(loginLimit) }), ...conversationRoutes(deps)]
}

export function createHttpApp(deps: RouteDeps, loginLimit: LoginLimit, log: Logger): Express {
  const routes = allRoutes(deps, loginLimit)
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
  // strict: false lets the schema answer "expected object" for JSON such as "x" or null.
  app.use('/api/v1', express.json({ limit: '256kb', strict: false }), buildRouter(routes, deps.services.tokens))
  app.use(notFoundHandler)
  app.use(errorHandler(log))
  return app
}
