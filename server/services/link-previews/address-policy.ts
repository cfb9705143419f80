// Which addresses the link-preview fetcher may connect to, decided on the
// address a name resolved to (never on the name), with ipaddr.js's ranges.
import ipaddr from 'ipaddr.js'
import type { LinkPreviewsMode } from '../../../src/shared/schemas/admin'

/** True when the fetcher may connect to this IP address (v4 or v6, as text). */
export type AddressPolicy = (address: string) => boolean

/**
 * `public`: only global unicast. That refuses loopback, private (10/8,
 * 172.16/12, 192.168/16), carrier-grade NAT (100.64/10), link-local,
 * unique-local, multicast, unspecified, broadcast, documentation and other
 * reserved ranges, and the IPv6 forms that embed an IPv4 address (mapped,
 * 6to4, Teredo, NAT64), which could hide any of those.
 */
const PUBLIC_RANGES = new Set(['unicast'])

/**
 * `all`: LAN and intranet pages are the point on a LAN, and a page on the
 * server's own machine is one of them (so loopback is allowed too); what can
 * never be one host's page stays refused.
 */
const NEVER = new Set(['unspecified', 'multicast', 'broadcast', 'reserved'])

export function addressPolicy(mode: Exclude<LinkPreviewsMode, 'off'>): AddressPolicy {
  return (address) => {
    if (!ipaddr.isValid(address)) return false
    // process() turns an IPv4-mapped IPv6 address into its IPv4 one, so both forms get one answer.
    const range = ipaddr.process(address).range()
    return mode === 'public' ? PUBLIC_RANGES.has(range) : !NEVER.has(range)
  }
}
