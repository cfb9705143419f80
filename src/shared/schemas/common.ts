import { z } from 'zod'
import { ERROR_CODES } from '../errors'

/** Server-generated ids: random UUIDs. */
export const Id = z.uuid()

export const Timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time')

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string()
    })
  })
  .meta({ id: 'ErrorResponse' })

/** A whole number in a URL query: only digits are accepted ('' or '1e3' are not). */
export function queryInt(schema: z.ZodNumber) {
  return z.string().regex(/^\d{1,16}$/, 'must be a whole number').transform(Number).pipe(schema)
}
