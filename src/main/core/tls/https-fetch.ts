// A fetch for one pinned https server, over node:https with the pinned agent
// (Node's built-in fetch cannot be given a CA or an identity check). Only what
// ServerHttp uses: method, headers, a string or byte-stream body, an abort
// signal. Answers stream: a file download is never held in memory whole.
import { request } from 'node:https'
import type { Agent } from 'node:https'
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

export function pinnedFetch(agent: Agent): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      const signal = init.signal ?? undefined
      if (signal?.aborted) return reject(signal.reason as Error)
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, agent, signal }, (res) => {
        resolve(toResponse(res))
      })
      // Rejected the way fetch rejects: a TypeError whose cause is the network error.
      req.on('error', (err) => reject(signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: err })))
      const body = init.body
      if (body === undefined || body === null) req.end()
      else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body)
      else if (body instanceof ReadableStream) {
        const source = Readable.fromWeb(body as NodeReadableStream<Uint8Array>)
        // A failing source (the file went away, the transfer was paused) ends the request with its error.
        source.on('error', (err) => req.destroy(err))
        source.pipe(req)
      } else {
        req.destroy()
        reject(new TypeError('pinnedFetch: unsupported body type'))
      }
    })
}

function toResponse(res: IncomingMessage): Response {
  const status = res.statusCode ?? 502
  const headers = new Headers()
  for (const [key, value] of Object.entries(res.headers)) {
    if (typeof value === 'string') headers.set(key, value)
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v)
  }
  if (status === 204 || status === 304) {
    res.resume()
    return new Response(null, { status, headers })
  }
  return new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, { status, headers })
}
