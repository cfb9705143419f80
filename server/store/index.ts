import { join } from 'node:path'
import { mkdirDurable } from '../../src/node/fsync'
import { OneAtATimePerKey } from '../../src/node/one-at-a-time'
import type { Logger } from '../logger'
import { silentLogger } from '../logger'
import { catchUpIndex } from '../search/catch-up'
import { withSearchIndex } from '../search/indexed-repo'
import { SearchIndex } from '../search/search-index'
import { upgradeDataDir } from './data-dir-format'
import type { DataDirFormatPlan } from './upgrades/types'
import { DirFileRepo } from './dir-file-repo'
import { readHistoryEpoch } from './history-epoch'
import { JournaledJsonFile } from './journaled-json-file'
import { lockDataDir } from './lock'
import { FileMessageRepo, type FileMessageRepoOptions } from './messages/file-message-repo'
import { MetaStore } from './meta-store'
import type { DbData } from './records'
import type { Store } from './types'

export interface FileStoreOptions extends FileMessageRepoOptions {
  log?: Logger
  /** Off: no search index (tests of the store alone); default on where node:sqlite exists. */
  search?: boolean
  /** The format and upgrade steps; default this server's (tests prove the mechanism with their own). */
  format?: DataDirFormatPlan
}

/**
 * Opens (creating if needed) the data-directory engine, which this process
 * then owns alone: the lowdb journal for records, the segment log for
 * history, file records beside their bytes, and the SQLite search index,
 * which catches up with the log in the background from `start()`.
 * `now` stamps messages (tests move it); default the system clock.
 */
export async function openFileStore(dataDir: string, options: FileStoreOptions = {}): Promise<Store> {
  const log = options.log ?? silentLogger()
  await mkdirDurable(dataDir)
  const lock = await lockDataDir(dataDir)
  try {
    // Before anything reads the directory: a newer format is refused untouched, an older one upgraded.
    await upgradeDataDir(dataDir, log, options.format)
    const metaFile = new JournaledJsonFile<DbData>(join(dataDir, 'db.json'))
    const meta = await MetaStore.open(metaFile, options.now)
    // Whoever writes a message has read everything up to it (MessageRepo.append).
    const history = await FileMessageRepo.open(join(dataDir, 'messages'), options, (m) =>
      meta.conversations.markRead(m.conversationId, m.senderId, m.seq, Date.parse(m.createdAt))
    )
    const files = await DirFileRepo.open(join(dataDir, 'files'), log)
    const search = options.search === false ? null : SearchIndex.open(join(dataDir, 'search.sqlite'), log)
    const store: Store = {
      engine: 'data-dir',
      users: meta.users,
      conversations: meta.conversations,
      tokens: meta.tokens,
      contacts: meta.contacts,
      admin: meta.admin,
      userGroups: meta.userGroups,
      webhooks: meta.webhooks,
      bots: meta.bots,
      pins: meta.pins,
      saved: meta.saved,
      drafts: meta.drafts,
      notificationPrefs: meta.notificationPrefs,
      scheduled: meta.scheduled,
      messages: search ? withSearchIndex(history, search) : history,
      mentions: meta.mentions,
      threads: meta.threads,
      files,
      search,
      secrets: null,
      notices: null,
      historyEpoch: await readHistoryEpoch(dataDir),
      // One process owns the data directory: a lock in memory is every node's.
      locks: new OneAtATimePerKey(),
      // One process owns the directory: no other can be running the job.
      exclusive: async (_name, job) => {
        await job(new AbortController().signal)
        return true
      },
      start: (stopped) =>
        search
          ? store.conversations.allIds().then((ids) => catchUpIndex(store, search, ids, log, stopped))
          : Promise.resolve(),
      close: async () => {
        try {
          await history.close()
          search?.close()
          await meta.flush()
          await metaFile.close()
        } finally {
          await lock.release()
        }
      }
    }
    return store
  } catch (err) {
    await lock.release()
    throw err
  }
}
