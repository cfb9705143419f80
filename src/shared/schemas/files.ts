// Files: resumable uploads that become files, and the attachments messages carry.
import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, Timestamp } from './common'
import { HIDDEN_MESSAGE, hasControlCharacters, hasHiddenCharacters } from './hidden-characters'

/**
 * A file's name as a person sees it: one path segment, never a path. Names
 * with `/`, `\`, control, invisible or direction-changing characters (an
 * override makes "exe.pdf" of "fdp.exe"), or only dots are refused rather
 * than rewritten, so the sender learns what was wrong. Not NFKC-folded: it
 * names a file on someone's disk.
 */
export const FileName = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.fileNameMax)
  .refine((s) => !hasControlCharacters(s), 'may not contain control characters')
  .refine((s) => !hasHiddenCharacters(s), HIDDEN_MESSAGE)
  .refine((s) => !/[/\\]/.test(s), 'must be a file name, not a path (no / or \\)')
  .refine((s) => !/^\.+$/.test(s), 'must not be only dots')

/** A media type as the sender's system named it; only image previews ever use it as a Content-Type. */
export const MediaType = z
  .string()
  .max(127)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'must be a media type such as image/png')
  .transform((s) => s.toLowerCase())

export const Sha256 = z.string().regex(/^[a-f0-9]{64}$/, 'must be a SHA-256 digest in 64 lower-case hex digits')

/** A small preview of an image, made by the sender. */
export const Thumbnail = z
  .string()
  .max(LIMITS.thumbnailMax)
  .regex(/^data:image\/(png|jpeg|webp);base64,[A-Za-z0-9+/]+={0,2}$/, 'must be a base64 data: URL of a PNG, JPEG or WebP image')

const Dimension = z.number().int().min(1).max(100_000)

export const CreateUploadBody = z.strictObject({
  conversationId: Id.describe('the conversation whose members may read the file'),
  name: FileName,
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).describe('bytes; more than the server allows is refused at once (413)'),
  type: MediaType.optional().describe('default application/octet-stream'),
  sha256: Sha256.optional().describe('checked when the last byte arrives: a mismatch discards the upload'),
  width: Dimension.optional(),
  height: Dimension.optional(),
  thumbnail: Thumbnail.optional()
})
export type CreateUploadBody = z.infer<typeof CreateUploadBody>

export const Upload = z
  .object({
    id: Id.describe('also the id of the file once complete'),
    conversationId: Id,
    name: z.string(),
    size: z.number().int().min(0),
    type: z.string(),
    offset: z.number().int().min(0).describe('bytes the server has; send the rest from here'),
    complete: z.boolean(),
    sha256: Sha256.optional().describe('declared, or once complete, as computed'),
    createdAt: Timestamp,
    expiresAt: Timestamp.optional().describe('while unfinished: when the server deletes it unless more bytes come (also the Upload-Expires header)')
  })
  .meta({ id: 'Upload' })
export type Upload = z.infer<typeof Upload>

export const UploadResponse = z.object({ upload: Upload })

export const Attachment = z
  .object({
    id: Id,
    name: z.string(),
    size: z.number().int().min(0),
    type: z.string(),
    sha256: Sha256,
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    thumbnail: z.string().optional().describe('a small data: URL preview of an image')
  })
  .meta({ id: 'Attachment' })
export type Attachment = z.infer<typeof Attachment>

export const FileParams = z.strictObject({ id: Id })

/** Image types a browser shows safely as a preview; anything else is only ever downloaded. */
export const PREVIEW_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const
