// Messages between the several-nodes orchestrator (cluster-run.ts) and its
// load generators (cluster-loadgen.ts).
import type { LoadPhase } from './pacer'

/**
 * The contenders: one node as deployed today (no Redis); one node with the
 * Redis adapter (every broadcast also goes through Redis, nothing crosses);
 * two nodes on one database and Redis, senders on node 1, receivers on node 2.
 */
export type ClusterKind = 'single' | 'single-redis' | 'two'

export interface ClusterClient {
  /** The node this socket connects to. */
  url: string
  token: string
  conversationId: string
  /** Senders send; receivers count deliveries and time them (a group has one sender). */
  sender: boolean
}

export type ClusterPhase = LoadPhase

export interface ClusterLoadMark {
  cpu: NodeJS.CpuUsage
  deliveries: number
  acks: number
  errors: number
  skipped: number
  /** Send to `message:new` on a receiver (ms), since the previous mark: sparse histogram (test/load/histogram.ts). */
  delivery: [number, number][]
  /** Send to ack (ms), since the previous mark. */
  ack: [number, number][]
}
