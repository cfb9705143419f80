// Files: resumable uploads (create, ask the offset, send bytes from it,
// cancel) and downloads with Range. Bytes are streamed, never buffered.
import type { Request, Response } from 'express'
import { CreateUploadBody, FileParams, PREVIEW_TYPES, UploadResponse, type Upload } from '../../../src/shared/schemas/files'
import { AppError } from '../../errors'
import { contentDisposition } from '../../../src/shared/content-disposition'
import { sendFile } from '../../../src/node/send-file'
import type { FileRecord } from '../../files/file-store'
import type { FileService } from '../../files/files.service'
import { parseRange } from '../../files/range'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute, type RouteResult } from '../route'
import { isTus, parseChecksum, setUploadHeaders, TUS_UPLOAD_HEADERS } from '../tus'

/** tus's media type for "bytes of an upload, from Upload-Offset on". */
export const UPLOAD_MEDIA_TYPE = 'application/offset+octet-stream'

function headerInt(req: Request, name: string, required: boolean): number | undefined {
  const value = req.get(name)
  if (value === undefined && !required) return undefined
  if (value === undefined || !/^\d{1,16}$/.test(value)) {
    throw new AppError('validation_failed', `header ${name}: must be a whole number of bytes`)
  }
  return Number(value)
}

/** Streams a file, or the part a Range asks for, with headers that keep the browser from running it. */
function download(files: FileService, record: FileRecord, req: Request, inline: boolean, sent?: (bytes: number) => void): RouteResult {
  const range = parseRange(req.get('range'), record.size)
  if (range.kind === 'unsatisfiable') {
    req.res?.setHeader('Content-Range', `bytes */${record.size}`)
    throw new AppError('range_not_satisfiable', `header Range: ${req.get('range')} is outside the file's ${record.size} bytes`)
  }
  const [start, end] = range.kind === 'part' ? [range.start, range.end] : [0, record.size - 1]
  return {
    status: range.kind === 'part' ? 206 : 200,
    send: async (res: Response) => {
      res.status(range.kind === 'part' ? 206 : 200)
      res.setHeader('Content-Type', inline ? record.type : 'application/octet-stream')
      res.setHeader('Content-Disposition', contentDisposition(inline ? 'inline' : 'attachment', record.name))
      res.setHeader('Content-Length', String(record.size === 0 ? 0 : end - start + 1))
      res.setHeader('Accept-Ranges', 'bytes')
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
      // RFC 9530: the whole file's digest, so a client can verify what it saved.
      if (record.sha256) res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(record.sha256, 'hex').toString('base64')}:`)
      if (range.kind === 'part') res.setHeader('Content-Range', `bytes ${start}-${end}/${record.size}`)
      if (record.size === 0) return void res.end()
      // A reader that stops midway (cancel, cut) closes the response; that is not a server failure.
      if (await sendFile(res, files.path(record), start, end + 1, sent)) res.end()
    }
  }
}

/** tus's Upload-Expires: when an unfinished upload is deleted unless more bytes come. */
function withExpiry(req: Request, upload: Upload): { upload: Upload } {
  if (upload.expiresAt) req.res?.setHeader('Upload-Expires', new Date(upload.expiresAt).toUTCString())
  return { upload }
}

export function fileRoutes({ services, metrics }: RouteDeps): AnyRoute[] {
  const { files } = services
  const counter = metrics?.metrics.downloadBytes
  const sent = counter ? (bytes: number) => counter.inc(bytes) : undefined
  const upload = { 200: { description: 'The upload: its offset, and whether it is complete', schema: UploadResponse } }
  return [
    defineRoute({
      method: 'post',
      path: '/files',
      summary: 'Start an upload to a conversation; too big a size is refused here, before any byte is sent',
      tag: 'files',
      auth: true,
      body: CreateUploadBody,
      responses: { 201: { description: 'The upload, at offset 0 (a zero-byte file is complete at once)', schema: UploadResponse } },
      errors: [403, 404, 429],
      handler: async ({ caller, body, req }) => ({ status: 201, body: withExpiry(req, await files.create(caller.userId, body)) })
    }),
    defineRoute({
      method: 'get',
      path: '/uploads/:id',
      summary: 'How many bytes of an upload the server has: continue from there after a cut',
      tag: 'files',
      auth: true,
      params: FileParams,
      responses: upload,
      errors: [403, 404, 412],
      handler: async ({ caller, params, req }) => ({ status: 200, body: withExpiry(req, await files.status(caller.userId, params.id)) })
    }),
    defineRoute({
      method: 'patch',
      path: '/uploads/:id',
      summary: 'Send bytes of an upload from Upload-Offset on (tus-style); the last byte makes it a file if its checksum matches',
      tag: 'files',
      auth: true,
      params: FileParams,
      bytesBody: { contentType: UPLOAD_MEDIA_TYPE, description: 'the next bytes, from Upload-Offset on' },
      headers: [
        { name: 'Upload-Offset', required: true, description: 'where these bytes start: the offset the server has' },
        { name: 'Tus-Resumable', required: false, description: 'tus clients: 1.0.0, answered 204 with Upload-Offset instead of the JSON' },
        { name: 'Upload-Checksum', required: false, description: 'tus: `sha1|sha256|sha512 base64(digest)` of these bytes; a mismatch keeps none of them (460)' }
      ],
      responses: { ...upload, 204: { description: 'tus: the bytes were stored', headers: TUS_UPLOAD_HEADERS } },
      errors: [403, 404, 409, 412, 413, 415, 460],
      handler: async ({ caller, params, req }) => {
        try {
          if (req.get('content-type')?.split(';')[0]?.trim().toLowerCase() !== UPLOAD_MEDIA_TYPE) {
            throw new AppError('unsupported_media_type', `send the bytes with Content-Type: ${UPLOAD_MEDIA_TYPE}`)
          }
          const offset = headerInt(req, 'Upload-Offset', true)!
          const checksum = parseChecksum(req)
          const record = await files.checkAppend(caller.userId, params.id, offset, headerInt(req, 'Content-Length', false))
          if (req.get('expect')?.toLowerCase() === '100-continue') req.res?.writeContinue()
          const stored = await files.append(record, offset, req, checksum)
          if (!isTus(req)) return { status: 200, body: withExpiry(req, stored) }
          setUploadHeaders(req.res!, stored)
          return { status: 204 }
        } catch (err) {
          // Refused before the body was read: close rather than read bytes nobody wants.
          if (!req.complete) req.res?.setHeader('Connection', 'close')
          throw err
        }
      }
    }),
    defineRoute({
      method: 'delete',
      path: '/uploads/:id',
      summary: 'Cancel an unfinished upload, or delete a complete file no message carries yet; its bytes are deleted',
      tag: 'files',
      auth: true,
      params: FileParams,
      responses: { 204: { description: 'Cancelled' } },
      errors: [403, 404, 409, 412],
      handler: async ({ caller, params }) => {
        await files.cancel(caller.userId, params.id)
        return { status: 204 }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/files/:id',
      summary: 'Download a file (members of its conversation only); Range resumes; always an attachment of application/octet-stream',
      tag: 'files',
      auth: true,
      params: FileParams,
      headers: [{ name: 'Range', required: false, description: 'bytes=START-END, bytes=START- or bytes=-LAST' }],
      responses: {
        200: { description: 'The whole file', bytes: 'application/octet-stream' },
        206: { description: 'The range asked for', bytes: 'application/octet-stream' }
      },
      errors: [403, 404, 416],
      handler: async ({ caller, params, req }) => download(files, await files.readable(caller.userId, params.id), req, false, sent)
    }),
    defineRoute({
      method: 'get',
      path: '/files/:id/preview',
      summary: 'An image file as itself (PNG, JPEG, GIF or WebP only), shown inline for a full view',
      tag: 'files',
      auth: true,
      params: FileParams,
      responses: {
        200: { description: 'The image', bytes: 'image/*' },
        206: { description: 'The range asked for', bytes: 'image/*' }
      },
      errors: [403, 404, 409, 416],
      handler: async ({ caller, params, req }) => {
        const record = await files.readable(caller.userId, params.id)
        if (!(PREVIEW_TYPES as readonly string[]).includes(record.type)) {
          throw new AppError('conflict', `this file is ${record.type}, not an image that can be previewed; download it instead`)
        }
        return download(files, record, req, true, sent)
      }
    })
  ]
}
