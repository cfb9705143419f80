// One table describes every REST route: its schemas drive validation, the
// OpenAPI document and the authorization tests, so none of them can drift.
import type { Request, RequestHandler, Response } from 'express'
import type { z } from 'zod'
import type { AccessClaims } from '../services/tokens'

export type HttpMethod = 'get' | 'head' | 'options' | 'post' | 'patch' | 'put' | 'delete'

type Schema = z.ZodType | undefined
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined

export interface RouteContext<P extends Schema, Q extends Schema, B extends Schema, A extends boolean> {
  params: Out<P>
  query: Out<Q>
  body: Out<B>
  caller: A extends true ? AccessClaims : null
  req: Request
}

export interface RouteResult {
  status: number
  body?: unknown
  /** Runs after the response is sent (realtime broadcasts): never before success. */
  after?: () => void
  /** Writes the response itself (file downloads); status and body are then ignored. */
  send?: (res: Response) => Promise<void>
}

export interface ResponseSpec {
  description: string
  schema?: z.ZodType
  /** A response of bytes, not JSON: its media type (for the OpenAPI document). */
  bytes?: string
  /** Response headers that carry the answer (tus's Upload-Offset): name → description. */
  headers?: Record<string, string>
}

/** A request header a route reads (documented as a header parameter). */
export interface HeaderSpec {
  name: string
  description: string
  required: boolean
}

export interface RouteSpec<P extends Schema, Q extends Schema, B extends Schema, A extends boolean> {
  method: HttpMethod
  /** Express syntax, relative to /api/v1: `/conversations/:id`. */
  path: string
  summary: string
  tag: string
  auth: A
  /** Only server admins may call it (403 for others, before the input is read). */
  admin?: true
  /** Also takes the JSON body as the `payload` field of a form (application/x-www-form-urlencoded), as Slack's webhooks do. */
  formPayload?: true
  /** Issue 21: a bot's token may call it (read and send); every other route answers bots 403. */
  bots?: true
  params?: P
  query?: Q
  body?: B
  /** A request body of bytes, streamed by the handler instead of parsed as JSON. */
  bytesBody?: { contentType: string; description: string; optional?: true }
  headers?: HeaderSpec[]
  responses: Record<number, ResponseSpec>
  /** Error statuses this route can answer beyond the automatic 400/401/429. */
  errors?: number[]
  middleware?: RequestHandler[]
  handler: (ctx: RouteContext<P, Q, B, A>) => Promise<RouteResult> | RouteResult
}

// The table holds routes of many shapes; each was checked by defineRoute.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, boolean>

export function defineRoute<
  A extends boolean,
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined
>(spec: RouteSpec<P, Q, B, A>): AnyRoute {
  return spec as AnyRoute
}
