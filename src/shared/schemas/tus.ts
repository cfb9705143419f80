// tus 1.0 (https://tus.io/protocols/resumable-upload): what a standard
// client's headers carry, once decoded, as the shapes the server accepts.
import { z } from 'zod'
import { Id } from './common'
import { FileName, MediaType, Sha256 } from './files'

/** A whole number of bytes in a header (Upload-Length, Upload-Offset). */
export const ByteCount = z
  .string()
  .regex(/^\d{1,16}$/, 'must be a whole number of bytes')
  .transform(Number)
  .pipe(z.number().max(Number.MAX_SAFE_INTEGER))

/**
 * Upload-Metadata, its values decoded. `filename` and `type`, or `name` and
 * `filetype` as tus-js-client's examples and Uppy name them. Other keys
 * (Uppy's relativePath) are ignored: tus leaves metadata to the application.
 */
export const TusMetadata = z
  .object({
    conversationId: Id.describe('the conversation whose members may read the file'),
    filename: FileName.optional(),
    name: FileName.optional(),
    type: MediaType.optional(),
    filetype: MediaType.optional(),
    sha256: Sha256.optional().describe('64 hex digits: checked when the last byte arrives')
  })
  .refine((m) => m.filename !== undefined || m.name !== undefined, { message: 'filename: required', path: ['filename'] })
  .transform((m) => ({
    conversationId: m.conversationId,
    name: (m.filename ?? m.name)!,
    ...(m.type || m.filetype ? { type: (m.type ?? m.filetype)! } : {}),
    ...(m.sha256 ? { sha256: m.sha256 } : {})
  }))
export type TusMetadata = z.output<typeof TusMetadata>

/** Checksum algorithms of tus's checksum extension this server verifies (Tus-Checksum-Algorithm). */
export const TUS_CHECKSUM_ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const

/** Upload-Checksum: an algorithm and the chunk's digest (base64). */
export const UploadChecksum = z
  .string()
  .regex(/^\S+ [A-Za-z0-9+/]+={0,2}$/, 'must be an algorithm and a base64 digest, such as "sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0="')
  .transform((s) => {
    const [algorithm, digest] = s.split(' ') as [string, string]
    return { algorithm: algorithm.toLowerCase(), digest }
  })
  .refine((c) => (TUS_CHECKSUM_ALGORITHMS as readonly string[]).includes(c.algorithm), {
    message: `the algorithm must be one of ${TUS_CHECKSUM_ALGORITHMS.join(', ')}`
  })
export type UploadChecksum = z.output<typeof UploadChecksum>
