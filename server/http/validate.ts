import type { z } from 'zod'
import { AppError } from '../errors'

/** Parses input with a shared schema; the error names the field and the problem. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  if (value === undefined && where === 'body') {
    throw new AppError('validation_failed', 'request body must be JSON (Content-Type: application/json)')
  }
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues.slice(0, 3).map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.')
    return `${path}: ${issue.message}`
  })
  throw new AppError('validation_failed', problems.join('; '))
}
