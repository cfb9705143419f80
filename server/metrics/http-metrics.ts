// HTTP request durations labelled by the Express route pattern
// (/api/v1/conversations/:id), never the URL itself: ids would make a new
// series per conversation, file and user.
import { performance } from 'node:perf_hooks'
import type { Request, RequestHandler, Response } from 'express'
import type { ServerMetrics } from './metrics'

const MOUNT = 'routeMount'

/**
 * Notes where the router that follows is mounted (/api/v1): Express resets
 * req.baseUrl when an error leaves the router, before the response ends.
 */
export const markMount: RequestHandler = (req, res, next) => {
  res.locals[MOUNT] = req.baseUrl
  next()
}

function routeOf(req: Request, res: Response): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path
  return typeof path === 'string' ? `${(res.locals[MOUNT] as string | undefined) ?? ''}${path}` : 'unmatched'
}

/** Times every request until its response is finished or cut ('close' comes in both cases). */
export function timeRequests(metrics: ServerMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now()
    res.once('close', () => {
      metrics.httpSeconds.observe({ method: req.method, route: routeOf(req, res), status_code: String(res.statusCode) }, (performance.now() - started) / 1000)
    })
    next()
  }
}
