import type { ServerMetrics } from '../metrics/metrics'
import type { Broadcaster } from '../realtime/broadcaster'
import type { Services } from '../services'

export interface RouteDeps {
  services: Services
  realtime: Broadcaster
  version: string
  /** Told to anyone who asks (GET /health): name, and the TLS fingerprint when served over HTTPS. */
  identity: { name: string; fingerprint: string | null }
  /** With --metrics-token: what GET /metrics tells, and its token. */
  metrics?: { metrics: ServerMetrics; token: string } | null
}
