import { Router, type Request } from 'express'
import { AppError } from '../errors'
import type { AccessClaims, TokenService } from '../services/tokens'
import type { AnyRoute } from './route'
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

/** Wires the route table into Express: authenticate, validate, handle, respond, then `after`. */
export function buildRouter(routes: AnyRoute[], tokens: TokenService, requireAdmin: (userId: string) => Promise<void>): Router {
  const router = Router()
  for (const route of routes) {
    router[route.method](route.path, ...(route.middleware ?? []), async (req, res) => {
      const caller = route.auth ? await authenticate(req, tokens) : null
      if (route.admin && caller) await requireAdmin(caller.userId)
      const params: unknown = route.params ? parseInput(route.params, req.params, 'path') : undefined
      const query: unknown = route.query ? parseInput(route.query, req.query, 'query') : undefined
      // express.json turns an empty JSON body into {}: an empty body is no body.
      const sent: unknown = hasBody(req) ? req.body : undefined
      const body: unknown = route.body ? parseInput(route.body, sent, 'body') : undefined
      const result = await route.handler({ params, query, body, caller, req })
      if (result.send) await result.send(res)
      else if (result.body === undefined) res.status(result.status).end()
      else res.status(result.status).json(result.body)
      result.after?.()
    })
  }
  return router
}
