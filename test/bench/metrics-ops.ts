// npx tsx test/bench/metrics-ops.ts — the CPU the metrics add to one message
// on the hot path, measured alone: what server/metrics/*, the broadcaster and
// the handlers do per message:send (the accepted counter, the ack histogram
// with its two clock reads, the room look-up and the deliveries counter, one
// fsync observation per 4 sends as group commit gives at saturation), in a
// loop, on the real prom-client objects; and the time of one scrape. The
// fan-out bench (BENCH_METRICS=on) measures the whole server, whose noise on a
// shared machine is larger than this cost.
import { performance } from 'node:perf_hooks'
import { createServerMetrics } from '../../server/metrics/metrics'

const metrics = createServerMetrics('data-dir')
// 20 groups of 10 sockets, as in the fan-out bench.
const rooms = new Map<string, Set<string>>()
for (let g = 0; g < 20; g++) rooms.set(`conv:${g}`, new Set(Array.from({ length: 10 }, (_, i) => `s${g}-${i}`)))

function oneMessage(i: number): void {
  const received = performance.now()
  metrics.messagesAccepted.inc()
  if (i % 4 === 0) {
    const syncing = performance.now()
    metrics.durableWriteSeconds.observe((performance.now() - syncing) / 1000)
  }
  metrics.ackSeconds.observe((performance.now() - received) / 1000)
  const sockets = rooms.get(`conv:${i % 20}`)!
  metrics.deliveries.inc(sockets.size - (sockets.has(`s${i % 20}-0`) ? 1 : 0))
}

async function main(): Promise<void> {
  const N = 2_000_000
  for (let i = 0; i < 200_000; i++) oneMessage(i)
  const perMessageNs: number[] = []
  for (let round = 0; round < 5; round++) {
    const before = process.cpuUsage()
    for (let i = 0; i < N; i++) oneMessage(i)
    const used = process.cpuUsage(before)
    perMessageNs.push(((used.user + used.system) * 1000) / N)
  }
  perMessageNs.sort((a, b) => a - b)
  const median = perMessageNs[2]!
  process.stdout.write(`per message: ${median.toFixed(0)} ns CPU (median of 5 × ${N}); per delivery (9 a message): ${(median / 9).toFixed(1)} ns\n`)
  const started = performance.now()
  for (let i = 0; i < 100; i++) await metrics.registry.metrics()
  process.stdout.write(`one scrape: ${((performance.now() - started) / 100).toFixed(2)} ms, ${(await metrics.registry.metrics()).length} bytes\n`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
