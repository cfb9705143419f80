// HTTP Range (RFC 9110 §14) for downloads, parsed by range-parser (the parser
// Express's `send` uses): one byte range, or the whole file.
import { combineRanges, parse } from 'range-parser'

export type RangeAnswer = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' }

/**
 * A Range header against a file's size. Other units and malformed headers are
 * answered with the whole file, as RFC 9110 allows; so are several ranges that
 * do not merge into one (no multipart/byteranges: no client of ours asks).
 */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' }
  const { code, type, ranges } = parse(size, header)
  if (type !== 'bytes' || code & 1) return { kind: 'whole' }
  // None left: every range lies beyond the file (code 2), or a suffix asked of an empty file (code 0, satisfiable).
  if (ranges.length === 0) return code === 0 ? { kind: 'whole' } : { kind: 'unsatisfiable' }
  const merged = combineRanges(ranges)
  if (merged.length !== 1) return { kind: 'whole' }
  return { kind: 'part', start: merged[0]!.start, end: merged[0]!.end }
}
