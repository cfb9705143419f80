// A DNS-SD answer for _messenger._tcp into what the login screen lists. The
// answer is unauthenticated: anything on the LAN can send one, so it is only
// a hint; the fingerprint is checked against the real certificate on connect.
import type { DiscoveredServer } from '../../../shared/discovery'
import { normalizeFingerprint } from '../../../shared/fingerprint'

/** The parts of a bonjour-service Service that matter here. */
export interface ServiceAnswer {
  name?: unknown
  port?: unknown
  addresses?: unknown
  referer?: { address?: unknown } | null
  txt?: unknown
}

const TEXT_MAX = 100

export function parseService(service: ServiceAnswer): DiscoveredServer | null {
  const txt = (service.txt && typeof service.txt === 'object' ? service.txt : {}) as Record<string, unknown>
  const port = service.port
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return null
  if (typeof service.name !== 'string' || service.name.length === 0) return null
  const addresses = (Array.isArray(service.addresses) ? service.addresses : []).filter((a): a is string => typeof a === 'string' && isIp(a))
  const sender = typeof service.referer?.address === 'string' && isIp(service.referer.address) ? service.referer.address : null
  // IPv4 first: link-local IPv6 needs a zone id a URL cannot carry portably.
  const host = addresses.find(isIpv4) ?? sender ?? addresses[0]
  if (!host) return null
  const tls = text(txt['tls']) !== '0'
  const fingerprint = tls ? normalizeFingerprint(text(txt['fp'])) : null
  return {
    id: service.name.slice(0, 255),
    name: (text(txt['name']) || service.name).slice(0, TEXT_MAX),
    url: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    addresses: [...new Set([...addresses, ...(sender ? [sender] : [])])],
    port,
    tls,
    fingerprint,
    version: text(txt['version']).slice(0, 40)
  }
}

function text(value: unknown): string {
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return ''
}

function isIpv4(address: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(address)
}

function isIp(address: string): boolean {
  return isIpv4(address) || /^[0-9a-f:]+$/i.test(address)
}
