// One log line per HTTP request, through pino-http: its id, method, route
// pattern, status and duration. Never the URL as sent, headers or bodies:
// paths and query strings can carry codes (/admin/invites/:code), headers
// carry tokens and cookies, bodies carry passwords.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import { pinoHttp } from 'pino-http'

export const REQUEST_ID_HEADER = 'X-Request-Id'

/** What a proxy may hand on as a request id: a UUID, nginx's $request_id, a trace id; short and header-safe. */
const VALID_REQUEST_ID = /^[A-Za-z0-9._~:=+/@-]{1,128}$/

/** The incoming X-Request-Id when it is a sensible one, else a new UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && VALID_REQUEST_ID.test(given) ? given : randomUUID()
}

const ROUTE = 'route'

/**
 * Remembers which route pattern answers this request, while the router's
 * base path is known (Express resets req.baseUrl when an error leaves the router).
 */
export function markRoute(pattern: string): RequestHandler {
  return (req, res, next) => {
    res.locals[ROUTE] = `${req.baseUrl}${pattern}`
    next()
  }
}

/** The pattern (`/api/v1/conversations/:id`), never the path as sent; null when no route matched. */
export function routePattern(req: IncomingMessage, res: ServerResponse): string | null {
  const marked = (res as Response).locals?.[ROUTE] as string | undefined
  if (marked) return marked
  // Routes outside the table (openapi.json) are Express's own: their pattern is on req.route.
  const { route, baseUrl } = req as unknown as { route?: { path?: unknown }; baseUrl: string }
  return typeof route?.path === 'string' ? `${baseUrl}${route.path}` : null
}

function line(req: IncomingMessage, res: ServerResponse, responseTime: number): Record<string, unknown> {
  return {
    method: req.method,
    route: routePattern(req, res),
    status: res.statusCode,
    responseTime,
    // The client went away before the answer was whole.
    ...(res.writableFinished ? {} : { aborted: true })
  }
}

export function requestLogger(log: Logger): RequestHandler {
  return pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const id = requestIdOf(req)
      res.setHeader(REQUEST_ID_HEADER, id)
      return id
    },
    // req.log and res.log carry only the id: the request object is never serialized.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (req, res, err) => {
      // 503: the database is out (the store reports that itself); refusing requests meanwhile is the plan, not a fault.
      if (res.statusCode === 503) return 'warn'
      if (err || res.statusCode >= 500) return 'error'
      // Load balancers and the login screen ask often; a healthy answer is not news.
      if (res.statusCode < 400 && routePattern(req, res) === '/api/v1/health') return 'debug'
      return 'info'
    },
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, val: { responseTime: number }) => line(req, res, val.responseTime),
    // The error itself is logged, with the same request id, where it is handled (http/errors.ts).
    customErrorObject: (req, res, _err, val: { responseTime: number }) => line(req, res, val.responseTime)
  })
}
