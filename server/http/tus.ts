// tus 1.0 on the wire (https://tus.io/protocols/resumable-upload): the
// headers standard clients (tus-js-client, Uppy, tuspy) send and expect. The
// uploads themselves are the app's own (files.service.ts); this module only
// translates.
import type { Request, RequestHandler, Response } from 'express'
import { TUS_CHECKSUM_ALGORITHMS, TusMetadata, UploadChecksum } from '../../src/shared/schemas/tus'
import type { Upload } from '../../src/shared/schemas/files'
import { AppError } from '../errors'
import { parseInput } from './validate'

export const TUS_VERSION = '1.0.0'
export const TUS_EXTENSIONS = 'creation,creation-with-upload,expiration,checksum,termination'

/** Where uploads live, for Location. Relative, so it holds behind a proxy that keeps the path. */
export const UPLOADS_PATH = '/api/v1/uploads'

/**
 * On every answer under /uploads: Tus-Resumable. A request naming another
 * version is refused with the versions this server speaks (412), before
 * anything else. A request without the header is the app's own and is served
 * as before.
 */
export const tusResumable: RequestHandler = (req, res, next) => {
  res.setHeader('Tus-Resumable', TUS_VERSION)
  const asked = req.get('tus-resumable')
  // tus: the server ignores Tus-Resumable on OPTIONS, which is how a client learns the versions.
  if (asked !== undefined && asked !== TUS_VERSION && req.method !== 'OPTIONS') {
    res.setHeader('Tus-Version', TUS_VERSION)
    // Refused before its body was read: close rather than read bytes nobody wants.
    if (!req.complete) res.setHeader('Connection', 'close')
    throw new AppError('precondition_failed', `header Tus-Resumable: ${asked} is not a version this server speaks; it speaks tus ${TUS_VERSION}`)
  }
  next()
}

/** Whether a request came from a tus client (it then gets tus's answers: 204 and headers, not the app's JSON). */
export function isTus(req: Request): boolean {
  return req.get('tus-resumable') !== undefined
}

/** OPTIONS: what this server offers. */
export function describeServer(res: Response, maxSize: number): void {
  res.setHeader('Tus-Version', TUS_VERSION)
  res.setHeader('Tus-Extension', TUS_EXTENSIONS)
  res.setHeader('Tus-Max-Size', String(maxSize))
  res.setHeader('Tus-Checksum-Algorithm', TUS_CHECKSUM_ALGORITHMS.join(','))
}

/**
 * Upload-Metadata: `key base64value` pairs separated by commas, decoded and
 * checked. Keys are unique ASCII without spaces or commas; a value may be
 * absent (an empty string).
 */
export function parseMetadata(header: string | undefined): TusMetadata {
  // A Map, not an object: a key such as __proto__ is only data.
  const decoded = new Map<string, string>()
  for (const pair of (header ?? '').split(',')) {
    const trimmed = pair.trim()
    if (trimmed === '') continue
    const match = /^([\x21-\x2b\x2d-\x7e]+)(?: ([A-Za-z0-9+/]*={0,2}))?$/.exec(trimmed)
    if (!match || (match[2] ?? '').length % 4 !== 0) {
      throw new AppError('validation_failed', `header Upload-Metadata: "${trimmed.slice(0, 80)}" is not a key and a base64 value`)
    }
    const key = match[1]!
    if (decoded.has(key)) throw new AppError('validation_failed', `header Upload-Metadata: ${key} is given twice`)
    const bytes = Buffer.from(match[2] ?? '', 'base64')
    const value = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
    try {
      decoded.set(key, value.decode(bytes))
    } catch {
      throw new AppError('validation_failed', `header Upload-Metadata: ${key} is not UTF-8 text`)
    }
  }
  return parseInput(TusMetadata, Object.fromEntries(decoded), 'header Upload-Metadata')
}

/** What a HEAD tells of an upload's metadata, as a tus client sent it. */
export function formatMetadata(upload: Upload): string {
  const pairs: [string, string][] = [
    ['conversationId', upload.conversationId],
    ['filename', upload.name],
    ['type', upload.type],
    ...(upload.sha256 ? [['sha256', upload.sha256] as [string, string]] : [])
  ]
  return pairs.map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`).join(',')
}

/** Upload-Checksum of a PATCH, if sent; an algorithm this server does not verify is 400, as tus says. */
export function parseChecksum(req: Request): UploadChecksum | undefined {
  const header = req.get('upload-checksum')
  return header === undefined ? undefined : parseInput(UploadChecksum, header, 'header Upload-Checksum')
}

/** The headers setUploadHeaders sends, for the OpenAPI document. */
export const TUS_UPLOAD_HEADERS = {
  'Upload-Offset': 'bytes the server has: send the rest from here',
  'Upload-Length': 'the size declared at creation',
  'Upload-Expires': 'while unfinished: when the server deletes it unless more bytes come',
  'Tus-Resumable': TUS_VERSION
}

/** Upload-Offset, Upload-Length and, while unfinished, Upload-Expires. */
export function setUploadHeaders(res: Response, upload: Upload): void {
  res.setHeader('Upload-Offset', String(upload.offset))
  res.setHeader('Upload-Length', String(upload.size))
  if (upload.expiresAt) res.setHeader('Upload-Expires', new Date(upload.expiresAt).toUTCString())
}
