// Tells the LAN about this server over mDNS/DNS-SD (_messenger._tcp) with
// its name, version, TLS and fingerprint, so the login screen can list it.
import { Bonjour } from 'bonjour-service'
import { SERVICE_TYPE, type MdnsOptions, type ServiceTxt } from '../../src/shared/discovery'
import type { Logger } from '../logger'


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

export function advertise(
  info: { name: string; version: string; fingerprint: string | null; port: number },
  mdns: MdnsOptions,
  log: Logger
): Advertisement {
  // A network without multicast (or a port taken) must not stop the server: discovery is a convenience.
  const bonjour = new Bonjour(mdns, (err: Error) => log.warn({ err }, 'mDNS advertising failed; clients can still connect by address'))
  const service = bonjour.publish({
    // DNS-SD instance names must be unique on the link; the port tells two servers on one computer apart.
    name: `${info.name.slice(0, 50)} (${info.port})`,
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
