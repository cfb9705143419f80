// Child process: the server under load, alone, so its memory and CPU are its own.
// BENCH_ENGINE=postgres: the server keeps its data in a fresh PostgreSQL
// database (BENCH_DATABASE_URL or MESSENGER_TEST_DATABASE_URL), dropped at the
// end unless BENCH_KEEP_DATA=1; its CPU is then this process's only.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeHeapSnapshot } from 'node:v8'
import { createMessengerServer, silentLogger } from '../../server'
import { type BenchDatabase, benchEngines, createBenchDatabase } from '../bench/engines'
import { serve } from '../bench/rpc'
import type { ServerMark } from './load-types'

let close: (() => Promise<void>) | null = null
let dataDir: string | null = null
let database: BenchDatabase | null = null
/** Set when the child runs with --expose-gc (LOAD_DIAG=1): marks then also measure after a full GC. */
const gc = (globalThis as { gc?: () => void }).gc

serve({
  /** With `databaseUrl` (and `redisUrl`) this is one node of several on a database the orchestrator made (load-nodes.ts). */
  start: async ({ sockets, groupSize, databaseUrl, redisUrl }: { sockets: number; groupSize: number; databaseUrl?: string; redisUrl?: string }) => {
    const engines = benchEngines()
    if (engines.length !== 1) throw new Error('bench:load runs one engine: BENCH_ENGINE=data-dir or postgres')
    if (engines[0] === 'postgres' && !databaseUrl) database = await createBenchDatabase('load')
    dataDir = await mkdtemp(join(tmpdir(), 'load-'))
    const url = databaseUrl ?? database?.url
    const server = createMessengerServer({
      dataDir,
      ...(url ? { databaseUrl: url } : {}),
      ...(redisUrl ? { redisUrl } : {}),
      port: 0,
      host: '127.0.0.1',
      logger: silentLogger(),
      // Signing up 10,000 users is set-up, not what is measured.
      scryptN: 2 ** 10,
      loginLimit: { windowMs: 60_000, max: 1_000_000 },
      // Every load generator's socket comes from 127.0.0.1: no bound per address.
      maxConnectionsPerAddress: 0,
      // The send limits stay on (a person's rate is far below them); LOAD_SEND_LIMITS=off measures what they cost.
      ...(process.env['LOAD_SEND_LIMITS'] === 'off' ? { sendLimits: false as const } : {}),
      // Every group is busy; run.sh raised the descriptor limit for the sockets and these.
      openConversations: Math.max(512, Math.ceil(sockets / groupSize) + 64)
    })
    const { port } = await server.listen()
    close = () => server.close()
    return port
  },
  mark: (): ServerMark => {
    const m = process.memoryUsage()
    const mark: ServerMark = { rss: m.rss, heapUsed: m.heapUsed, cpu: process.cpuUsage(), at: Date.now() }
    if (gc) {
      // What live objects hold, apart from garbage not yet collected and from native memory.
      gc()
      const after = process.memoryUsage()
      mark.afterGc = { rss: after.rss, heapTotal: after.heapTotal, heapUsed: after.heapUsed, external: after.external, arrayBuffers: after.arrayBuffers }
    }
    return mark
  },
  /** Writes a heap snapshot (for DevTools' comparison view) and returns its path. */
  snapshot: ({ dir, name }: { dir: string; name: string }) => writeHeapSnapshot(join(dir, `${name}.heapsnapshot`)),
  exit: async () => {
    try {
      await close?.()
      if (dataDir) await rm(dataDir, { recursive: true, force: true })
    } finally {
      await database?.drop()
    }
  }
})
