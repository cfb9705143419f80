// --advertise-address: what mDNS tells clients to connect to instead of this
// host, e.g. the load balancer in front of several nodes. An IP address or a
// host name, with an optional port (the balancer's, when it differs from the
// node's): 10.0.0.5, 10.0.0.5:7450, fd00::5, [fd00::5]:7450, chat.lan:443.
import { isIP } from 'node:net'

export interface AdvertisedAddress {
  /** An IP address or a DNS host name. */
  host: string
  /** Null: the port this node listens on. */
  port: number | null
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

/** The address, or null when the text is none of the forms above. */
export function parseAdvertiseAddress(text: string): AdvertisedAddress | null {
  const trimmed = text.trim()
  if (isIP(trimmed) === 6) return { host: trimmed, port: null }
  const match = /^\[([0-9a-f:.]+)\](?::(\d+))?$/i.exec(trimmed) ?? /^([^:[\]]+)(?::(\d+))?$/.exec(trimmed)
  if (!match) return null
  const host = match[1]!
  const bracketed = trimmed.startsWith('[')
  if (bracketed ? isIP(host) !== 6 : isIP(host) !== 4 && !HOST_NAME.test(host)) return null
  if (match[2] === undefined) return { host, port: null }
  const port = Number(match[2])
  return port >= 1 && port <= 65535 ? { host, port } : null
}
