import { z } from 'zod'
import { ERROR_CODES } from '../errors'
import { LIMITS } from '../limits'
import { HIDDEN_MESSAGE, hasControlCharacters, hasHiddenCharacters } from './hidden-characters'

/** Server-generated ids: random UUIDs. */
export const Id = z.uuid()

export const Timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time')

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      retryAfterMs: z.number().int().min(0).optional().describe('With rate_limited: milliseconds until a retry can succeed (also sent as Retry-After, in seconds)')
    })
  })
  .meta({ id: 'ErrorResponse' })

/** A whole number in a URL query: only digits are accepted ('' or '1e3' are not). */
export function queryInt(schema: z.ZodNumber) {
  return z.string().regex(/^\d{1,16}$/, 'must be a whole number').transform(Number).pipe(schema)
}

/**
 * One line a person typed to name something others see (a display name, a
 * title, a room or server name, a status): NFKC (so "The\u00a0Boss" is "The
 * Boss" and look-alike forms fold), no control, invisible or
 * direction-changing characters (see hidden-characters.ts), spaces
 * collapsed and trimmed, and then not blank.
 */
export function lineText(min: number, max: number) {
  return z
    .string()
    .normalize('NFKC')
    .refine((s) => !hasControlCharacters(s), { message: 'may not contain control characters', abort: true })
    .refine((s) => !hasHiddenCharacters(s), { message: HIDDEN_MESSAGE, abort: true })
    .overwrite((s) => s.replace(/\s+/g, ' ').trim())
    .min(min, min === 1 ? 'must not be blank' : undefined)
    .max(max)
}

/** Text of several lines (a description, a note): trimmed; newline and tab are the only control characters allowed. */
export function multilineText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .refine((s) => !/[^\P{Cc}\n\t]/u.test(s), 'may not contain control characters other than newline and tab')
}

/** A small image as a data: URL, or null to remove it. */
export const Avatar = z
  .string()
  .max(LIMITS.avatarMax)
  .regex(/^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/]+={0,2}$/, 'must be a base64 data: URL of a PNG, JPEG, WebP or GIF image')
  .nullable()
