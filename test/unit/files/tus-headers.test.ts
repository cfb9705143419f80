// tus's headers as the server reads and writes them: Upload-Metadata both ways.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { formatMetadata, parseMetadata } from '../../../server/http/tus'
import type { Upload } from '../../../src/shared/schemas/files'

const b64 = (s: string): string => Buffer.from(s).toString('base64')

describe('Upload-Metadata', () => {
  const conversationId = randomUUID()

  it('reads what tus-js-client and Uppy send: filename or name, type or filetype, empty values, other keys ignored', () => {
    expect(parseMetadata(`conversationId ${b64(conversationId)},filename ${b64('Bericht für Jörg.pdf')},filetype ${b64('application/pdf')},relativePath,empty `)).toEqual({
      conversationId,
      name: 'Bericht für Jörg.pdf',
      type: 'application/pdf'
    })
    expect(parseMetadata(`name ${b64('a.txt')},type ${b64('text/plain')},conversationId ${b64(conversationId)}`)).toEqual({ conversationId, name: 'a.txt', type: 'text/plain' })
  })

  it('treats every key as data: __proto__ is a key like any other, and ignored', () => {
    const parsed = parseMetadata(`__proto__ ${b64('x')},conversationId ${b64(conversationId)},filename ${b64('a')}`)
    expect(parsed).toEqual({ conversationId, name: 'a' })
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
  })

  it('refuses what is not tus metadata, naming the header', () => {
    for (const header of [`conversationId ${b64(conversationId)} extra`, 'conversationId abc', `filename ${b64('a')},filename ${b64('b')}`, `conversationId ${b64(conversationId)},filename //79`]) {
      expect(() => parseMetadata(header), header).toThrow(/header Upload-Metadata/)
    }
  })

  it('writes what a HEAD tells back in the same form', () => {
    const upload = { conversationId, name: 'Übersicht.pdf', type: 'application/pdf', sha256: 'a'.repeat(64) } as Upload
    expect(parseMetadata(formatMetadata(upload))).toEqual({ conversationId, name: 'Übersicht.pdf', type: 'application/pdf', sha256: 'a'.repeat(64) })
  })
})
