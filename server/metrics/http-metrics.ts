// HTTP request durations labelled by the Express route pattern
// (/api/v1/conversations/:id), never the URL itself: ids would make a new
// series per conversation, file and user. The pattern is the one the request
// log names (http/request-log.ts: marked by the router, kept when an error leaves it).
import { performance } from 'node:perf_hooks'
import type { RequestHandler } from 'express'
import { routePattern } from '../http/request-log'
import type { ServerMetrics } from './metrics'

/** Times every request until its response is finished or cut ('close' comes in both cases). */
export function timeRequests(metrics: ServerMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now()
    res.once('close', () => {
      metrics.httpSeconds.observe({ method: req.method, route: routePattern(req, res) ?? 'unmatched', status_code: String(res.statusCode) }, (performance.now() - started) / 1000)
    })
    next()
  }
}
