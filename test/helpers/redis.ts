// A private redis-server per test file (Debian's `redis-server`), on a free
// loopback port, with no persistence. Private because Socket.IO's channels
// are global to a Redis server, and because the fault tests stop and restart
// it: sharing one would let test files hear or break each other.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { stablePort } from './ports'

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

const exited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null

async function waitReady(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000
  for (;;) {
    if (exited(child)) throw new Error(`redis-server on port ${port} exited (${child.exitCode ?? child.signalCode}): ${output()}`)
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
  // Restarted on the same port: one no other test can take while it is down.
  const port = await stablePort()
  let child: ChildProcess | null = null

  const start = async (): Promise<void> => {
    if (child && !exited(child)) throw new Error(`redis-server on port ${port} is already running`)
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000)
    }
    c.stdout?.on('data', keep)
    c.stderr?.on('data', keep)
    child = c
    running.add(c)
    c.once('exit', () => running.delete(c))
    await waitReady(port, c, () => output)
  }
  const kill = async (): Promise<void> => {
    const c = child
    child = null
    // Gone already (killed or crashed by a signal too): no 'exit' is coming to wait for.
    if (!c || exited(c)) return
    const gone = new Promise((r) => c.once('exit', r))
    c.kill('SIGKILL')
    await gone
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    running: () => child !== null && !exited(child),
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
