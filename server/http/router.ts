import express, { Router, type Request, type RequestHandler, type Response } from 'express'
import { AppError, forbidden } from '../errors'
import type { AccessClaims, TokenService } from '../services/tokens'
import type { AnyRoute } from './route'
import { markRoute } from './request-log'
import { parseInput } from './validate'

async function authenticate(req: Request, tokens: TokenService): Promise<AccessClaims> {
  const header = req.get('authorization') ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (!match?.[1]) throw new AppError('unauthorized', 'sign in first: send Authorization: Bearer <access token>')
  return tokens.verifyAccess(match[1])
}

/** Largest JSON body accepted (an avatar data URL is the biggest thing sent). */
export const MAX_BODY = '256kb'

function hasBody(req: Request): boolean {
  return req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0
}

export const FORM = 'application/x-www-form-urlencoded'

/** Slack's form-encoded webhook post: the JSON is the text of the `payload` field. */
function formPayload(req: Request): unknown {
  const payload = (req.body as Record<string, unknown> | undefined)?.['payload']
  if (typeof payload !== 'string') throw new AppError('validation_failed', 'body.payload: a form body carries the JSON in a field named payload')
  try {
    return JSON.parse(payload)
  } catch {
    throw new AppError('bad_json', 'body.payload is not valid JSON')
  }
}

/** The body a JSON route was sent: undefined when none; a body of another media type is refused (415), not read as missing. */
function jsonBody(req: Request, form = false): unknown {
  if (!hasBody(req)) return undefined
  if (form && req.is(FORM)) return formPayload(req)
  // express.json parsed exactly these; anything else it left unread.
  if (!req.is('application/json')) {
    const type = req.get('content-type')
    throw new AppError('unsupported_media_type', `request body must be JSON: send Content-Type: application/json${type ? ` (not ${type})` : ''}`)
  }
  return req.body
}

/** The signed-in caller of a route with `auth`, known before its middleware (limits keyed by user) runs. */
export function callerOf(res: Response): AccessClaims {
  const caller = res.locals['caller'] as AccessClaims | undefined
  if (!caller) throw new Error('callerOf: the route does not authenticate')
  return caller
}

const formParser = express.urlencoded({ extended: false, limit: MAX_BODY })

/** Wires the route table into Express: authenticate, the route's middleware, validate, handle, respond, then `after`. */
export function buildRouter(routes: AnyRoute[], tokens: TokenService, requireAdmin: (userId: string) => Promise<void>): Router {
  const router = Router()
  // The token first: an anonymous request is answered 401 before any limit counts it.
  // A bot's token (issue 21) reaches only routes marked for bots, refused before their middleware.
  const signedIn =
    (bots: boolean): RequestHandler =>
    async (req, res, next) => {
      const caller = await authenticate(req, tokens)
      if (caller.bot && !bots) throw forbidden('a bot token may only read and send messages in the conversations a server admin put its bot in')
      res.locals['caller'] = caller
      next()
    }
  for (const route of routes) {
    router[route.method](route.path, markRoute(route.path), ...(route.auth ? [signedIn(route.bots === true)] : []), ...(route.middleware ?? []), ...(route.formPayload ? [formParser] : []), async (req, res) => {
      const caller = route.auth ? callerOf(res) : null
      if (route.admin && caller) await requireAdmin(caller.userId)
      const params: unknown = route.params ? parseInput(route.params, req.params, 'path') : undefined
      const query: unknown = route.query ? parseInput(route.query, req.query, 'query') : undefined
      // express.json turns an empty JSON body into {}: an empty body is no body.
      const body: unknown = route.body ? parseInput(route.body, jsonBody(req, route.formPayload === true), 'body') : undefined
      const result = await route.handler({ params, query, body, caller, req })
      if (result.send) await result.send(res)
      else if (result.body === undefined) res.status(result.status).end()
      else res.status(result.status).json(result.body)
      result.after?.()
    })
  }
  return router
}
