// The real CLI in a child process, for tests that kill or signal it. On the
// postgres engine it gets the database of its data directory (engines.ts):
// every life of a server on one directory finds the same data.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'
import { databaseForDataDir } from './engines'

const ROOT = resolve(import.meta.dirname, '../..')

export interface ChildServer {
  child: ChildProcess
  url: string
  /** Every JSON log line the server printed so far. */
  logs: Record<string, unknown>[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** The certificate fingerprint it logged, null over plain HTTP. */
  fingerprint: string | null
}

export interface ChildServerOptions {
  /** Serve HTTPS as the CLI does by default; tests start plain unless they ask. */
  tls?: boolean
}

const running = new Set<ChildProcess>()

/** Kills every child server still running: call it in afterAll, so a failed test leaves none behind. */
export function killChildServers(): void {
  for (const child of running) child.kill('SIGKILL')
  running.clear()
}

/**
 * The environment a CLI child runs with on `dataDir`: on the postgres engine
 * MESSENGER_DATABASE_URL names the directory's database; on the data-dir
 * engine it is removed, so a variable set in the developer's shell cannot
 * move the test onto another engine.
 */
export async function cliEnv(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const base: NodeJS.ProcessEnv = { ...process.env }
  delete base['MESSENGER_DATABASE_URL']
  // A test that names the database itself gets just that.
  if ('MESSENGER_DATABASE_URL' in env) return { ...base, ...env }
  const databaseUrl = await databaseForDataDir(dataDir)
  return { ...base, ...(databaseUrl ? { MESSENGER_DATABASE_URL: databaseUrl } : {}), ...env }
}

export async function startChildServer(
  dataDir: string,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
  options: ChildServerOptions = {}
): Promise<ChildServer> {
  // Never advertise from a test on the machine's real mDNS port.
  // No send limits unless a test asks (as startServer); a later --send-limits in extraArgs wins.
  const defaults = ['--no-discovery', '--send-limits', 'off', ...(options.tls ? [] : ['--no-tls'])]
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/cli.ts', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, ...defaults, ...extraArgs],
    {
      cwd: ROOT,
      env: extraArgs.some((a) => a === '--database-url' || a.startsWith('--database-url=')) ? { ...process.env, ...env } : await cliEnv(dataDir, env),
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  running.add(child)
  child.once('exit', () => running.delete(child))
  const logs: Record<string, unknown>[] = []
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal }))
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolvePromise, reject) => {
    // Generous: a starved machine (a soak beside a load run) once took over 20 s to start tsx and the server.
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${stderr}`)), 60_000)
    createInterface({ input: child.stdout }).on('line', (line) => {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        return
      }
      logs.push(entry)
      if (entry['msg'] === 'listening') {
        clearTimeout(timer)
        const fingerprint = typeof entry['fingerprint'] === 'string' ? entry['fingerprint'] : null
        const scheme = fingerprint ? 'https' : 'http'
        resolvePromise({ child, url: `${scheme}://127.0.0.1:${String(entry['port'])}`, logs, exited, fingerprint })
      }
    })
    void exited.then(({ code }) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before listening: ${stderr}`))
    })
  })
}
