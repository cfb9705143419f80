import { z } from 'zod'
import { ErrorResponse } from '../../src/shared/schemas/common'
import { METRICS_PATH, metricsOperation } from '../metrics/metrics-route'
import { joinPageOperation } from './join-page'
import { FORM } from './router'
import type { AnyRoute } from './route'

type JsonSchema = Record<string, unknown>

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; the message names the field',
  401: 'Wrong credentials, or a missing, expired or revoked token',
  403: 'Not allowed (for example: not a member, not a server admin, a disabled account, sign-up not open, or a bot token on a route bots may not use)',
  404: 'Unknown id',
  409: 'Conflict with existing data, or not possible for this kind of conversation',
  410: 'The join code expired or was used up',
  412: 'tus: the Tus-Resumable header names a version this server does not speak (Tus-Version lists those it does)',
  413: 'Request body too large (for files: more than the size limit, the quota or the declared size)',
  415: 'Request body is not UTF-8 JSON (or, for bytes, not the documented media type)',
  416: 'The requested byte range is outside the file',
  429: 'Too many requests; retry later',
  460: 'tus: the bytes do not match the Upload-Checksum; they were not kept',
  503: 'Not available now: the server cannot reach its storage (a database restarting), or the feature is off on this server'
}

/**
 * Converts a zod schema to JSON Schema 2020-12 and moves its named parts
 * (`.meta({ id })`) into components, rewriting their references.
 */
function convert(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema
  const defs = (json['$defs'] ?? {}) as Record<string, JsonSchema>
  delete json['$defs']
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite)
    if (node === null || typeof node !== 'object') return node
    const out: JsonSchema = {}
    for (const [key, value] of Object.entries(node)) {
      if (key === '$schema' || key === '$id') continue
      out[key] =
        key === '$ref' && typeof value === 'string' ? value.replace('#/$defs/', '#/components/schemas/') : rewrite(value)
    }
    return out
  }
  for (const [name, def] of Object.entries(defs)) components[name] = rewrite(def) as JsonSchema
  return rewrite(json) as JsonSchema
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', components: Record<string, JsonSchema>) {
  if (!schema) return []
  const json = convert(schema, 'input', components)
  const props = (json['properties'] ?? {}) as Record<string, JsonSchema>
  const required = new Set((json['required'] ?? []) as string[])
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: s
  }))
}

export function buildOpenApi(routes: AnyRoute[], version: string): JsonSchema {
  const components: Record<string, JsonSchema> = {}
  const errorRef = { $ref: '#/components/schemas/ErrorResponse' }
  convert(ErrorResponse, 'output', components) // named schema: lands in components
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const [params, query, body] = [route.params, route.query, route.body] as (z.ZodType | undefined)[]
    const path = route.path.replace(/:(\w+)/g, '{$1}')
    const responses: Record<string, unknown> = {}
    for (const [status, spec] of Object.entries(route.responses)) {
      const headers = spec.headers
        ? { headers: Object.fromEntries(Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
        : {}
      responses[status] = spec.bytes
        ? { description: spec.description, ...headers, content: { [spec.bytes]: { schema: { type: 'string', contentMediaType: spec.bytes } } } }
        : spec.schema
          ? { description: spec.description, ...headers, content: { 'application/json': { schema: convert(spec.schema, 'output', components) } } }
          : { description: spec.description, ...headers }
    }
    const errors = new Set(route.errors ?? [])
    if (route.params || route.query || route.body) errors.add(400)
    // Any request but a GET or HEAD may carry a body, which is read: malformed JSON is 400, too big 413, not UTF-8 415.
    if (route.method !== 'get' && route.method !== 'head') [400, 413, 415].forEach((status) => errors.add(status))
    if (route.auth) errors.add(401)
    // A bot's token is refused every route not marked for bots (issue 21).
    if (route.admin || (route.auth && !route.bots)) errors.add(403)
    // Everything but the health check reads or writes the store, which may be a database that is away for a moment.
    if (route.path !== '/health') errors.add(503)
    for (const status of [...errors].sort()) {
      responses[String(status)] = {
        description: ERROR_TEXT[status] ?? 'Error',
        content: { 'application/json': { schema: errorRef } }
      }
    }
    paths[path] ??= {}
    paths[path][route.method] = {
      operationId: `${route.method}${path.replace(/[{}]/g, '').replace(/\/(\w)/g, (_, c: string) => c.toUpperCase())}`,
      summary: route.admin ? `${route.summary} (server admins)` : route.summary,
      tags: [route.tag],
      ...(route.auth ? { security: [{ bearer: [] }] } : {}),
      parameters: [
        ...parameters(params, 'path', components),
        ...parameters(query, 'query', components),
        ...(route.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: h.required, description: h.description, schema: { type: 'string' } }))
      ],
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: convert(body, 'input', components) },
                // Slack's incoming webhooks also take the JSON as a form field (issue 21).
                ...(route.formPayload ? { [FORM]: { schema: { type: 'object', properties: { payload: { type: 'string', description: 'the JSON body, as text' } }, required: ['payload'] } } } : {})
              }
            }
          }
        : {}),
      ...(route.bytesBody
        ? {
            requestBody: {
              required: !route.bytesBody.optional,
              description: route.bytesBody.description,
              content: { [route.bytesBody.contentType]: { schema: { type: 'string', contentMediaType: route.bytesBody.contentType } } }
            }
          }
        : {}),
      responses
    }
  }
  // Documented whether or not this server has metrics on (404 says when off).
  paths[METRICS_PATH] = metricsOperation(errorRef)
  paths['/join/{code}'] = joinPageOperation(errorRef)
  return {
    openapi: '3.1.0',
    info: { title: 'LAN Messenger server', version },
    servers: [{ url: '/api/v1' }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The token the server was started with (--metrics-token), not an access token' }
      }
    }
  }
}
