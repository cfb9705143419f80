// A private redis-server per test file (Debian's `redis-server`), on a free
// loopback port, with no persistence. Private because Socket.IO's channels
// are global to a Redis server, and because the fault tests stop and restart
// it: sharing one would let test files hear or break each other.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

export interface PrivateRedis {
  url: string
  port: number
  running(): boolean
  /** SIGKILL: every connection drops at once, nothing is saved (there is nothing to save). */
  kill(): Promise<void>
  /** Starts it again on the same port (an empty Redis, as after a restart). */
  start(): Promise<void>
  /** Stops it; safe to call twice. */
  destroy(): Promise<void>
}

const running = new Set<ChildProcess>()

/** Whether redis-server is installed; tests that need it say how to get it when it is not. */
export function redisAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0
}

export const REDIS_MISSING = 'redis-server is not installed (Debian: apt-get install redis-server); .ci/run installs it'

/** Whether the multi-node suites must run (CI) or may be skipped with a note (a machine without redis-server or PostgreSQL). */
export function clusterPlan(env: NodeJS.ProcessEnv = process.env): 'run' | 'skip' | 'required' {
  if (env['CI'] === 'true') return 'required'
  return redisAvailable() && env['MESSENGER_TEST_DATABASE_URL'] ? 'run' : 'skip'
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited (${child.exitCode})`)
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => undefined)
    try {
      await probe.connect()
      if ((await probe.ping()) === 'PONG') return
    } catch {
      // not yet
    } finally {
      probe.disconnect()
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer in 15 s`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  let child: ChildProcess | null = null

  const start = async (): Promise<void> => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: 'ignore'
    })
    child = c
    running.add(c)
    c.once('exit', () => running.delete(c))
    await waitReady(port, c)
  }
  const kill = async (): Promise<void> => {
    const c = child
    child = null
    if (!c || c.exitCode !== null) return
    const gone = new Promise((r) => c.once('exit', r))
    c.kill('SIGKILL')
    await gone
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    running: () => child !== null && child.exitCode === null,
    kill,
    start,
    destroy: kill
  }
}

/** Kills every private Redis still running (afterAll), so a failed test leaves none behind. */
export function killPrivateRedis(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}
