// HTTP Range (RFC 9110 §14) for downloads: one byte range, or the whole file.

export type RangeAnswer = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' }

/**
 * Parses a Range header against a file's size. Several ranges, other units
 * or a malformed header are answered with the whole file, as RFC 9110 allows.
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' }
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return { kind: 'whole' }
  const [first, last] = [match[1]!, match[2]!]
  let start: number
  let end: number
  if (first === '') {
    // The last N bytes.
    const n = Number(last)
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' }
    start = Math.max(0, size - n)
    end = size - 1
  } else {
    start = Number(first)
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
    if (last !== '' && Number(last) < start) return { kind: 'whole' }
  }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'part', start, end }
}
