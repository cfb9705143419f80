// Request/response over the IPC channel of a forked child, so each part of a
// benchmark (server, load generators, store probes) runs in its own process
// and its CPU time is its own.
import { fork, type ChildProcess } from 'node:child_process'

interface Request {
  id: number
  type: string
  payload: unknown
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string }

/** A forked TypeScript child; inherits tsx's loader through process.execArgv. */
export class Child {
  private readonly proc: ChildProcess
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private nextId = 1
  private readonly exited: Promise<number | null>

  constructor(
    script: string,
    readonly name: string,
    extraExecArgv: string[] = []
  ) {
    const execArgv = [...process.execArgv, ...extraExecArgv]
    this.proc = fork(script, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.proc.on('message', (raw) => {
      const reply = raw as Reply
      const waiter = this.pending.get(reply.id)
      if (!waiter) return
      this.pending.delete(reply.id)
      if (reply.ok) waiter.resolve(reply.result)
      else waiter.reject(new Error(`${name}: ${reply.error}`))
    })
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code) => {
        for (const w of this.pending.values()) w.reject(new Error(`${name} exited (code ${code}) during a call`))
        this.pending.clear()
        resolve(code)
      })
    })
  }

  get pid(): number | undefined {
    return this.proc.pid
  }

  call<T>(type: string, payload: unknown = null): Promise<T> {
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.proc.send({ id, type, payload } satisfies Request)
    })
  }

  /** Asks the child to exit ('exit' call); kills it by pid if it does not within `ms`. */
  async stop(ms = 15_000): Promise<void> {
    if (this.proc.exitCode !== null) return
    await this.call('exit').catch(() => undefined)
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), ms)
    await this.exited
    clearTimeout(timer)
  }
}

type Handler = (payload: never) => unknown

/**
 * Child side: answers calls with the handler of the same name. 'exit' runs
 * the optional 'exit' handler, replies and then exits the process.
 */
export function serve(handlers: Record<string, Handler>): void {
  process.on('message', (raw) => {
    const { id, type, payload } = raw as Request
    const handler = handlers[type]
    const send = (reply: Reply, then?: () => void): void => {
      process.send?.(reply, undefined, undefined, () => then?.())
    }
    void (async () => {
      try {
        const result = handler ? await handler(payload as never) : type === 'exit' ? null : undefined
        if (!handler && type !== 'exit') throw new Error(`no handler for ${type}`)
        send({ id, ok: true, result }, type === 'exit' ? () => process.exit(0) : undefined)
      } catch (err) {
        send({ id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) })
      }
    })()
  })
  // The parent died: do not linger.
  process.on('disconnect', () => process.exit(1))
}
