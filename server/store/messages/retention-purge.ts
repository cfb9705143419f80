// Removes from disk the history retention has expired: whole segment files
// below the floor are deleted, and the segment holding the floor is rewritten
// without its expired head (temp, fsync, rename, dir fsync), so every file
// parses after a crash at any point. Run only after the floor was recorded
// (retention-mark.ts): what a crash leaves behind is hidden and removed later.
import { readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message } from '../../../src/shared/schemas/messages'
import { fsyncDir, writeFileAtomic } from '../../../src/node/fsync'
import { crashPoint } from '../../crash-point'
import { encodeMessages, parseSegmentName, readSegment, segmentOf, segmentPath } from './segments'

export interface PurgeResult {
  /** Ids of files attached to the messages removed. */
  attachments: string[]
}

/** Leftovers of an atomic rewrite cut by a crash; they may hold expired lines. */
const TEMP = /^(\d{8}\.jsonl|changes\.log)\.tmp$/

export async function purgeExpired(dir: string, expiredSeq: number): Promise<PurgeResult> {
  const result: PurgeResult = { attachments: [] }
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return result
    throw err
  }
  const boundary = segmentOf(expiredSeq + 1)
  const collect = (messages: Message[]): void => {
    for (const m of messages) for (const a of m.attachments ?? []) result.attachments.push(a.id)
  }
  let unlinked = false
  for (const name of names.filter((n) => TEMP.test(n))) {
    await unlink(join(dir, name))
    unlinked = true
  }
  // Oldest first: a crash leaves the newest segments, so the tail stays the highest file.
  const segments = names.map(parseSegmentName).filter((n): n is number => n !== null && n <= boundary).sort((a, b) => a - b)
  for (const segment of segments) {
    const { messages } = await readSegment(dir, segment)
    if (segment < boundary) {
      collect(messages)
      await unlink(segmentPath(dir, segment))
      unlinked = true
      crashPoint('retention-segment-deleted')
    } else if ((messages[0]?.seq ?? Infinity) <= expiredSeq) {
      collect(messages.filter((m) => m.seq <= expiredSeq))
      const kept = messages.filter((m) => m.seq > expiredSeq)
      await writeFileAtomic(segmentPath(dir, segment), encodeMessages(kept))
      crashPoint('retention-boundary-rewritten')
    }
  }
  if (unlinked) await fsyncDir(dir)
  return result
}
