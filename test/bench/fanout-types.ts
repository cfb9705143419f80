// Messages exchanged between the fan-out orchestrator and its children.

export type ServerKind = 'real' | 'bare'

export interface ClientSpec {
  /** Conversation id (real server) or room name (bare server); sent as conversationId. */
  conversationId: string
  /** Access token for the real server; the bare server takes none. */
  token?: string
}

export interface LoadPlan {
  url: string
  clients: ClientSpec[]
  textBytes: number
}

export type Phase =
  /** Each client keeps `inflight` sends outstanding: as fast as acks allow. */
  | { mode: 'closed'; inflight: number }
  /** Each client sends `perClientRate` messages/s; a send is skipped when `maxInflight` are outstanding. */
  | { mode: 'rate'; perClientRate: number; maxInflight: number }

export interface LoadMark {
  at: number
  cpu: NodeJS.CpuUsage
  deliveries: number
  acks: number
  errors: number
  skipped: number
  /** Ack latencies (ms) since the previous mark, when asked for. */
  latencies: number[]
}

export interface ServerMark {
  at: number
  cpu: NodeJS.CpuUsage
  elu: { idle: number; active: number; utilization: number }
}
