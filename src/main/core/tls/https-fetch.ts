// A fetch for one pinned https server, over node:https with the pinned agent
// (Node's built-in fetch cannot be given a CA or an identity check). Only what
// ServerHttp uses: method, headers, a string body, an abort signal.
import { request } from 'node:https'
import type { Agent } from 'node:https'

export function pinnedFetch(agent: Agent): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      const signal = init.signal ?? undefined
      if (signal?.aborted) return reject(signal.reason as Error)
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, agent, signal }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const status = res.statusCode ?? 502
          const headers = new Headers()
          for (const [key, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') headers.set(key, value)
            else if (Array.isArray(value)) for (const v of value) headers.append(key, v)
          }
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks)
          resolve(new Response(body, { status, headers }))
        })
      })
      // Rejected the way fetch rejects: a TypeError whose cause is the network error.
      req.on('error', (err) => reject(signal?.aborted ? (signal.reason as Error) : new TypeError('fetch failed', { cause: err })))
      if (typeof init.body === 'string') req.end(init.body)
      else req.end()
    })
}
