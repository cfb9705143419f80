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
