// Restore: a backup becomes a new data directory only if it is whole. The
// manifest must be there and parse; every file it lists must be there with
// its size and SHA-256, and nothing else may be. The files are copied into a
// hidden directory beside the target while their hashes are checked, and the
// directory is renamed into place only once all of them matched, so a server
// can never be started on half a restore.
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { BACKUP_FORMAT_VERSION, BackupManifest, type BackupFile } from '../../src/shared/schemas/backup'
import { fsyncDir, mkdirDurable } from '../../src/node/fsync'
import { copyHashed, hashFile, readIfExists } from './copy'
import { writeNewHistoryEpoch } from '../store/history-epoch'
import { isEmptyOrMissing, MANIFEST, moveIntoPlace, removeLeftovers, workName } from './backup-dir'

export class RestoreError extends Error {}

/** Problems are listed up to this many; the rest are counted. */
const SHOWN = 10

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = prefix + entry.name
    if (entry.isDirectory()) out.push(...(await walk(join(dir, entry.name), `${path}/`)))
    else out.push(path)
  }
  return out
}

function refuse(from: string, problems: string[]): never {
  const shown = problems.slice(0, SHOWN).map((p) => `  ${p}`)
  if (problems.length > SHOWN) shown.push(`  and ${problems.length - SHOWN} more`)
  throw new RestoreError(`${from} is damaged or incomplete; nothing was restored:\n${shown.join('\n')}`)
}

/** Reads and checks the manifest and that the listed files are there with their sizes (hashes are checked while copying). */
export async function readManifest(from: string): Promise<BackupManifest> {
  const raw = await readIfExists(join(from, MANIFEST)).catch((err: NodeJS.ErrnoException) => {
    throw new RestoreError(`cannot read ${from}: ${err.message}`)
  })
  if (!raw && !(await stat(from).catch(() => null))) throw new RestoreError(`${from} does not exist`)
  if (!raw) throw new RestoreError(`${from} has no ${MANIFEST}: it is not a backup, or one that was cut short (the manifest is written last)`)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw.toString('utf8'))
  } catch (err) {
    throw new RestoreError(`${from}/${MANIFEST} is damaged: ${(err as Error).message}`)
  }
  const version = (parsed as { formatVersion?: unknown } | null)?.formatVersion
  if (typeof version === 'number' && version > BACKUP_FORMAT_VERSION) {
    throw new RestoreError(`${from} was made by a newer server (backup format ${version}); this server reads format ${BACKUP_FORMAT_VERSION}`)
  }
  const manifest = BackupManifest.safeParse(parsed)
  if (!manifest.success) {
    const issue = manifest.error.issues[0]
    throw new RestoreError(`${from}/${MANIFEST} is damaged: ${issue?.path.join('.') || 'its content'}: ${issue?.message ?? 'invalid'}`)
  }
  const sizes = new Map<string, number>()
  for (const path of await walk(from)) if (path !== MANIFEST) sizes.set(path, (await stat(join(from, path))).size)
  const problems: string[] = []
  const listed = new Set<string>()
  for (const file of manifest.data.files) {
    listed.add(file.path)
    const size = sizes.get(file.path)
    if (size === undefined) problems.push(`${file.path} is missing`)
    else if (size !== file.size) problems.push(`${file.path} is ${size} bytes; the manifest says ${file.size}`)
  }
  for (const path of sizes.keys()) if (!listed.has(path)) problems.push(`${path} is not in the manifest`)
  if (problems.length > 0) refuse(from, problems)
  return manifest.data
}

export interface RestoreOptions {
  /** Verify only: read and hash every file, write nothing. */
  check?: boolean
  progress?: (line: string) => void
}

/** Verifies the backup at `from` and makes it the data directory `dataDir`, which must not exist or be empty. */
export async function restoreBackup(from: string, dataDir: string | null, options: RestoreOptions = {}): Promise<BackupManifest> {
  if (dataDir && !(await isEmptyOrMissing(dataDir))) {
    throw new RestoreError(`${dataDir} is not empty: restore only into a new or empty directory (a server's data directory is never overwritten)`)
  }
  const manifest = await readManifest(from)
  options.progress?.(`backup of ${manifest.startedAt} by server ${manifest.serverVersion}: ${manifest.files.length} files`)
  if (!dataDir) {
    const problems = await verifyHashes(from, manifest.files, null)
    if (problems.length > 0) refuse(from, problems)
    return manifest
  }
  await mkdirDurable(dirname(dataDir))
  await removeLeftovers(dataDir, 'restoring')
  const work = workName(dataDir, 'restoring')
  await mkdir(work, { mode: 0o700 })
  try {
    const problems = await verifyHashes(from, manifest.files, work)
    if (problems.length > 0) refuse(from, problems)
    // Apps that cached this history after the backup was taken learn from the new epoch to fetch it again.
    await writeNewHistoryEpoch(work)
    await moveIntoPlace(work, dataDir)
  } catch (err) {
    await rm(work, { recursive: true, force: true })
    throw err
  }
  return manifest
}

/** Hashes every listed file (copying it under `work` if given); answers what did not match. */
async function verifyHashes(from: string, files: BackupFile[], work: string | null): Promise<string[]> {
  const problems: string[] = []
  const dirs = new Set<string>()
  for (const file of files) {
    let copied
    if (work) {
      const parts = file.path.split('/').slice(0, -1)
      if (parts.length > 0 && !dirs.has(parts.join('/'))) {
        await mkdir(join(work, ...parts), { recursive: true, mode: 0o700 })
        for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'))
      }
      copied = await copyHashed(join(from, file.path), join(work, file.path))
    } else {
      copied = await hashFile(join(from, file.path))
    }
    if (!copied) problems.push(`${file.path} is missing`)
    else if (copied.sha256 !== file.sha256) problems.push(`${file.path} does not match its SHA-256 in the manifest`)
    else if (copied.size !== file.size) problems.push(`${file.path} is ${copied.size} bytes; the manifest says ${file.size}`)
  }
  if (work && problems.length === 0) {
    for (const dir of [...dirs].sort((a, b) => b.length - a.length)) await fsyncDir(join(work, dir))
    await fsyncDir(work)
  }
  return problems
}
