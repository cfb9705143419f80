import type { Logger } from 'pino'
import type { z } from 'zod'
import type { Ack } from '../../src/shared/protocol'
import { AppError } from '../errors'
import { parseInput } from '../http/validate'
import type { IoSocket } from './types'

/**
 * Registers a socket event: parse the payload, run, ack the result. A throw
 * never escapes: client mistakes become `{ ok: false, error }`, our own bugs
 * are logged and answered as `internal`.
 */
export function onEvent<S extends z.ZodType, T>(
  socket: IoSocket,
  log: Logger,
  event: string,
  schema: S,
  run: (payload: z.output<S>) => Promise<{ data: T; after?: () => void }>
): void {
  // Socket.IO's typed `on` cannot express a generic event name; the contract
  // types are enforced where handlers are declared.
  const on = socket.on.bind(socket) as (name: string, listener: (...args: unknown[]) => void) => void
  on(event, (...args: unknown[]) => {
    const ack = args[args.length - 1]
    if (typeof ack !== 'function') {
      log.debug({ event }, 'event without acknowledgement ignored')
      return
    }
    const reply = ack as Ack<T>
    void (async () => {
      try {
        const payload = parseInput(schema, args.length > 1 ? args[0] : undefined, 'payload')
        const { data, after } = await run(payload)
        reply({ ok: true, data })
        after?.()
      } catch (err) {
        if (err instanceof AppError) return reply({ ok: false, error: err.toBody() })
        log.error({ err, event }, 'socket handler failed')
        reply({ ok: false, error: { code: 'internal', message: 'the server failed; the error is logged' } })
      }
    })()
  })
}
