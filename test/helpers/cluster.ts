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
  /** The database every node uses: a fresh one, or options.databaseUrl. */
  database: { url: string; name: string }
  redis: PrivateRedis
  filesDir: string
  /** Round-robin over the running nodes. */
  balancer: Balancer
  /** kill -9 of node i; resolves once it has exited. */
  kill(i: number): Promise<void>
  /** Starts node i again (a new process on its data directory, a new port); `env` adds variables for this life only (a crash hook). */
  start(i: number, env?: NodeJS.ProcessEnv): Promise<ClusterNode>
  destroy(): Promise<void>
}

export interface ClusterOptions {
  nodes?: number
  /** More CLI arguments for every node. */
  args?: string[]
  env?: NodeJS.ProcessEnv
  /** Use this database (a private PostgreSQL the test stops and starts) instead of a fresh one; destroy() leaves it. */
  databaseUrl?: string
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const count = options.nodes ?? 3
  const fresh: FreshDatabase | null = options.databaseUrl ? null : await freshDatabase('multi-node cluster')
  const databaseUrl = fresh?.url ?? options.databaseUrl!
  const database = { url: databaseUrl, name: decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) }
  const redis = await startPrivateRedis()
  const root = await mkdtemp(join(tmpdir(), 'messenger-cluster-'))
  const filesDir = join(root, 'files')
  const nodes: (ClusterNode | null)[] = Array.from({ length: count }, () => null)

  const start = async (i: number, env: NodeJS.ProcessEnv = {}): Promise<ClusterNode> => {
    const running = nodes[i]
    if (running && running.child.exitCode === null && running.child.signalCode === null) throw new Error(`node ${i} is already running`)
    const dataDir = join(root, `node-${i}`)
    const child = await startChildServer(
      dataDir,
      ['--database-url', database.url, '--redis-url', redis.url, '--files-dir', filesDir, '--name', `node-${i}`, ...(options.args ?? [])],
      { ...options.env, ...env }
    )
    const node: ClusterNode = { ...child, index: i, dataDir, port: Number(new URL(child.url).port) }
    nodes[i] = node
    return node
  }
  const stopNodes = (): Promise<void> =>
    Promise.all(
      nodes.map(async (n, i) => {
        if (!n) return
        nodes[i] = null
        n.child.kill('SIGTERM')
        const timer = setTimeout(() => n.child.kill('SIGKILL'), 10_000)
        await n.exited
        clearTimeout(timer)
      })
    ).then(() => undefined)
  const release = async (): Promise<void> => {
    await stopNodes()
    await redis.destroy()
    await fresh?.drop()
    await rm(root, { recursive: true, force: true })
  }

  let balancer: Balancer
  try {
    // One at a time: the first node applies the migrations the others then find done.
    for (let i = 0; i < count; i++) await start(i)
    balancer = await startBalancer(() => nodes.map((n) => (n && n.child.exitCode === null && n.child.signalCode === null ? n.port : null)))
  } catch (err) {
    // A node that did not start leaves none of the others, nor Redis, behind.
    await release().catch(() => undefined)
    throw err
  }

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
      await release()
    }
  }
}

/**
 * A TCP balancer on loopback: each new connection goes to the next running
 * node; a refused connection tries the next one. Open connections to a node
 * that dies break, as they would behind HAProxy.
 */
export async function startBalancer(ports: () => (number | null)[]): Promise<Balancer> {
  let turn = 0
  /** Connections piped to a node, with its index. */
  const open = new Map<Socket, number>()
  /** Every client connection, also those still looking for a node. */
  const clients = new Set<Socket>()
  const server: Server = createServer((client) => {
    client.pause()
    clients.add(client)
    const candidates = ports()
    const running = candidates.flatMap((port, index) => (port === null ? [] : [index]))
    // Round-robin over the nodes running now, so a dead node's turns are shared, not all given to its neighbour.
    const first = turn++
    const order = running.map((_, k) => running[(first + k) % running.length]!)
    let upstream: Socket | null = null
    let connected = false
    let closed = false
    const end = (): void => {
      if (closed) return
      closed = true
      clients.delete(client)
      open.delete(client)
      client.destroy()
      upstream?.destroy()
    }
    client.on('error', end).on('close', end)
    const attempt = (k: number): void => {
      if (closed) return
      if (k >= order.length) {
        end()
        return
      }
      const index = order[k]!
      const socket = tcpConnect(candidates[index]!, '127.0.0.1')
      upstream = socket
      socket.once('connect', () => {
        if (closed) return
        connected = true
        open.set(client, index)
        client.pipe(socket)
        socket.pipe(client)
        client.resume()
      })
      socket.on('error', () => {
        if (!connected && !closed) attempt(k + 1)
        else end()
      })
      socket.on('close', () => {
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
      for (const client of [...clients]) client.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
