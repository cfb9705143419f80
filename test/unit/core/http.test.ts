import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ClientError } from '../../../src/main/core/errors'
import { ServerHttp, transportError } from '../../../src/main/core/http'

interface Seen {
  method: string
  url: string
  contentType: string | undefined
  authorization: string | undefined
  accept: string | undefined
  body: string
}

/** A tiny messenger-shaped server: each path answers one way. */
function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url ?? '/', 'http://x')
  const send = (status: number, text: string, type = 'application/json'): void => {
    res.writeHead(status, { 'content-type': type })
    res.end(text)
  }
  const path = url.pathname.replace(/^\/api\/v1/, '')
  const statusParam = Number(url.searchParams.get('status') ?? 400)
  switch (path) {
    case '/echo': {
      const seen: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        accept: req.headers.accept,
        body
      }
      return send(200, JSON.stringify(seen))
    }
    case '/empty':
      res.writeHead(204)
      return void res.end()
    case '/not-json':
      return send(200, '<html>hello</html>', 'text/html')
    case '/error':
      return send(statusParam, JSON.stringify({ error: { code: url.searchParams.get('code'), message: 'said the server' } }))
    case '/error-odd':
      return send(statusParam, JSON.stringify({ error: { code: 42, message: { nested: true } } }))
    case '/plain':
      return send(statusParam, 'Bad Gateway', 'text/plain')
    case '/limited':
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3' })
      return void res.end(JSON.stringify({ error: { code: 'rate_limited', message: 'slow down', retryAfterMs: 2500 } }))
    case '/proxy-limited':
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '7' })
      return void res.end('Too Many Requests')
    case '/hang':
      // Never answers; the client's timeout ends it.
      return
    default:
      return send(404, JSON.stringify({ error: { code: 'not_found', message: `no route ${path}` } }))
  }
}

let server: Server
let baseUrl: string
let closedPortUrl: string

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => handle(req, res, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // A port that was just free and is closed again: connecting is refused.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  closedPortUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`
  await new Promise<void>((resolve, reject) => probe.close((err) => (err ? reject(err) : resolve())))
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(ClientError)
  return err as ClientError
}

describe('ServerHttp requests', () => {
  it('builds /api/v1 URLs (trailing slashes dropped) with the query, skipping undefined values', async () => {
    const http = new ServerHttp(`${baseUrl}//`)
    expect(http.base).toBe(`${baseUrl}/api/v1`)
    const seen = await http.request<Seen>('GET', '/echo', { query: { q: 'a b', limit: 5, before: undefined } })
    expect(seen).toMatchObject({ method: 'GET', url: '/api/v1/echo?q=a+b&limit=5', accept: 'application/json', body: '' })
    expect(seen.contentType).toBeUndefined()
    expect(seen.authorization).toBeUndefined()
  })

  it('sends a JSON body with every POST and PATCH, {} when none is given, and the bearer token', async () => {
    const http = new ServerHttp(baseUrl)
    const post = await http.request<Seen>('POST', '/echo', { token: 'tok' })
    expect(post).toMatchObject({ method: 'POST', contentType: 'application/json', authorization: 'Bearer tok', body: '{}' })
    const patch = await http.request<Seen>('PATCH', '/echo', { body: { title: 'x' } })
    expect(patch).toMatchObject({ method: 'PATCH', contentType: 'application/json', body: '{"title":"x"}' })
    const del = await http.request<Seen>('DELETE', '/echo', { body: { ignored: true } })
    expect(del).toMatchObject({ method: 'DELETE', body: '' })
    expect(del.contentType).toBeUndefined()
  })

  it('answers null for 204 No Content', async () => {
    expect(await new ServerHttp(baseUrl).request('DELETE', '/empty')).toBeNull()
  })

  it('refuses a successful answer that is not JSON as internal', async () => {
    const err = await failure(new ServerHttp(baseUrl).request('GET', '/not-json'))
    expect(err.code).toBe('internal')
    expect(err.message).toContain('GET /not-json')
  })
})

describe('ServerHttp errors', () => {
  it("keeps the server's code, message and status from {error:{code,message}}", async () => {
    const http = new ServerHttp(baseUrl)
    const cases = [
      [409, 'username_taken'],
      [401, 'token_expired'],
      [410, 'join_code_expired'],
      [400, 'validation_failed'],
      [503, 'unavailable']
    ] as const
    for (const [status, code] of cases) {
      const err = await failure(http.request('GET', '/error', { query: { status, code } }))
      expect({ code: err.code, message: err.message, status: err.status }).toEqual({ code, message: 'said the server', status })
    }
    const missing = await failure(http.request('GET', '/no/such/route'))
    expect(missing).toMatchObject({ code: 'not_found', status: 404, message: 'no route /no/such/route' })
  })

  it("keeps a rate_limited answer's wait: the body's retryAfterMs, else Retry-After's seconds", async () => {
    const http = new ServerHttp(baseUrl)
    expect(await failure(http.request('GET', '/limited'))).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 2500 })
    expect(await failure(http.request('GET', '/proxy-limited'))).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 7000 })
    expect((await failure(http.request('GET', '/error', { query: { status: 409, code: 'conflict' } }))).retryAfterMs).toBeUndefined()
  })

  it('falls back to a code by status when the body has none it knows', async () => {
    const http = new ServerHttp(baseUrl)
    const expected: Record<number, string> = {
      400: 'validation_failed',
      401: 'unauthorized',
      403: 'forbidden',
      404: 'not_found',
      409: 'validation_failed',
      413: 'payload_too_large',
      422: 'validation_failed',
      429: 'rate_limited',
      500: 'unavailable',
      502: 'unavailable',
      503: 'unavailable'
    }
    for (const [status, code] of Object.entries(expected)) {
      const plain = await failure(http.request('GET', '/plain', { query: { status } }))
      expect([status, plain.code, plain.status, plain.message]).toEqual([status, code, Number(status), `the server answered ${status}`])
      // A code the client does not know, or fields of the wrong type, count as none.
      const unknown = await failure(http.request('GET', '/error', { query: { status, code: 'made_up_code' } }))
      expect([status, unknown.code, unknown.message]).toEqual([status, code, 'said the server'])
      const odd = await failure(http.request('GET', '/error-odd', { query: { status } }))
      expect([status, odd.code, odd.message]).toEqual([status, code, `the server answered ${status}`])
    }
  })

  it('reports a refused connection as unreachable, naming the server', async () => {
    const err = await failure(new ServerHttp(closedPortUrl).request('GET', '/echo'))
    expect(err.code).toBe('unreachable')
    expect(err.status).toBeUndefined()
    expect(err.message).toContain(closedPortUrl)
    expect(err.message).toContain('ECONNREFUSED')
  })

  it('reports a server that does not answer in time as timeout', async () => {
    // The real fetch, with a short deadline instead of 15 s, against a server that never answers.
    let signalGiven = false
    const shortDeadline: typeof fetch = (input, init) => {
      signalGiven = init?.signal instanceof AbortSignal
      return fetch(input, { ...init, signal: AbortSignal.timeout(50) })
    }
    const err = await failure(new ServerHttp(baseUrl, shortDeadline).request('GET', '/hang'))
    expect(signalGiven).toBe(true)
    expect(err.code).toBe('timeout')
    expect(err.message).toContain(baseUrl)
  })
})

describe('transportError', () => {
  it('maps timeouts and aborts to timeout, anything else to unreachable with the best detail', () => {
    const url = 'http://host:1'
    expect(transportError(new DOMException('x', 'TimeoutError'), url).code).toBe('timeout')
    expect(transportError(new DOMException('x', 'AbortError'), url).code).toBe('timeout')
    const refused = transportError(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }), url)
    expect(refused).toMatchObject({ code: 'unreachable', message: `cannot reach the server at ${url} (ENOTFOUND)` })
    expect(transportError(new TypeError('fetch failed', { cause: { message: 'other side closed' } }), url).message).toContain('(other side closed)')
    expect(transportError(new Error('boom'), url).message).toContain('(boom)')
    expect(transportError('weird', url)).toMatchObject({ code: 'unreachable', message: `cannot reach the server at ${url} (weird)` })
    expect(transportError(null, url).code).toBe('unreachable')
  })
})
