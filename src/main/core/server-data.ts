// What the server sends is parsed before it reaches the cache: a buggy or
// hostile server on the LAN must not be able to corrupt it or crash main.
import type { z } from 'zod'
import { ClientError } from './errors'

export function fromServer<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(data)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new ClientError('internal', `the server sent an invalid ${what}${issue ? ` (${issue.path.join('.')}: ${issue.message})` : ''}`)
}
