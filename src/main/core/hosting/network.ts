import { networkInterfaces } from 'node:os'
import type { HostingInterface } from '../../../shared/schemas/hosting'

/** This computer's LAN addresses (IPv4, not loopback): what colleagues type or scan. */
export function lanAddresses(interfaces = hostInterfaces()): string[] {
  return interfaces
    .filter((i) => i.family === 'IPv4')
    .map((i) => i.address)
}

/**
 * The addresses the server may listen on alone, with their interface names.
 * Loopback is the "this computer only" choice; IPv6 link-local addresses
 * (fe80::/10) are left out: binding one needs a zone (%eth0) that URLs and
 * invite links cannot carry.
 */
export function hostInterfaces(): HostingInterface[] {
  const found: HostingInterface[] = []
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue
      if (entry.family === 'IPv6' && /^fe[89ab]/i.test(entry.address)) continue
      found.push({ name, address: entry.address, family: entry.family })
    }
  }
  return found
}

/** An address as it goes in a URL: IPv6 in brackets. */
export function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address
}
