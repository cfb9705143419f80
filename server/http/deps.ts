import type { Broadcaster } from '../realtime/broadcaster'
import type { Services } from '../services'

export interface RouteDeps {
  services: Services
  realtime: Broadcaster
  version: string
  /** Told to anyone who asks (GET /health): name, and the TLS fingerprint when served over HTTPS. */
  identity: { name: string; fingerprint: string | null }
}
