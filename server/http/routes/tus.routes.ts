// tus 1.0's own requests on the uploads the app already has: discovery
// (OPTIONS), creation from headers (POST, with the first bytes if the client
// sends them) and the offset as headers (HEAD). PATCH and DELETE are the
// app's own routes (files.routes.ts), which answer tus clients in tus's terms.
import type { Request } from 'express'
import { FileParams, UploadResponse, type Upload } from '../../../src/shared/schemas/files'
import { ByteCount } from '../../../src/shared/schemas/tus'
import { AppError } from '../../errors'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'
import { describeServer, formatMetadata, parseChecksum, parseMetadata, setUploadHeaders, TUS_UPLOAD_HEADERS, TUS_VERSION, UPLOADS_PATH } from '../tus'
import { parseInput } from '../validate'
import { UPLOAD_MEDIA_TYPE } from './files.routes'

function hasBody(req: Request): boolean {
  return req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0
}

export function tusRoutes({ services }: RouteDeps): AnyRoute[] {
  const { files } = services
  return [
    defineRoute({
      method: 'options',
      path: '/uploads',
      summary: 'tus discovery: the protocol versions, extensions, largest size and checksum algorithms this server offers',
      tag: 'files',
      auth: false,
      responses: {
        204: {
          description: 'What the server offers, in headers',
          headers: {
            'Tus-Version': TUS_VERSION,
            'Tus-Extension': 'the tus extensions implemented',
            'Tus-Max-Size': 'the largest file accepted, in bytes',
            'Tus-Checksum-Algorithm': 'the algorithms Upload-Checksum may name'
          }
        }
      },
      handler: async ({ req }) => {
        describeServer(req.res!, await files.maxSize())
        return { status: 204 }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/uploads',
      summary: 'tus creation: start an upload to a conversation from Upload-Length and Upload-Metadata; the body may carry the first bytes',
      tag: 'files',
      auth: true,
      headers: [
        { name: 'Upload-Length', required: true, description: 'the size in bytes; more than the server allows is refused at once (413)' },
        {
          name: 'Upload-Metadata',
          required: true,
          description: 'comma-separated `key base64(value)`: conversationId, filename (or name), optional type (or filetype) and sha256 (64 hex digits)'
        },
        { name: 'Tus-Resumable', required: false, description: TUS_VERSION },
        { name: 'Upload-Checksum', required: false, description: 'with bytes in the body: `sha1|sha256|sha512 base64(digest)` of them' }
      ],
      bytesBody: { contentType: UPLOAD_MEDIA_TYPE, description: 'the first bytes (creation-with-upload)', optional: true },
      responses: {
        201: {
          description: 'Created; Location is the upload, to PATCH and HEAD',
          schema: UploadResponse,
          headers: { Location: 'the upload: /api/v1/uploads/{id}', ...TUS_UPLOAD_HEADERS }
        }
      },
      errors: [403, 404, 412, 413, 415, 429, 460],
      handler: async ({ caller, req }) => {
        const res = req.res!
        try {
          if (req.get('upload-defer-length') !== undefined) {
            throw new AppError('validation_failed', 'header Upload-Defer-Length: not supported here; send Upload-Length')
          }
          const size = parseInput(ByteCount, req.get('upload-length'), 'header Upload-Length')
          const metadata = parseMetadata(req.get('upload-metadata'))
          const withBytes = hasBody(req)
          if (withBytes && req.get('content-type')?.split(';')[0]?.trim().toLowerCase() !== UPLOAD_MEDIA_TYPE) {
            throw new AppError('unsupported_media_type', `send the first bytes with Content-Type: ${UPLOAD_MEDIA_TYPE}, or none`)
          }
          const checksum = withBytes ? parseChecksum(req) : undefined
          const length = req.get('content-length') === undefined ? undefined : Number(req.get('content-length'))
          // (A body to a zero-byte upload, which is complete at once, is too much however long.)
          if ((withBytes && size === 0) || (length !== undefined && length > size)) {
            throw new AppError('payload_too_large', `${length} bytes sent but the declared size is ${size}`)
          }
          let upload: Upload = await files.create(caller.userId, { ...metadata, size })
          res.setHeader('Location', `${UPLOADS_PATH}/${upload.id}`)
          if (withBytes) {
            const record = await files.checkAppend(caller.userId, upload.id, 0, length)
            upload = await files.append(record, 0, req, checksum)
          }
          setUploadHeaders(res, upload)
          return { status: 201, body: { upload } }
        } catch (err) {
          // Refused before the body was read: close rather than read bytes nobody wants.
          if (!req.complete) res.setHeader('Connection', 'close')
          throw err
        }
      }
    }),
    defineRoute({
      method: 'head',
      path: '/uploads/:id',
      summary: 'tus: how many bytes of an upload the server has (Upload-Offset), to resume from there',
      tag: 'files',
      auth: true,
      params: FileParams,
      responses: {
        200: {
          description: 'The upload, in headers; no body',
          headers: { ...TUS_UPLOAD_HEADERS, 'Upload-Metadata': 'what the creation declared, as tus sends it', 'Cache-Control': 'no-store' }
        }
      },
      errors: [403, 404, 412],
      handler: async ({ caller, params, req }) => {
        const upload = await files.status(caller.userId, params.id)
        const res = req.res!
        setUploadHeaders(res, upload)
        res.setHeader('Upload-Metadata', formatMetadata(upload))
        return { status: 200 }
      }
    })
  ]
}
