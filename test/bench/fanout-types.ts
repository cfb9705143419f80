// Messages exchanged between the fan-out orchestrator and its children.
import type { LoadPhase } from './pacer'

/**
 * The contenders: our server on the data directory ('real') or on PostgreSQL,
 * our server at an older commit on the data directory ('baseline',
 * BENCH_BASELINE_DIR), and the bare Socket.IO server.
 */
export type ServerKind = 'real' | 'postgres' | 'baseline' | 'bare'

export interface ServerStart {
  kind: ServerKind
  /** postgres: the fresh database the server is given. */
  databaseUrl?: string
  /** postgres: a node of several on that database, joined through this Redis (the several-nodes benchmark). */
  redisUrl?: string
  /** baseline: the checkout whose server/index.ts is run. */
  baselineDir?: string
}

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

/** Every client is a sender: `perSenderRate` is per client. */
export type Phase = LoadPhase

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
