// Writing a signed-in client's cache and a server's message store straight in
// their on-disk formats, so a benchmark can start from an account that
// already holds a long history without sending it message by message: the
// server's segment files + clientids.log, the core's 500-seq chunk files,
// meta.json (profile, conversations, cursors), accounts.json and a refresh
// token in secrets.json (the file secret store the Node host uses).
import { copyFile, mkdir, open, readdir, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { refreshKey } from '../../src/main/core/session'
import { CHUNK_SIZE } from '../../src/main/core/cache/chunks'
import type { Conversation } from '../../src/shared/schemas/conversations'
import type { Message } from '../../src/shared/schemas/messages'
import type { Me } from '../../src/shared/schemas/users'
import { clientKey } from '../../server/store/messages/client-index'
import { encodeMessages, parseSegmentName, SEGMENT_SIZE, segmentPath } from '../../server/store/messages/segments'

/** The account as accounts.json lists it (its id is `accountId(serverUrl, userId)` when it was first added). */
export interface CachedAccount {
  id: string
  serverUrl: string
  userId: string
  username: string
  displayName: string
}

/** The server's on-disk history of one conversation (segments + clientids.log), replacing what it had. */
export async function writeServerHistory(root: string, conversationId: string, messages: Message[]): Promise<void> {
  const dir = join(root, conversationId)
  await mkdir(dir, { recursive: true })
  for (const name of await readdir(dir)) if (parseSegmentName(name) !== null || name === 'changes.log') await unlink(join(dir, name))
  const index = await open(join(dir, 'clientids.log'), 'w', 0o600)
  try {
    for (let first = 0, segment = 0; first < messages.length; first += SEGMENT_SIZE, segment++) {
      const slice = messages.slice(first, first + SEGMENT_SIZE)
      await writeFile(segmentPath(dir, segment), encodeMessages(slice), { mode: 0o600 })
      await index.write(slice.map((m) => `${m.seq}\t${clientKey(m.senderId, m.clientId)}\n`).join(''))
    }
  } finally {
    await index.close()
  }
}

/** The account's cache directory inside a user-data directory. */
export function cacheDirOf(userDataDir: string, accountId: string): string {
  return join(userDataDir, 'accounts', accountId, 'cache')
}

/**
 * One conversation's messages (seq 1..n, ascending, contiguous) as the core's
 * chunk files: messages/<conversation>/<n>.json, each `{ messages }` of CHUNK_SIZE seqs.
 */
export async function writeCacheChunks(cacheDir: string, conversationId: string, messages: Message[]): Promise<{ files: number; bytes: number }> {
  const dir = join(cacheDir, 'messages', conversationId)
  await mkdir(dir, { recursive: true })
  let files = 0
  let bytes = 0
  for (let first = 0; first < messages.length; first += CHUNK_SIZE) {
    const slice = messages.slice(first, first + CHUNK_SIZE)
    const index = Math.floor((slice[0]!.seq - 1) / CHUNK_SIZE)
    const text = JSON.stringify({ messages: slice })
    await writeFile(join(dir, `${index}.json`), text, { mode: 0o600 })
    files++
    bytes += Buffer.byteLength(text)
  }
  return { files, bytes }
}

/**
 * meta.json's text: the profile, the server's own conversation objects, and a
 * cursor per conversation claiming seqs 1..lastSeq (all of it cached).
 */
export function cacheMetaText(me: Me, conversations: Conversation[]): string {
  return JSON.stringify({
    schema: 1,
    me,
    conversations: Object.fromEntries(conversations.map((c) => [c.id, c])),
    cursors: Object.fromEntries(conversations.map((c) => [c.id, { low: 1, high: c.lastSeq, version: c.version }]))
  })
}

/**
 * Puts a user-data directory in the state of a signed-in account about to
 * resume: accounts.json (active, pointing at `serverUrl`), the refresh token,
 * meta.json copied from `metaPath`, no outbox.
 */
export async function resetAccountFiles(userDataDir: string, account: CachedAccount, serverUrl: string, refreshToken: string, metaPath: string): Promise<void> {
  await writeFile(join(userDataDir, 'accounts.json'), JSON.stringify({ accounts: [{ ...account, serverUrl }], activeId: account.id }), { mode: 0o600 })
  await writeFile(join(userDataDir, 'secrets.json'), JSON.stringify({ [refreshKey(account.id)]: refreshToken }), { mode: 0o600 })
  const cacheDir = cacheDirOf(userDataDir, account.id)
  await mkdir(cacheDir, { recursive: true })
  await copyFile(metaPath, join(cacheDir, 'meta.json'))
  await rm(join(userDataDir, 'accounts', account.id, 'outbox.json'), { force: true })
}
