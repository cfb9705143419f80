// Online backup of the data-directory engine. The running server is not asked
// anything: every file it writes is either append-only with acknowledged
// lines fsynced (segments, changes.log, db.journal), or replaced whole by an
// atomic rename (db.json, retention.json, file records, keys), so a copy taken
// by reading is made of whole files and acknowledged lines. What makes the
// snapshot one the server can start from is the order of the copies: a thing
// is copied before what it depends on was written, i.e. referrers first and
// what they refer to after, so everything a copied record points at is
// copied too, and the result looks like a state a crash of the server could
// have left (which it recovers from). In order:
//   1. keys and certificate (written once);
//   2. accounts and conversations (db.json with its journal, one generation);
//   3. history of the conversations copied in 2 (one made since is left out
//      whole), conversation by conversation: changes.log before the segments
//      (an edit never names a seq the copied segments lack), the dedupe index
//      (a projection, rebuilt on load), the segments oldest first, then
//      system.seqs and retention.json (both are written before what they
//      describe, so copied after it they cover it). Read marks copied in 2 are
//      never ahead of this history.
//   4. files: each record, then its bytes (complete files never change); the
//      files a copied message carries were complete before it was sent.
// Left out: the lock, temporary files, unfinished uploads, and the search
// index (SQLite, rebuilt from the history at start).
import type { Dirent } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { BackupManifest } from '../../src/shared/schemas/backup'
import { JournaledJsonFile } from '../store/journaled-json-file'
import type { DbData } from '../store/records'
import { readIfExists } from './copy'
import { BackupDir } from './backup-dir'

export class BackupError extends Error {}

export interface BackupOptions {
  /** Where files' bytes are, if not DATA_DIR/files (--files-dir). */
  filesDir?: string
  progress?: (line: string) => void
  /** Tests: runs after each file of the data directory is read (its path in the backup), to change the data directory right then. */
  afterRead?: (path: string) => Promise<void>
}

export interface BackupSummary {
  manifest: BackupManifest
  conversations: number
  /** Conversations deleted while they were being copied (left out). */
  deletedMeanwhile: number
  /** History directories of conversations the copied records do not hold (made during the backup, or stray): left out. */
  strayHistories: number
  files: number
  unfinishedUploads: number
}

/** Never copied: the lock, leftovers of atomic writes, the rebuildable search index. */
const SKIPPED = /^(server\.lock.*|.*\.tmp|search\.sqlite(-wal|-shm|-journal)?)$/
const SEGMENT = /^\d{8}\.jsonl$/
const RECORD = /^([0-9a-f-]{36})\.json$/

/** The pid in DIR/server.lock if that process is alive, else null. */
async function lockHolder(dataDir: string): Promise<number | null> {
  const text = await readFile(join(dataDir, 'server.lock'), 'utf8').catch(() => null)
  const pid = Number.parseInt(text ?? '', 10)
  if (!Number.isInteger(pid) || pid <= 0) return null
  try {
    process.kill(pid, 0)
    return pid
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null
  }
}

async function list(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

export async function createBackup(dataDir: string, target: string, options: BackupOptions = {}): Promise<BackupSummary> {
  const progress = options.progress ?? (() => undefined)
  if (!(await readIfExists(join(dataDir, 'db.json')))) {
    throw new BackupError(
      `${dataDir} holds no server data (no db.json): give the server's --data-dir (a new server writes it with its first account; a server on PostgreSQL keeps none)`
    )
  }
  const serverPid = await lockHolder(dataDir)
  progress(serverPid ? `server process ${serverPid} is running on ${dataDir}: backing up online` : `no server is running on ${dataDir}`)
  const backup = await BackupDir.create(target, options.afterRead)
  try {
    await copyRootFiles(backup, dataDir, '')
    progress(`copying accounts and conversations`)
    const known = await copyMeta(backup, dataDir)
    const histories = (await list(join(dataDir, 'messages'))).filter((e) => e.isDirectory()).map((e) => e.name)
    const conversations = histories.filter((id) => known.has(id))
    progress(`copying history of ${conversations.length} conversations`)
    let deletedMeanwhile = 0
    for (const id of conversations) if (!(await copyConversation(backup, join(dataDir, 'messages', id), `messages/${id}`))) deletedMeanwhile++
    progress(`copying files`)
    const files = await copyFiles(backup, options.filesDir ?? join(dataDir, 'files'))
    const manifest = await backup.seal(serverPid)
    return { manifest, conversations: conversations.length - deletedMeanwhile, deletedMeanwhile, strayHistories: histories.length - conversations.length, ...files }
  } catch (err) {
    await backup.abandon()
    throw err
  }
}

/** Everything outside the three stores (keys, certificate, anything unknown), whole. */
async function copyRootFiles(backup: BackupDir, dir: string, prefix: string): Promise<void> {
  for (const entry of await list(dir)) {
    const path = prefix + entry.name
    if (SKIPPED.test(entry.name) || ['db.json', 'db.journal', 'messages', 'files'].includes(path)) continue
    if (entry.isDirectory()) await copyRootFiles(backup, join(dir, entry.name), `${path}/`)
    else if (entry.isFile()) await backup.copy(join(dir, entry.name), path)
  }
}

/**
 * db.json and the journal of the same generation. Compaction writes a new
 * db.json, then a new journal: a journal newer than the snapshot read means
 * a compaction ran between the two reads, so both are read again. (An older
 * one is what the server itself may meet after a crash: it ignores it, and the
 * snapshot holds its records.) Answers the ids of the conversations copied, read
 * back from the copy as the server will read it.
 */
async function copyMeta(backup: BackupDir, dataDir: string): Promise<Set<string>> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const snapshot = await readIfExists(join(dataDir, 'db.json'))
    if (!snapshot) throw new BackupError(`db.json disappeared from ${dataDir} during the backup`)
    const gen = Number((JSON.parse(snapshot.toString('utf8')) as { journalGen?: unknown }).journalGen ?? 0)
    await backup.read('db.json')
    const journal = await readIfExists(join(dataDir, 'db.journal'))
    await backup.read('db.journal')
    if (journal && journalGen(journal) > gen) continue
    await backup.write('db.json', snapshot)
    if (journal) await backup.write('db.journal', journal)
    const copied = await new JournaledJsonFile<DbData>(join(backup.work, 'db.json')).read()
    return new Set(Object.keys(copied?.conversations ?? {}))
  }
  throw new BackupError('db.json kept changing generation while it was read (50 tries); try again')
}

function journalGen(journal: Buffer): number {
  const end = journal.indexOf(0x0a)
  try {
    return Number((JSON.parse(journal.toString('utf8', 0, end < 0 ? journal.length : end)) as { gen?: unknown }).gen ?? -1)
  } catch {
    return -1
  }
}

/** One conversation's history, in the order above; false if it was deleted meanwhile (then nothing of it is kept). */
async function copyConversation(backup: BackupDir, dir: string, prefix: string): Promise<boolean> {
  const names = (await list(dir)).filter((e) => e.isFile() && !SKIPPED.test(e.name)).map((e) => e.name)
  const segments = names.filter((n) => SEGMENT.test(n)).sort()
  const first = ['changes.log', 'clientids.log']
  const last = ['system.seqs', 'retention.json']
  const rest = names.filter((n) => !SEGMENT.test(n) && !first.includes(n) && !last.includes(n))
  // Retention may delete an old segment meanwhile: its mark, copied after, covers it.
  for (const name of [...first, ...segments, ...rest, ...last]) await backup.copy(join(dir, name), `${prefix}/${name}`)
  const stillThere = await stat(dir).then(
    () => true,
    () => false
  )
  if (!stillThere) await backup.forget(prefix)
  return stillThere
}

/** Complete files with their records; unfinished uploads are left out. */
async function copyFiles(backup: BackupDir, dir: string): Promise<{ files: number; unfinishedUploads: number }> {
  let files = 0
  let unfinishedUploads = 0
  for (const entry of await list(dir)) {
    const id = RECORD.exec(entry.name)?.[1]
    if (!id || !entry.isFile()) continue
    const text = await readIfExists(join(dir, entry.name))
    if (!text) continue // removed meanwhile
    let record: { complete?: unknown }
    try {
      record = JSON.parse(text.toString('utf8')) as { complete?: unknown }
    } catch {
      continue // the server skips an unreadable record too
    }
    if (record.complete !== true) {
      unfinishedUploads++
      continue
    }
    // The bytes were in place before the record said complete; gone now means the file was deleted meanwhile.
    if (!(await backup.copy(join(dir, id), `files/${id}`))) continue
    await backup.write(`files/${entry.name}`, text)
    files++
  }
  return { files, unfinishedUploads }
}
