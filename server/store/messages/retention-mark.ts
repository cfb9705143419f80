// How much of a conversation's history retention has deleted: messages up to
// `expiredSeq` are gone, and `version` is the change number reached when the
// change log was last rewritten (so change numbers never go back even if every
// recorded change expired). Written atomically before any file is removed, so
// after a crash the mark is ahead of the files, never behind: reads hide what
// is left and the next run deletes it.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../../../src/node/fsync'

export interface RetentionMark {
  expiredSeq: number
  version: number
}

const FILE = 'retention.json'

export async function readRetentionMark(dir: string): Promise<RetentionMark> {
  let text: string
  try {
    text = await readFile(join(dir, FILE), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { expiredSeq: 0, version: 0 }
    throw err
  }
  const mark = JSON.parse(text) as Partial<RetentionMark>
  return { expiredSeq: Number(mark.expiredSeq) || 0, version: Number(mark.version) || 0 }
}

export function writeRetentionMark(dir: string, mark: RetentionMark): Promise<void> {
  return writeFileAtomic(join(dir, FILE), JSON.stringify(mark))
}
