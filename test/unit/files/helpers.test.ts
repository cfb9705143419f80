import { describe, expect, it } from 'vitest'
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
})

describe('contentDisposition', () => {
  it('keeps the exact name in filename* and an ASCII fallback that cannot break the header', () => {
    expect(contentDisposition('attachment', 'a.txt')).toBe(`attachment; filename="a.txt"; filename*=UTF-8''a.txt`)
    expect(contentDisposition('attachment', 'naïve "x"; y.txt')).toBe(`attachment; filename="naive _x__ y.txt"; filename*=UTF-8''na%C3%AFve%20%22x%22%3B%20y.txt`)
    expect(contentDisposition('inline', '写真.png')).toBe(`inline; filename=".png"; filename*=UTF-8''%E5%86%99%E7%9C%9F.png`)
    expect(contentDisposition('attachment', "it's (1).txt")).toContain(`filename*=UTF-8''it%27s%20%281%29.txt`)
  })
})
