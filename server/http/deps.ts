import type { Broadcaster } from '../realtime/broadcaster'
import type { Services } from '../services'

export interface RouteDeps {
  services: Services
  realtime: Broadcaster
  version: string
}
