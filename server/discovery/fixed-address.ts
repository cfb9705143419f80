// Advertising an address other than this host's own (--advertise-address, a
// load balancer's): bonjour-service always answers with this host's interface
// addresses and cannot be told others, so these few records are announced
// and answered with multicast-dns, which bonjour-service itself runs on. Every
// node given the same address and name announces identical records, which
// mDNS allows: clients list the deployment once, whichever nodes are up.
import { isIP } from 'node:net'
import type { Answer, Question, StringAnswer, SrvAnswer, TxtAnswer } from 'dns-packet'
import makeMdns from 'multicast-dns'
import type { MdnsOptions, ServiceTxt } from '../../src/shared/discovery'
import type { Logger } from '../logger'

export interface FixedService {
  /** The DNS-SD instance name (unique on the link). */
  instance: string
  /** e.g. _messenger._tcp.local */
  type: string
  port: number
  txt: ServiceTxt
  /** What A/AAAA records name: the given host name, or one made from the IP address. */
  host: string
  /** IPv4 and IPv6 addresses of `host`. */
  addresses: string[]
}

/** Repeats of the announcement after the first, as RFC 6762 8.3 asks (at least one, a second apart). */
const ANNOUNCE_AGAIN_MS = [1000, 3000]

export function serviceRecords(service: FixedService): Answer[] {
  const fqdn = `${service.instance}.${service.type}`
  // Short-lived (2 minutes, where bonjour-service gives 8 hours): with no
  // goodbye, this is how long clients keep listing a deployment none of whose nodes answers.
  const ptr: StringAnswer = { name: service.type, type: 'PTR', ttl: 120, data: fqdn }
  const browse: StringAnswer = { name: '_services._dns-sd._udp.local', type: 'PTR', ttl: 120, data: service.type }
  const srv: SrvAnswer = { name: fqdn, type: 'SRV', ttl: 120, data: { port: service.port, target: service.host } }
  const txt: TxtAnswer = { name: fqdn, type: 'TXT', ttl: 120, data: Object.entries(service.txt).map(([k, v]) => `${k}=${v}`) }
  const addresses = service.addresses.map(
    (ip): StringAnswer => ({ name: service.host, type: isIP(ip) === 6 ? 'AAAA' : 'A', ttl: 120, data: ip })
  )
  return [ptr, browse, srv, txt, ...addresses]
}

/** What answers a question: the records of its name and type (dns-packet reads type 255 as 'ANY', which its types omit); a browse for the service type also gets the rest, as additionals. */
function answer(records: Answer[], question: Question): { answers: Answer[]; additionals: Answer[] } {
  const name = question.name.toLowerCase()
  const answers = records.filter((r) => r.name.toLowerCase() === name && ((question.type as string) === 'ANY' || r.type === question.type))
  const additionals = answers.some((r) => r.type === 'PTR' && r.name !== '_services._dns-sd._udp.local') ? records.filter((r) => r.type !== 'PTR') : []
  return { answers, additionals }
}

export function announceFixed(service: FixedService, mdns: MdnsOptions, log: Logger): { stop(): Promise<void> } {
  const records = serviceRecords(service)
  const responder = makeMdns(mdns)
  responder.on('error', (err: Error) => log.warn({ err }, 'mDNS advertising failed; clients can still connect by address'))
  responder.on('warning', (err: Error) => log.warn({ err }, 'mDNS advertising warning'))
  responder.on('query', (query) => {
    const replies = query.questions.map((q) => answer(records, q))
    const answers = replies.flatMap((r) => r.answers)
    if (answers.length === 0) return
    const additionals = replies.flatMap((r) => r.additionals).filter((r) => !answers.includes(r))
    responder.respond({ answers, additionals: [...new Set(additionals)] })
  })
  const announce = (): void => responder.respond(records)
  announce()
  const timers = ANNOUNCE_AGAIN_MS.map((ms) => setTimeout(announce, ms).unref())
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        timers.forEach(clearTimeout)
        // No goodbye (TTL 0): one node going away does not take the balancer's
        // address with it. Once no node answers, clients drop it as it expires.
        responder.destroy(() => resolve())
      })
  }
}
