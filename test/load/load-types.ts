// Messages between the load orchestrator and its child processes.

export interface LoadClient {
  token: string
  conversationId: string
  /** With several nodes (LOAD_NODES): the node this socket connects to, by index and address. */
  node?: number
  url?: string
}

export interface GenMark {
  sent: number
  acks: number
  deliveries: number
  /** Refused sends, ack timeouts, disconnects and failed connects. */
  errors: number
  errorKinds: Record<string, number>
  connected: number
  /** CPU microseconds (user + system) this generator used since the previous mark. */
  cpuUs: number
  /** Delivery latency (send to message:new on another socket), sparse histogram. */
  delivery: [number, number][]
  ack: [number, number][]
  /** The same deliveries split by whether the sender's socket was on another node than the receiver's (LOAD_NODES > 1). */
  crossNode: [number, number][]
  sameNode: [number, number][]
}

export interface ServerMark {
  rss: number
  heapUsed: number
  cpu: NodeJS.CpuUsage
  at: number
  /** With LOAD_DIAG=1 only: memory right after a forced full GC. */
  afterGc?: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number }
}
