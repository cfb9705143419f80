import { networkInterfaces } from 'node:os'

/** This computer's LAN addresses (IPv4, not loopback): what colleagues type or scan. */
export function lanAddresses(): string[] {
  const found: string[] = []
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) found.push(entry.address)
    }
  }
  return found
}
