// GET /metrics: the Prometheus text format, for whoever holds the metrics
// token. Not under /api/v1 (Prometheus looks at /metrics by default), and not
// in the route table: its caller is a scraper with the operator's token, not
// a signed-in user.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'
import { AppError } from '../errors'
import type { ServerMetrics } from './metrics'

export const METRICS_PATH = '/metrics'

/** Why a metrics token cannot be used, or null. A short one could be guessed: nothing limits how often a scraper asks. */
export function metricsTokenProblem(token: string): string | null {
  return /^\S{16,}$/.test(token) ? null : 'the metrics token must be at least 16 characters, without spaces'
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()

/** Answers the metrics to `Authorization: Bearer <token>` and 401 to anything else. */
export function metricsHandler(metrics: ServerMetrics, token: string): RequestHandler {
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const expected = digest(token)
  return async (req, res) => {
    const sent = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1]
    if (sent === undefined || !timingSafeEqual(digest(sent), expected)) {
      throw new AppError('unauthorized', "send Authorization: Bearer <metrics token>, the token the server was started with (--metrics-token)")
    }
    const text = await metrics.registry.metrics()
    res.setHeader('Content-Type', metrics.registry.contentType)
    res.end(text)
  }
}

/**
 * Its entry in the OpenAPI document, which is relative to /api/v1: this
 * operation names its own server, the root.
 */
export function metricsOperation(errorRef: object): Record<string, unknown> {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: errorRef } } })
  return {
    get: {
      operationId: 'getMetrics',
      summary: "This node's metrics in the Prometheus text format (docs/admin.md, Metrics); off unless the server was started with --metrics-token",
      tags: ['operations'],
      servers: [{ url: '/' }],
      security: [{ metricsToken: [] }],
      parameters: [],
      responses: {
        200: { description: 'The metrics', content: { 'text/plain': { schema: { type: 'string', contentMediaType: 'text/plain' } } } },
        401: error('No Authorization: Bearer header, or not the metrics token (an access token is not one)'),
        404: error('Metrics are off on this server: it was started without --metrics-token')
      }
    }
  }
}
