import { join } from 'node:path'
import { mkdirDurable } from '../../src/node/fsync'
import { DurableJsonFile } from '../../src/node/json-file'
import { lockDataDir } from './lock'
import { FileMessageRepo } from './messages/file-message-repo'
import { MetaStore } from './meta-store'
import type { DbData } from './records'
import type { Store } from './types'

/** Opens (creating if needed) a data directory this process then owns alone. */
/** `now` stamps messages (tests move it); default the system clock. */
export async function openFileStore(dataDir: string, now?: () => number): Promise<Store> {
  await mkdirDurable(dataDir)
  const lock = await lockDataDir(dataDir)
  try {
    const meta = await MetaStore.open(new DurableJsonFile<DbData>(join(dataDir, 'db.json')))
    const messages = await FileMessageRepo.open(join(dataDir, 'messages'), now ? { now } : {})
    return {
      users: meta.users,
      conversations: meta.conversations,
      tokens: meta.tokens,
      contacts: meta.contacts,
      admin: meta.admin,
      messages,
      close: async () => {
        try {
          await messages.close()
          await meta.flush()
        } finally {
          await lock.release()
        }
      }
    }
  } catch (err) {
    await lock.release()
    throw err
  }
}
