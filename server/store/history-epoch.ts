// A data directory restored from a backup carries a new history epoch
// (`history-epoch`, written by `messenger-server restore`), which the server
// hands to apps with the conversation list: an app whose cache was filled
// from another epoch drops it, since after a restore the same seqs can hold
// other messages. A directory never restored has none.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../../src/node/fsync'

export const HISTORY_EPOCH_FILE = 'history-epoch'

export async function readHistoryEpoch(dataDir: string): Promise<string | null> {
  try {
    return (await readFile(join(dataDir, HISTORY_EPOCH_FILE), 'utf8')).trim() || null
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

/** Gives a directory being restored an epoch of its own. */
export async function writeNewHistoryEpoch(dataDir: string): Promise<string> {
  const epoch = randomUUID()
  await writeFileAtomic(join(dataDir, HISTORY_EPOCH_FILE), `${epoch}\n`)
  return epoch
}
