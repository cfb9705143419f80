// The server CLI's subcommands (backup, restore, users…) in a child process,
// without blocking the test's event loop: a server's clients in the same test
// keep sending while the command runs.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

export interface CliRun {
  child: ChildProcess
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>
}

/** Starts `messenger-server ARGS`; `onLine` hears each line of its standard output as it comes. */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {}): CliRun {
  const env = { ...process.env, ...options.env }
  if (!options.env || !('MESSENGER_DATABASE_URL' in options.env)) delete env['MESSENGER_DATABASE_URL']
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`
    options.onLine?.(line)
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done) =>
    child.once('close', (code, signal) => done({ code, signal, stdout, stderr }))
  )
  return { child, done }
}
