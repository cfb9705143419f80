// What a messenger server says about itself over mDNS/DNS-SD (service type
// _messenger._tcp): its TXT record keys, and the parsed form clients show.
// Discovery is a hint: the fingerprint, checked on connection, is the identity.

export const SERVICE_TYPE = 'messenger'

/** TXT keys, short as DNS-SD asks. */
export interface ServiceTxt {
  /** Protocol of this TXT layout. */
  txtvers: '1'
  name: string
  version: string
  /** '1' for HTTPS + WSS, '0' for plain HTTP. */
  tls: '1' | '0'
  /** SHA-256 certificate fingerprint; absent without TLS. */
  fp?: string
}

export interface DiscoveredServer {
  /** Stable within one browse: the DNS-SD instance name. */
  id: string
  name: string
  /** Where to connect: first advertised IPv4 address (or the sender's), and the port. */
  url: string
  addresses: string[]
  port: number
  tls: boolean
  fingerprint: string | null
  version: string
}

/** multicast-dns socket options, for server and browser alike; tests use a private port so they never meet a real network's mDNS. */
export interface MdnsOptions {
  port?: number
  interface?: string
  ip?: string
}
