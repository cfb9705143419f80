// Browses the LAN for messenger servers (mDNS/DNS-SD, _messenger._tcp) while
// the login screen is open, and reports the live list on every change.
import { Bonjour, type Browser, type Service } from 'bonjour-service'
import { SERVICE_TYPE, type DiscoveredServer, type MdnsOptions } from '../../../shared/discovery'
import type { Logger } from '../logger'
import { parseService } from './parse'


/** Ask again this often, so servers whose announcement was missed appear, and gone ones expire. */
const REQUERY_MS = 15_000

export class DiscoveryBrowser {
  private bonjour: Bonjour | null = null
  private browser: Browser | null = null
  private timer: NodeJS.Timeout | null = null
  private readonly found = new Map<string, DiscoveredServer>()

  constructor(
    private readonly mdns: MdnsOptions,
    private readonly onChange: (servers: DiscoveredServer[]) => void,
    private readonly log: Logger
  ) {}

  get browsing(): boolean {
    return this.browser !== null
  }

  list(): DiscoveredServer[] {
    return [...this.found.values()].sort((a, b) => a.name.localeCompare(b.name))
  }

  start(): void {
    if (this.browser) return
    // No multicast on this network (or the port is taken): the list stays empty; addresses and invite links still work.
    this.bonjour = new Bonjour(this.mdns, (err: Error) => this.log.warn('LAN discovery failed', { err }))
    this.browser = this.bonjour.find({ type: SERVICE_TYPE })
    this.browser.on('up', (s: Service) => this.put(s))
    this.browser.on('txt-update', (s: Service) => this.put(s))
    this.browser.on('srv-update', (s: Service) => this.put(s))
    this.browser.on('down', (s: Service) => {
      if (this.found.delete(s.name)) this.onChange(this.list())
    })
    this.timer = setInterval(() => {
      this.browser?.expire()
      this.browser?.update()
    }, REQUERY_MS)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.browser?.stop()
    this.browser = null
    this.bonjour?.destroy()
    this.bonjour = null
    this.found.clear()
  }

  private put(service: Service): void {
    const server = parseService(service)
    if (!server) return this.log.debug('ignored a malformed discovery answer', { name: service.name })
    this.found.set(service.name, server)
    this.onChange(this.list())
  }
}
