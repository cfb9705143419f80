// On-disk layout of one conversation's history: fixed-size segments of JSON
// lines, so a seq maps to its file by arithmetic and no write ever touches
// more than the tail file.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message } from '../../../src/shared/schemas/messages'
import { readJsonLines } from '../json-lines'

export const SEGMENT_SIZE = 512

export function segmentOf(seq: number): number {
  return Math.floor((seq - 1) / SEGMENT_SIZE)
}

export function segmentPath(dir: string, segment: number): string {
  return join(dir, `${String(segment).padStart(8, '0')}.jsonl`)
}

export function parseSegmentName(name: string): number | null {
  const match = /^(\d{8})\.jsonl$/.exec(name)
  return match ? Number(match[1]) : null
}

export interface ParsedSegment {
  messages: Message[]
  /** Bytes of the file that hold whole, valid lines; anything after is a torn write. */
  validBytes: number
  torn: boolean
}

/**
 * Reads a segment, keeping lines up to the first one that is cut, corrupt or
 * out of sequence. Acknowledged lines were fsynced before their ack, so what
 * is dropped here was never acknowledged to anyone.
 */
export function parseSegment(buf: Buffer, segment: number): ParsedSegment {
  const first = segment * SEGMENT_SIZE + 1
  // Retention may have rewritten the segment without its expired head, so the
  // first line may start anywhere in the segment's range; the rest follow it.
  let start = first
  const { items, validBytes } = readJsonLines<Message>(buf, (m, i) => {
    if (i > 0) return m.seq === start + i
    start = m.seq
    return Number.isInteger(m.seq) && m.seq >= first && m.seq < first + SEGMENT_SIZE
  })
  return { messages: items, validBytes, torn: validBytes < buf.length }
}

export async function readSegment(dir: string, segment: number): Promise<ParsedSegment> {
  try {
    return parseSegment(await readFile(segmentPath(dir, segment)), segment)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { messages: [], validBytes: 0, torn: false }
    throw err
  }
}

export function encodeMessages(messages: Message[]): string {
  let out = ''
  for (const m of messages) out += JSON.stringify(m) + '\n'
  return out
}
