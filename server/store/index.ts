import { join } from 'node:path'
import { mkdirDurable } from '../../src/node/fsync'
import { JournaledJsonFile } from './journaled-json-file'
import { lockDataDir } from './lock'
import { FileMessageRepo, type FileMessageRepoOptions } from './messages/file-message-repo'
import { MetaStore } from './meta-store'
import type { DbData } from './records'
import type { Store } from './types'

/** Opens (creating if needed) a data directory this process then owns alone. */
/** Message options: `now` stamps messages (tests move it); default the system clock. */
export async function openFileStore(dataDir: string, messageOptions: FileMessageRepoOptions = {}): Promise<Store> {
  await mkdirDurable(dataDir)
  const lock = await lockDataDir(dataDir)
  try {
    const metaFile = new JournaledJsonFile<DbData>(join(dataDir, 'db.json'))
    const meta = await MetaStore.open(metaFile)
    const messages = await FileMessageRepo.open(join(dataDir, 'messages'), messageOptions)
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
          await metaFile.close()
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
