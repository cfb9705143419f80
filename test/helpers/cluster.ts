// Several real server processes serving one organisation, as docs/scaling.md
// deploys them: one fresh PostgreSQL database, one private Redis, one shared
// files directory, each node with its own data directory; and a round-robin
// TCP balancer in front (what HAProxy does in the docs), so a client that
// loses its node reconnects through the same address to another.
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startChildServer, type ChildServer } from './child-server'
import { freshDatabase, type FreshDatabase } from './engines'
import { startPrivateRedis, type PrivateRedis } from './redis'

export interface ClusterNode extends ChildServer {
  index: number
  dataDir: string
  port: number
}

export interface Balancer {
  url: string
  /** Connections open through it, per node index. */
  openPerNode(): number[]
  close(): Promise<void>
}

export interface Cluster {
  nodes: (ClusterNode | null)[]
  /** The node at `i`, which must be running. */
  node(i: number): ClusterNode
  database: FreshDatabase
  redis: PrivateRedis
  filesDir: string
  /** Round-robin over the running nodes. */
  balancer: Balancer
  /** kill -9 of node i; resolves once it has exited. */
  kill(i: number): Promise<void>
  /** Starts node i again (a new process on its data directory, a new port). */
  start(i: number): Promise<ClusterNode>
  destroy(): Promise<void>
}

export interface ClusterOptions {
  nodes?: number
  /** More CLI arguments for every node. */
  args?: string[]
  env?: NodeJS.ProcessEnv
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.nodes ?? 3
  const database = await freshDatabase('multi-node cluster')
  const redis = await startPrivateRedis()
  const root = await mkdtemp(join(tmpdir(), 'messenger-cluster-'))
  const filesDir = join(root, 'files')
  const nodes: (ClusterNode | null)[] = Array.from({ length: count }, () => null)

  const start = async (i: number): Promise<ClusterNode> => {
    const dataDir = join(root, `node-${i}`)
    const child = await startChildServer(
      dataDir,
      ['--database-url', database.url, '--redis-url', redis.url, '--files-dir', filesDir, '--name', `node-${i}`, ...(options.args ?? [])],
      options.env ?? {}
    )
    const node: ClusterNode = { ...child, index: i, dataDir, port: Number(new URL(child.url).port) }
    nodes[i] = node
    return node
  }
  // One at a time: the first node applies the migrations the others then find done.
  for (let i = 0; i < count; i++) await start(i)

  const balancer = await startBalancer(() => nodes.map((n) => (n && n.child.exitCode === null && n.child.signalCode === null ? n.port : null)))

  return {
    nodes,
    node: (i) => {
      const n = nodes[i]
      if (!n) throw new Error(`node ${i} is not running`)
      return n
    },
    database,
    redis,
    filesDir,
    balancer,
    kill: async (i) => {
      const n = nodes[i]
      if (!n) return
      nodes[i] = null
      n.child.kill('SIGKILL')
      await n.exited
    },
    start,
    destroy: async () => {
      await balancer.close()
      await Promise.all(
        nodes.map(async (n, i) => {
          if (!n) return
          nodes[i] = null
          n.child.kill('SIGTERM')
          const timer = setTimeout(() => n.child.kill('SIGKILL'), 10_000)
          await n.exited
          clearTimeout(timer)
        })
      )
      await redis.destroy()
      await database.drop()
      await rm(root, { recursive: true, force: true })
    }
  }
}

/**
 * A TCP balancer on loopback: each new connection goes to the next running
 * node; a refused connection tries the next one. Open connections to a node
 * that dies break, as they would behind HAProxy.
 */
export async function startBalancer(ports: () => (number | null)[]): Promise<Balancer> {
  let next = 0
  const open = new Map<Socket, number>()
  const server: Server = createServer((client) => {
    client.pause()
    const candidates = ports()
    const order = candidates.map((_, k) => (next + k) % candidates.length).filter((i) => candidates[i] !== null)
    next = (next + 1) % Math.max(candidates.length, 1)
    const attempt = (k: number): void => {
      if (k >= order.length) {
        client.destroy()
        return
      }
      const index = order[k]!
      const upstream = tcpConnect(candidates[index]!, '127.0.0.1')
      let connected = false
      upstream.once('connect', () => {
        connected = true
        open.set(client, index)
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
      })
      const end = (): void => {
        open.delete(client)
        client.destroy()
        upstream.destroy()
      }
      upstream.on('error', () => {
        if (!connected) attempt(k + 1)
        else end()
      })
      upstream.on('close', () => {
        if (connected) end()
      })
      client.on('error', end).on('close', () => {
        if (connected) end()
      })
    }
    attempt(0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    openPerNode: () => {
      const counts = ports().map(() => 0)
      for (const index of open.values()) counts[index] = (counts[index] ?? 0) + 1
      return counts
    },
    close: async () => {
      for (const client of open.keys()) client.destroy()
      open.clear()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
