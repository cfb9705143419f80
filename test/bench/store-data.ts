// Writes message history straight into the on-disk format of
// server/store/messages (segments of SEGMENT_SIZE JSON lines plus the
// clientids.log projection), which is far faster than appending 1M messages
// durably one by one. The format helpers are the server's own.
import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, stat, truncate, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Message } from '../../src/shared/schemas/messages'
import { clientKey } from '../../server/store/messages/client-index'
import { encodeMessages, SEGMENT_SIZE, segmentPath } from '../../server/store/messages/segments'

export const FILLER = ' lorem ipsum dolor sit amet, consectetur adipiscing elit'

/** Writes `count` messages (seq 1..count) for one conversation into `<root>/<conversationId>/`. */
export async function writeHistory(root: string, conversationId: string, count: number, senderIds: string[]): Promise<void> {
  const dir = join(root, conversationId)
  await mkdir(dir, { recursive: true })
  const index = await open(join(dir, 'clientids.log'), 'w', 0o600)
  const startMs = Date.now() - count * 1000
  try {
    for (let first = 1, segment = 0; first <= count; first += SEGMENT_SIZE, segment++) {
      const messages: Message[] = []
      let indexLines = ''
      for (let seq = first; seq < Math.min(count + 1, first + SEGMENT_SIZE); seq++) {
        const message: Message = {
          id: randomUUID(),
          clientId: randomUUID(),
          conversationId,
          seq,
          kind: 'text',
          senderId: senderIds[seq % senderIds.length]!,
          text: `seed message ${seq}${FILLER}`,
          createdAt: new Date(startMs + seq * 1000).toISOString()
        }
        messages.push(message)
        indexLines += `${seq}\t${clientKey(message.senderId, message.clientId)}\n`
      }
      await writeFile(segmentPath(dir, segment), encodeMessages(messages), { mode: 0o600 })
      await index.write(indexLines)
    }
  } finally {
    await index.close()
  }
}

/** File sizes of a conversation directory, to undo a benchmark's appends afterwards. */
export type DirSnapshot = Map<string, number>

export async function snapshotDir(dir: string): Promise<DirSnapshot> {
  const sizes: DirSnapshot = new Map()
  for (const name of await readdir(dir)) sizes.set(name, (await stat(join(dir, name))).size)
  return sizes
}

/** Removes files created since the snapshot and cuts appended bytes off the others. */
export async function restoreDir(dir: string, snapshot: DirSnapshot): Promise<void> {
  for (const name of await readdir(dir)) {
    const size = snapshot.get(name)
    const path = join(dir, name)
    if (size === undefined) await unlink(path)
    else if ((await stat(path)).size !== size) await truncate(path, size)
  }
}
