// Tells the LAN about this server over mDNS/DNS-SD (_messenger._tcp) with
// its name, version, TLS and fingerprint, so the login screen can list it.
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { Bonjour } from 'bonjour-service'
import { SERVICE_TYPE, type MdnsOptions, type ServiceTxt } from '../../src/shared/discovery'
import type { Logger } from '../logger'
import type { AdvertisedAddress } from './advertise-address'
import { announceFixed } from './fixed-address'


export interface Advertisement {
  stop(): Promise<void>
}

export function serviceTxt(info: { name: string; version: string; fingerprint: string | null }): ServiceTxt {
  return {
    txtvers: '1',
    name: info.name,
    version: info.version,
    tls: info.fingerprint ? '1' : '0',
    ...(info.fingerprint ? { fp: info.fingerprint } : {})
  }
}

/** DNS-SD instance names must be unique on the link; the port tells two servers on one computer apart. */
const instanceName = (name: string, port: number): string => `${name.slice(0, 50)} (${port})`.split('.').join('-')

/**
 * Advertises this server: at this host's own addresses, or, with `address`,
 * at that address instead (a load balancer's). A host name is looked up
 * once, now; one that does not resolve leaves the server unadvertised (and
 * says so), never pointing clients at this node instead.
 */
export async function advertise(
  info: { name: string; version: string; fingerprint: string | null; port: number },
  mdns: MdnsOptions,
  log: Logger,
  address?: AdvertisedAddress
): Promise<Advertisement> {
  if (!address) return advertiseHere(info, mdns, log)
  const port = address.port ?? info.port
  let addresses: string[]
  try {
    addresses = isIP(address.host) ? [address.host] : (await lookup(address.host, { all: true })).map((a) => a.address)
  } catch (err) {
    log.warn({ err, address: address.host }, 'the advertise address does not resolve; not advertising on the LAN (clients can still connect by address)')
    return { stop: () => Promise.resolve() }
  }
  const host = isIP(address.host) ? `messenger-${address.host.replace(/[.:%]/g, '-')}.local` : address.host
  const name = instanceName(info.name, port)
  const fixed = announceFixed({ instance: name, type: `_${SERVICE_TYPE}._tcp.local`, port, txt: serviceTxt(info), host, addresses }, mdns, log)
  log.info({ type: `_${SERVICE_TYPE}._tcp`, name, address: address.host, addresses, port }, 'advertising the advertise address on the LAN')
  return fixed
}

function advertiseHere(info: { name: string; version: string; fingerprint: string | null; port: number }, mdns: MdnsOptions, log: Logger): Advertisement {
  // A network without multicast (or a port taken) must not stop the server: discovery is a convenience.
  const bonjour = new Bonjour(mdns, (err: Error) => log.warn({ err }, 'mDNS advertising failed; clients can still connect by address'))
  const service = bonjour.publish({
    name: instanceName(info.name, info.port),
    type: SERVICE_TYPE,
    port: info.port,
    txt: serviceTxt(info),
    // Probing waits ~750 ms for a conflict; the port in the name already avoids one.
    probe: false
  })
  service.on('error', (err: Error) => log.warn({ err }, 'mDNS advertising failed'))
  log.info({ type: `_${SERVICE_TYPE}._tcp`, name: service.name }, 'advertising on the LAN')
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        bonjour.unpublishAll(() => bonjour.destroy(() => resolve()))
      })
  }
}
