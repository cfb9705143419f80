// Where the server this app hosts listens, and whether it tells the LAN
// about itself: the person's choice in the hosting panel, kept in the
// hosting settings and applied when the server (re)starts.
import { z } from 'zod'

/** An IP address of this computer (IPv4 or IPv6, no zone). */
export const ListenAddress = z.union([z.ipv4(), z.ipv6()])

/**
 * all: every interface (0.0.0.0; the LAN), the default. interface: one of
 * this computer's addresses. local: this computer only (127.0.0.1).
 */
export const HostingListen = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({ mode: z.literal('interface'), address: ListenAddress }),
  z.strictObject({ mode: z.literal('local') })
])
export type HostingListen = z.infer<typeof HostingListen>

/** A change to where it listens and whether it is advertised (mDNS); at least one. */
export const HostingNetworkChoice = z
  .strictObject({ listen: HostingListen.optional(), advertise: z.boolean().optional() })
  .refine((c) => c.listen !== undefined || c.advertise !== undefined, { message: 'give listen or advertise' })

/** One address of one of this computer's network interfaces, as the panel lists them. */
export interface HostingInterface {
  /** The operating system's name for it: eth0, Wi-Fi, en0. */
  name: string
  address: string
  family: 'IPv4' | 'IPv6'
}

/** What the server is bound to for a choice: 0.0.0.0, the address, or 127.0.0.1. */
export function listenHostOf(listen: HostingListen): string {
  return listen.mode === 'all' ? '0.0.0.0' : listen.mode === 'local' ? '127.0.0.1' : listen.address
}

/** Advertising on the LAN means nothing for a server only this computer can reach. */
export function advertisedFor(listen: HostingListen, advertise: boolean): boolean {
  return advertise && listen.mode !== 'local'
}
