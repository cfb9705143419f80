// How the app runs its bundled server: a separate process, so the UI never
// stalls. The Node host forks the server CLI (child_process); the Electron
// app uses a utilityProcess (src/main/electron/hosting.ts). Both speak the
// CLI's parent channel (server/parent-channel.ts): "listening" or "failed"
// from the server, "stop" from the app.
import { fork } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface HostedProcess {
  readonly pid: number | undefined
  onMessage(listener: (message: unknown) => void): void
  /** The process ended (code null when killed). */
  onExit(listener: (code: number | null) => void): void
  send(message: unknown): void
  kill(): void
}

export interface ServerLauncher {
  /** Starts the server CLI with these arguments; output lines go to `onLog`. */
  launch(args: string[], onLog: (line: string, stream: 'stdout' | 'stderr') => void): HostedProcess
}

export interface ForkLauncherOptions {
  /** The server CLI: server/cli.ts (with tsx) or the built out/server/cli.mjs. */
  entry: string
  /** e.g. ['--import', 'tsx'] to run the TypeScript entry. */
  execArgv?: string[]
  cwd?: string
}

/** The Node host's launcher: child_process.fork of the server CLI, with an IPC channel. */
export function forkLauncher(options: ForkLauncherOptions): ServerLauncher {
  return {
    launch(args, onLog) {
      const child = fork(options.entry, args, {
        execArgv: options.execArgv ?? [],
        ...(options.cwd ? { cwd: options.cwd } : {}),
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Never inherit a terminal's pretty logging: the app reads JSON lines.
        env: { ...process.env, FORCE_COLOR: '0' }
      })
      lines(child.stdout, (line) => onLog(line, 'stdout'))
      lines(child.stderr, (line) => onLog(line, 'stderr'))
      return {
        pid: child.pid,
        onMessage: (listener) => child.on('message', listener),
        onExit: (listener) => child.once('exit', (code) => listener(code)),
        send: (message) => {
          if (child.connected) child.send(message as object)
        },
        kill: () => child.kill('SIGKILL')
      }
    }
  }
}

export function lines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream) createInterface({ input: stream }).on('line', onLine)
}
