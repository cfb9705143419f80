// What a server counts for Prometheus (GET /metrics, with --metrics-token).
// One registry per server instance, never prom-client's global one: several
// servers run in one process (tests, benchmarks), each with its own numbers.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/** Sub-millisecond to seconds: an ack is about 1 ms at ordinary load, an fsync a fraction of one. */
const FAST_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

export interface ServerMetrics {
  readonly registry: Registry
  readonly messagesAccepted: Counter
  readonly deliveries: Counter
  readonly ackSeconds: Histogram
  /** The data directory's fsyncs of new messages, or PostgreSQL's append statements (their commit included). */
  readonly durableWriteSeconds: Histogram
  readonly httpSeconds: Histogram<'method' | 'route' | 'status_code'>
  readonly uploadBytes: Counter
  readonly downloadBytes: Counter
  /** Where the connected-sockets gauge reads its number at each scrape (nothing is counted per connection). */
  countSockets(count: () => number): void
  /** Where the running-calls gauge reads its number at each scrape. */
  countCalls(count: () => Promise<number>): void
}

export function createServerMetrics(engine: 'data-dir' | 'postgres'): ServerMetrics {
  const registry = new Registry()
  const registers = [registry]
  // Event-loop lag, heap, resident memory, CPU, handles: the names every Node dashboard knows.
  collectDefaultMetrics({ register: registry })
  let sockets = (): number => 0
  new Gauge({
    name: 'messenger_sockets_connected',
    help: 'Signed-in Socket.IO connections open on this node',
    registers,
    collect() {
      this.set(sockets())
    }
  })
  let calls = (): Promise<number> => Promise.resolve(0)
  new Gauge({
    name: 'messenger_calls_running',
    help: 'Calls ringing or running (with several nodes: over all of them, as every node sees the same)',
    registers,
    async collect() {
      this.set(await calls())
    }
  })
  return {
    registry,
    countSockets: (count) => void (sockets = count),
    countCalls: (count) => void (calls = count),
    messagesAccepted: new Counter({ name: 'messenger_messages_accepted_total', help: 'New messages stored and acknowledged (a retry of one already stored is not counted)', registers }),
    deliveries: new Counter({
      name: 'messenger_message_deliveries_total',
      help: "message:new events this node's broadcasts sent to its own sockets",
      registers
    }),
    ackSeconds: new Histogram({
      name: 'messenger_message_ack_seconds',
      help: 'message:send from its receipt to its acknowledgement (after the message is durable), for sends that succeeded',
      buckets: FAST_BUCKETS,
      registers
    }),
    durableWriteSeconds:
      engine === 'postgres'
        ? new Histogram({
            name: 'messenger_message_commit_seconds',
            help: 'PostgreSQL: one statement appending a batch of new messages, from asking the pool for a connection to its answer (the commit included)',
            buckets: FAST_BUCKETS,
            registers
          })
        : new Histogram({
            name: 'messenger_message_fsync_seconds',
            help: 'Data directory: one fsync (fdatasync) of a batch of new messages before their acks',
            buckets: FAST_BUCKETS,
            registers
          }),
    httpSeconds: new Histogram({
      name: 'messenger_http_request_duration_seconds',
      help: 'HTTP requests from their start until the response is finished or cut, by route pattern (unmatched: no route)',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: HTTP_BUCKETS,
      registers
    }),
    uploadBytes: new Counter({ name: 'messenger_upload_bytes_total', help: "Bytes of uploads written to files' storage", registers }),
    downloadBytes: new Counter({ name: 'messenger_download_bytes_total', help: 'Bytes of files sent to downloaders', registers })
  }
}
