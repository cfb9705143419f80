// Child process: runs the messenger server over a prepared data directory, so
// its CPU and event loop are its own, and reports when the background search
// catch-up has finished (from its "search index caught up" log line).
import { performance } from 'node:perf_hooks'
import pino from 'pino'
import { createMessengerServer, type MessengerServer } from '../../server'
import { serve } from './rpc'

export interface CaughtUp {
  /** Messages the catch-up indexed, from its log line. */
  indexed: number
  /** The catch-up's own duration, from its log line. */
  ms: number
  /** From just before listen() to the log line. */
  sinceListenMs: number
  /** Server process CPU (all threads) from just before listen() to the log line, ms. */
  cpuMs: number
}

export interface ServerStats {
  cpuMs: number
  rssMiB: number
}

let server: MessengerServer | null = null
let listenAt = 0
let cpuAtListen: NodeJS.CpuUsage = process.cpuUsage()
let caughtUp: CaughtUp | null = null
let waiter: ((c: CaughtUp) => void) | null = null
const errors: string[] = []

const cpuMs = (since?: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

/** A pino destination that watches for the catch-up line (and keeps errors). */
const destination = {
  write(line: string): void {
    const entry = JSON.parse(line) as { msg?: string; level?: number; indexed?: number; ms?: number }
    if (entry.msg === 'search index caught up') {
      caughtUp = { indexed: entry.indexed ?? 0, ms: entry.ms ?? NaN, sinceListenMs: performance.now() - listenAt, cpuMs: cpuMs(cpuAtListen) }
      waiter?.(caughtUp)
    } else if ((entry.level ?? 0) >= 40) {
      errors.push(line.trim())
    }
  }
}

serve({
  start: async ({ dataDir }: { dataDir: string }): Promise<{ port: number }> => {
    server = createMessengerServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'info' }, destination),
      scryptN: 2 ** 12,
      accessTokenTtlSeconds: 4 * 3600,
      loginLimit: { windowMs: 60_000, max: 100_000 }
    })
    listenAt = performance.now()
    cpuAtListen = process.cpuUsage()
    const { port } = await server.listen()
    return { port }
  },
  caughtUp: async ({ timeoutMs }: { timeoutMs: number }): Promise<CaughtUp> => {
    if (caughtUp) return caughtUp
    return new Promise<CaughtUp>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "search index caught up" within ${timeoutMs} ms; errors: ${errors.join(' | ')}`)), timeoutMs)
      waiter = (c) => {
        clearTimeout(timer)
        resolve(c)
      }
    })
  },
  stats: (): ServerStats => ({ cpuMs: cpuMs(), rssMiB: process.memoryUsage().rss / 2 ** 20 }),
  errors: (): string[] => errors,
  exit: async () => {
    await server?.close()
    server = null
  }
})
