import type { Logger } from 'pino'
import type { z } from 'zod'
import type { Ack } from '../../src/shared/protocol'
import { AppError } from '../errors'
import { parseInput } from '../http/validate'
import type { IoSocket } from './types'

type Listener = (...args: unknown[]) => void

/** The last argument of an event, if it is an acknowledgement callback. */
function ackOf<T>(args: unknown[]): Ack<T> | null {
  const last = args[args.length - 1]
  return typeof last === 'function' ? (last as Ack<T>) : null
}

/**
 * Registers socket events: parse the payload, run, ack the result. A throw
 * never escapes: client mistakes become `{ ok: false, error }`, our own bugs
 * are logged and answered as `internal`. An event sent without an ack is
 * still carried out (nothing is lost); the client just hears nothing back.
 */
export class EventRegistry {
  private readonly names = new Set<string>()

  constructor(
    private readonly socket: IoSocket,
    private readonly log: Logger,
    /** Issue 21: a bot's socket may use only these events; the rest are answered forbidden. */
    private readonly allowed: ReadonlySet<string> | null = null
  ) {
    // An unknown event with an ack gets an answer instead of a client-side timeout.
    socket.onAny((event: string, ...args: unknown[]) => {
      if (this.names.has(event)) return
      ackOf(args)?.({ ok: false, error: { code: 'not_found', message: `unknown event "${event}"` } })
    })
  }

  on<S extends z.ZodType, T>(
    event: string,
    schema: S,
    run: (payload: z.output<S>) => Promise<{ data: T; after?: () => void }>
  ): void {
    this.names.add(event)
    // Socket.IO's typed `on` cannot take a generic event name; the contract
    // types are enforced where handlers are declared.
    const on = this.socket.on.bind(this.socket) as (name: string, listener: Listener) => void
    if (this.allowed && !this.allowed.has(event)) {
      on(event, (...args: unknown[]) =>
        ackOf(args)?.({ ok: false, error: { code: 'forbidden', message: 'a bot token may only read and send messages in the conversations a server admin put its bot in' } })
      )
      return
    }
    on(event, (...args: unknown[]) => {
      const ack = ackOf<T>(args)
      const reply = ack ?? ((): void => undefined)
      const payloadArgs = ack ? args.slice(0, -1) : args
      void (async () => {
        try {
          const payload = parseInput(schema, payloadArgs[0], 'payload')
          const { data, after } = await run(payload)
          reply({ ok: true, data })
          after?.()
        } catch (err) {
          if (err instanceof AppError) {
            // As over HTTP: a 5xx of ours is the operator's to read, a client's mistake is not.
            if (err.status >= 500) this.log.warn({ code: err.code, event }, err.message)
            return reply({ ok: false, error: err.toBody() })
          }
          this.log.error({ err, event }, 'socket handler failed')
          reply({ ok: false, error: { code: 'internal', message: 'the server failed; the error is logged' } })
        }
      })()
    })
  }
}
