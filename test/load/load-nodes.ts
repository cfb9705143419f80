// The server(s) under load, each alone in a child process (load-server.ts).
// One node by default; LOAD_NODES=2 (or more; PostgreSQL only) starts them on
// one fresh database joined through a private redis-server, as
// docs/scaling.md deploys them, and samples Redis's CPU too.
import { join } from 'node:path'
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis'
import { type BenchDatabase, benchEngines, createBenchDatabase } from '../bench/engines'
import { RedisCpu } from '../bench/redis-cpu'
import { Child } from '../bench/rpc'
import type { ServerMark } from './load-types'

export interface LoadNodes {
  /** One address per node, node 0 first. */
  urls: string[]
  /** Every node's memory and CPU now, in node order. */
  mark(): Promise<ServerMark[]>
  /** redis-server's CPU (µs) since it started; NaN with one node. */
  redisCpuUs(): Promise<number>
  /** Heap snapshots of every node; their paths. */
  snapshot(dir: string, name: string): Promise<string[]>
  stop(): Promise<void>
}

export async function startLoadNodes(count: number, execArgv: string[], size: { sockets: number; groupSize: number }): Promise<LoadNodes> {
  if (count > 1 && benchEngines().join() !== 'postgres') throw new Error('LOAD_NODES > 1 runs on PostgreSQL: set BENCH_ENGINE=postgres')
  const nodes: Child[] = []
  let database: BenchDatabase | null = null
  let redis: PrivateRedis | null = null
  let redisCpu: RedisCpu | null = null
  const stop = async (): Promise<void> => {
    try {
      for (const n of nodes.reverse()) await n.stop(60_000)
    } finally {
      await redisCpu?.close()
      await redis?.destroy()
      await database?.drop()
    }
  }
  try {
    if (count > 1) {
      database = await createBenchDatabase('loadnodes')
      redis = await startPrivateRedis()
      redisCpu = await RedisCpu.open(redis.url)
    }
    const urls: string[] = []
    // One at a time: the first node applies the migrations the others then find done.
    for (let i = 0; i < count; i++) {
      const node = new Child(join(import.meta.dirname, 'load-server.ts'), count > 1 ? `server node ${i}` : 'server', execArgv)
      nodes.push(node)
      const shared = database && redis ? { databaseUrl: database.url, redisUrl: redis.url } : {}
      urls.push(`http://127.0.0.1:${await node.call<number>('start', { ...size, ...shared })}`)
    }
    return {
      urls,
      mark: () => Promise.all(nodes.map((n) => n.call<ServerMark>('mark'))),
      redisCpuUs: async () => (redisCpu ? redisCpu.sample() : NaN),
      snapshot: (dir, name) => Promise.all(nodes.map((n, i) => n.call<string>('snapshot', { dir, name: count > 1 ? `${name}-node${i}` : name }))),
      stop
    }
  } catch (err) {
    await stop()
    throw err
  }
}
