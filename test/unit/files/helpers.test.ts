import { describe, expect, it } from 'vitest'
import { parse } from 'content-disposition'
import { parseByteSize } from '../../../server/files/byte-size'
import { contentDisposition } from '../../../src/shared/content-disposition'
import { parseRange } from '../../../server/files/range'

describe('parseByteSize', () => {
  it('reads plain bytes and units, and refuses what is not a size', () => {
    expect(parseByteSize('1024')).toBe(1024)
    expect(parseByteSize('2GiB')).toBe(2 * 1024 ** 3)
    expect(parseByteSize('500MB')).toBe(500_000_000)
    expect(parseByteSize('1.5g')).toBe(1.5 * 1024 ** 3)
    for (const bad of ['', 'huge', '-1', '1 parsec', '1e3']) expect(parseByteSize(bad), bad).toBeNull()
  })
})

describe('parseRange', () => {
  it('answers one range, the whole file, or unsatisfiable', () => {
    expect(parseRange(undefined, 100)).toEqual({ kind: 'whole' })
    expect(parseRange('bytes=0-9', 100)).toEqual({ kind: 'part', start: 0, end: 9 })
    expect(parseRange('bytes=90-200', 100)).toEqual({ kind: 'part', start: 90, end: 99 })
    expect(parseRange('bytes=-10', 100)).toEqual({ kind: 'part', start: 90, end: 99 })
    expect(parseRange('bytes=-500', 100)).toEqual({ kind: 'part', start: 0, end: 99 })
    expect(parseRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=5-2', 100)).toEqual({ kind: 'whole' })
    expect(parseRange('bytes=0-1,4-5', 100)).toEqual({ kind: 'whole' })
    expect(parseRange('items=0-1', 100)).toEqual({ kind: 'whole' })
  })

  it('merges ranges that touch into one, and answers the whole file for a suffix of an empty file', () => {
    expect(parseRange('bytes=0-4,5-9', 100)).toEqual({ kind: 'part', start: 0, end: 9 })
    expect(parseRange('bytes=0-9,200-', 100)).toEqual({ kind: 'part', start: 0, end: 9 })
    expect(parseRange('bytes=abc-', 100)).toEqual({ kind: 'whole' })
    expect(parseRange('bytes=-5', 0)).toEqual({ kind: 'whole' })
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' })
  })
})

describe('contentDisposition', () => {
  /** What a client reads: the exact name (filename*, else filename) and the ASCII name of clients that skip filename*. */
  const read = (header: string): { type: string; name?: string; fallback?: string } => ({
    type: parse(header).type,
    name: parse(header).parameters['filename'],
    fallback: parse(header, { extended: false }).parameters['filename']
  })

  it('gives the exact name to clients that read filename*, and an ASCII fallback that cannot break the header', () => {
    expect(read(contentDisposition('attachment', 'a.txt'))).toEqual({ type: 'attachment', name: 'a.txt', fallback: 'a.txt' })
    expect(read(contentDisposition('attachment', 'naïve "x"; y.txt'))).toEqual({ type: 'attachment', name: 'naïve "x"; y.txt', fallback: 'naive "x"; y.txt' })
    expect(read(contentDisposition('inline', '写真.png'))).toEqual({ type: 'inline', name: '写真.png', fallback: '.png' })
    expect(read(contentDisposition('attachment', "it's (1).txt"))).toEqual({ type: 'attachment', name: "it's (1).txt", fallback: "it's (1).txt" })
    // Percent signs and slashes would be decoded or split by some clients: only filename* keeps them.
    expect(read(contentDisposition('attachment', '100%41 a\\b.txt'))).toEqual({ type: 'attachment', name: '100%41 a\\b.txt', fallback: '100_41 a_b.txt' })
    expect(read(contentDisposition('attachment', 'x\ud800y'))).toEqual({ type: 'attachment', name: 'x\uFFFDy', fallback: 'xy' })
  })
})
