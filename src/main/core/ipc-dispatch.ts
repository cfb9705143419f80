// The one entry for renderer requests: find the method in the contract,
// validate the payload with its schema, run the handler, and return a
// Result. Nothing thrown crosses the boundary.
import { fail, ok, type Result } from '../../shared/errors'
import { IPC_METHODS, type IpcMethod } from '../../shared/ipc'
import { toErrorBody } from './errors'
import type { Handlers } from './handlers'
import type { Logger } from './logger'

export async function dispatch(handlers: Handlers, method: string, payload: unknown, log: Logger): Promise<Result<unknown>> {
  if (!Object.hasOwn(IPC_METHODS, method)) return fail('not_found', `unknown method "${method}"`)
  const name = method as IpcMethod
  const parsed = IPC_METHODS[name].request.safeParse(payload ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
    return fail('validation_failed', `${method}: ${where}${issue?.message ?? 'invalid request'}`)
  }
  try {
    const handler = handlers[name] as (request: unknown) => Promise<unknown>
    return ok(await handler(parsed.data))
  } catch (err) {
    const body = toErrorBody(err)
    if (body.code === 'internal') log.error(`${method} failed`, { err })
    return { ok: false, error: body }
  }
}
