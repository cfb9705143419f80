// The server this app hosts, and the servers found on the LAN.
import type { DiscoveredServer, HostingInvite, HostingStatus } from '../../../shared/ipc'
import type { HostingListen } from '../../../shared/schemas/hosting'
import { api, unwrap } from '../lib/api'
import type { Slice } from './types'

export interface HostingSlice {
  /** null until asked (Settings → Host a server, or the first-run screen). */
  hosting: HostingStatus | null
  /** Live while the first-run screen is open. */
  servers: DiscoveredServer[]
  setHosting(status: HostingStatus): void
  setServers(servers: DiscoveredServer[]): void
  loadHosting(): Promise<void>
  startHosting(choices: { port?: number; name?: string }): Promise<HostingStatus>
  stopHosting(): Promise<void>
  setHostingAutoStart(autoStart: boolean): Promise<void>
  /** Where it listens and whether it is advertised; applied when it (re)starts. */
  setHostingNetwork(choice: { listen?: HostingListen; advertise?: boolean }): Promise<void>
  /** Stops and starts it again with the saved choices ("Restart to apply"). */
  restartHosting(): Promise<void>
  /** The invite link (and QR) of the hosted server; `invite` adds a sign-up invite code for an invite-only server. */
  hostingInvite(serverUrl?: string, invite?: string): Promise<HostingInvite>
  startDiscovery(): Promise<void>
  stopDiscovery(): void
}

export const createHostingSlice: Slice<HostingSlice> = (set, get) => ({
  hosting: null,
  servers: [],
  setHosting(hosting) {
    set({ hosting })
  },
  setServers(servers) {
    set({ servers })
  },
  async loadHosting() {
    get().setHosting(await unwrap(api().hosting.status()))
  },
  async startHosting(choices) {
    const status = await unwrap(api().hosting.start(choices))
    get().setHosting(status)
    return status
  },
  async stopHosting() {
    get().setHosting(await unwrap(api().hosting.stop()))
  },
  async setHostingAutoStart(autoStart) {
    get().setHosting(await unwrap(api().hosting.setAutoStart({ autoStart })))
  },
  async setHostingNetwork(choice) {
    get().setHosting(await unwrap(api().hosting.setNetwork(choice)))
  },
  async restartHosting() {
    get().setHosting(await unwrap(api().hosting.stop()))
    get().setHosting(await unwrap(api().hosting.start({})))
  },
  hostingInvite(serverUrl, invite) {
    return unwrap(api().hosting.invite({ ...(serverUrl ? { serverUrl } : {}), ...(invite ? { invite } : {}) }))
  },
  async startDiscovery() {
    get().setServers(await unwrap(api().discovery.start()))
  },
  stopDiscovery() {
    void api().discovery.stop()
    set({ servers: [] })
  }
})
