// One GET of a page or image for a link preview, with every limit the
// server keeps: http(s) only, no credentials (none in the address, no
// cookies, no Authorization), redirects followed by hand (at most 3), each
// hop's name resolved here and every address it resolves to checked before
// connecting to the checked address itself (so a second, different DNS
// answer cannot slip in), one deadline for the whole fetch, and a cap on the
// bytes read (reading stops there).
import type { LookupAddress } from 'node:dns'
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import { Agent, request } from 'undici'
import { SERVER_VERSION } from '../../version'
import type { AddressPolicy } from './address-policy'

/** Resolves a host name to all of its addresses (dns.lookup with all: true; tests inject their own). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>

export const resolveAll: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true })

export interface FetchLimits {
  /** The whole fetch, redirects included. */
  timeoutMs: number
  maxRedirects: number
}

export const FETCH_LIMITS: FetchLimits = { timeoutMs: 5000, maxRedirects: 3 }

export interface FetchOptions {
  policy: AddressPolicy
  resolve?: Resolver
  limits?: FetchLimits
  /** Bytes read at most; the rest of the body is never read. */
  maxBytes: number
  accept: string
  signal?: AbortSignal
}

export interface Fetched {
  /** The address answered from, after redirects. */
  url: string
  /** The media type without parameters, lower-case ('' if none). */
  type: string
  body: Buffer
  /** True when the body was longer than maxBytes (it holds the first maxBytes). */
  truncated: boolean
}

/** Why a fetch gave nothing; the preview is skipped (logged at debug). */
export class FetchRefused extends Error {}

export const USER_AGENT = `LAN-Messenger-LinkPreview/${SERVER_VERSION} (+link previews; fetched by the messenger server)`

export async function safeFetch(address: string, options: FetchOptions): Promise<Fetched> {
  const limits = options.limits ?? FETCH_LIMITS
  const deadline = AbortSignal.timeout(limits.timeoutMs)
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline
  let url = checkedUrl(address)
  for (let hop = 0; ; hop++) {
    const target = await checkedAddress(url, options.policy, options.resolve ?? resolveAll)
    const agent = new Agent({ connect: { lookup: pinned(target) }, connections: 1, pipelining: 0 })
    try {
      const res = await request(url, {
        dispatcher: agent,
        method: 'GET',
        headers: { 'user-agent': USER_AGENT, accept: options.accept },
        signal
      })
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location !== undefined) {
        await res.body.dump().catch(() => undefined)
        if (hop >= limits.maxRedirects) throw new FetchRefused(`more than ${limits.maxRedirects} redirects`)
        url = checkedUrl(String(res.headers.location), url)
        continue
      }
      if (res.statusCode !== 200) {
        await res.body.dump().catch(() => undefined)
        throw new FetchRefused(`status ${res.statusCode}`)
      }
      const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
      const { body, truncated } = await readAtMost(res.body, options.maxBytes)
      return { url: url.href, type, body, truncated }
    } catch (err) {
      if (signal.aborted && !(err instanceof FetchRefused)) throw new FetchRefused(deadline.aborted ? `no answer within ${limits.timeoutMs} ms` : 'cancelled')
      throw err
    } finally {
      void agent.destroy().catch(() => undefined)
    }
  }
}

/** An http(s) address without user name or password; relative ones resolved against `base`. */
function checkedUrl(address: string, base?: URL): URL {
  let url: URL
  try {
    url = new URL(address, base)
  } catch {
    throw new FetchRefused('not an address')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused(`scheme ${url.protocol} is not fetched`)
  if (url.username !== '' || url.password !== '') throw new FetchRefused('addresses with credentials are not fetched')
  url.hash = ''
  return url
}

/** The address to connect to: the literal, or the first the name resolves to, once every one of them passed the policy. */
async function checkedAddress(url: URL, policy: AddressPolicy, resolve: Resolver): Promise<LookupAddress> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  const family = isIP(host)
  const addresses = family !== 0 ? [{ address: host, family }] : await resolve(host).catch(() => [])
  if (addresses.length === 0) throw new FetchRefused(`${host} does not resolve`)
  const refused = addresses.find((a) => !policy(a.address))
  if (refused) throw new FetchRefused(`${host} resolves to ${refused.address}, which this server's linkPreviews setting does not allow`)
  return addresses[0]!
}

/** A lookup for the connection that answers only the checked address, whatever it is asked. */
function pinned(target: LookupAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [target])
    else callback(null, target.address, target.family)
  }) as unknown as LookupFunction
}

async function readAtMost(body: AsyncIterable<Buffer> & { destroy(): unknown }, max: number): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    chunks.push(chunk)
    size += chunk.length
    if (size > max) {
      body.destroy()
      return { body: Buffer.concat(chunks).subarray(0, max), truncated: true }
    }
  }
  return { body: Buffer.concat(chunks), truncated: false }
}
