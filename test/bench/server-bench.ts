// npm run bench:server — fan-out throughput against bare Socket.IO, and
// message-store cost as history grows. Results update docs/benchmarks.md.
//
//   BENCH_PART=fanout|store      run one part only
//   BENCH_PART=cluster           one node against two joined through Redis, on PostgreSQL
//                                (not in a plain run; see clusterConfig in cluster-run.ts)
//   BENCH_CLIENTS, BENCH_GROUP_SIZE, BENCH_LOADGENS, BENCH_ROUNDS, BENCH_WARMUP_S,
//   BENCH_DURATION_S, BENCH_INFLIGHT, BENCH_RATE, BENCH_PROFILE_DIR   (fan-out, see fanoutConfig)
//   BENCH_STORE_LEVELS, BENCH_APPENDS, BENCH_APPENDERS, BENCH_SPREAD_CONVERSATIONS,
//   BENCH_SPREAD_SIZE, BENCH_START_RUNS, BENCH_KEEP_DATA=1            (store, see storeConfig)
//   BENCH_ENGINE=data-dir|postgres|both       our server's storage engine(s), measured in the same run
//   BENCH_DATABASE_URL (or MESSENGER_TEST_DATABASE_URL)   PostgreSQL server (role with CREATEDB)
//   BENCH_BASELINE_DIR=<checkout>             that checkout's server too, on the data directory
//                                             (see test/bench/engines.ts)
//   BENCH_METRICS=on                          our server with --metrics-token (the baseline without): with
//                                             BENCH_BASELINE_DIR=. it measures what metrics cost
import { relative } from 'node:path'
import { renderCluster } from './cluster-report'
import { runCluster } from './cluster-run'
import { runFanout } from './fanout-run'
import { DOC_PATH, renderFanout, renderStore, type Section, updateDoc } from './report'
import { runStoreGrowth } from './store-growth'
import { describeMachine, log, machine } from './util'

async function main(): Promise<void> {
  const part = process.env['BENCH_PART'] ?? 'all'
  if (!['all', 'fanout', 'store', 'cluster'].includes(part)) throw new Error(`BENCH_PART must be fanout, store or cluster, got ${part}`)
  const started = performance.now()
  log(`server benchmark: ${describeMachine(machine())}`)
  const write = (sections: Section[]): void => {
    for (const { heading, body } of sections) {
      updateDoc(heading, body)
      log(`\n${body}`)
    }
  }
  if (part === 'all' || part === 'fanout') write(renderFanout(await runFanout(), machine()))
  if (part === 'all' || part === 'store') write(renderStore(await runStoreGrowth(), machine()))
  if (part === 'cluster') write([renderCluster(await runCluster(), machine())])
  log(`updated ${relative(process.cwd(), DOC_PATH)} in ${((performance.now() - started) / 1000).toFixed(0)} s`)
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
