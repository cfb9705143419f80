// Child process: runs one server under test, alone, so process.cpuUsage() is
// the server's CPU (all threads, fsync included) and nothing else's. On
// PostgreSQL that is only this process: the database's CPU is sampled by the
// orchestrator (engines.ts, PgCpu).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type * as ServerModule from '../../server'
import { baselineModule } from './engines'
import { startBareServer } from './fanout-bare'
import type { ServerMark, ServerStart } from './fanout-types'
import { serve } from './rpc'

let close: (() => Promise<void>) | null = null
let dataDir: string | null = null

serve({
  start: async ({ kind, databaseUrl, redisUrl, baselineDir }: ServerStart) => {
    if (kind === 'bare') {
      const bare = await startBareServer()
      close = () => bare.close()
      return bare.port
    }
    // Only the module of the contender is loaded into this process.
    const { createMessengerServer, silentLogger } =
      kind === 'baseline' ? await baselineModule<typeof ServerModule>({ dir: baselineDir! }, 'server/index.ts') : await import('../../server')
    if (kind === 'postgres' && !databaseUrl) throw new Error('a postgres contender needs its databaseUrl')
    dataDir = await mkdtemp(join(tmpdir(), 'bench-fanout-'))
    const server = createMessengerServer({
      dataDir,
      ...(kind === 'postgres' ? { databaseUrl } : {}),
      ...(kind === 'postgres' && redisUrl ? { redisUrl } : {}),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger(),
      scryptN: 2 ** 14,
      loginLimit: { windowMs: 60_000, max: 100_000 },
      // Every load generator's socket comes from 127.0.0.1: no bound per address.
      maxConnectionsPerAddress: 0,
      // A few senders stand for a whole office here: they send far past one person's budget on purpose.
      sendLimits: false,
      // BENCH_METRICS=on: our server (not the baseline) counts for /metrics, to measure what that costs
      // against the same code without (BENCH_BASELINE_DIR=this checkout).
      ...(kind !== 'baseline' && process.env['BENCH_METRICS'] === 'on' ? { metricsToken: 'bench-metrics-token-0123456789' } : {})
    })
    const { port } = await server.listen()
    close = () => server.close()
    return port
  },
  mark: (): ServerMark => ({ at: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() }),
  exit: async () => {
    await close?.()
    if (dataDir) await rm(dataDir, { recursive: true, force: true })
  }
})
