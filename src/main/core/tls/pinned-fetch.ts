// REST to one pinned https server: undici's fetch through an undici Agent whose
// TLS connections verify against the pinned certificate only (pinnedTls).
// undici's own fetch, not the global one: Node's global fetch bundles another
// copy of undici, which need not accept this package's Agent as its dispatcher.
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici'
import { pinnedTls } from './pinned'

/** A keep-alive pool of connections that trust exactly this certificate. */
export function pinnedDispatcher(certificate: string, fingerprint: string): Agent {
  return new Agent({ connect: pinnedTls(certificate, fingerprint) })
}

export function pinnedFetch(dispatcher: Agent): typeof fetch {
  return (input, init) =>
    // ServerHttp passes URLs and strings; undici's Request and Response are its own
    // classes, the same shape as the global ones (the body is a web ReadableStream).
    undiciFetch(input instanceof Request ? input.url : input, { ...init, dispatcher } as UndiciRequestInit) as unknown as Promise<Response>
}
