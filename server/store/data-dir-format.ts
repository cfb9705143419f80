// The data directory's format version: `schemaVersion` in db.json, one number
// for everything in the directory (db.json and its journal, messages/, file
// records). Read at start, before anything else opens: an older directory is
// upgraded step by step after a copy of what the steps change is kept beside
// it; a newer one is refused untouched. search.sqlite is derived from
// messages/ and versioned on its own (search/search-index.ts).
import { cp, open, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir } from '../../src/node/fsync'
import { upgradePath } from '../../src/node/format-version'
import type { Logger } from '../logger'
import { SERVER_VERSION } from '../version'
import { JournaledJsonFile } from './journaled-json-file'
import { DATA_DIR_FORMAT, type DbData } from './records'
import { DATA_DIR_UPGRADES } from './upgrades/index'
import type { DataDirFormatPlan } from './upgrades/types'

const PLAN: DataDirFormatPlan = { current: DATA_DIR_FORMAT, steps: DATA_DIR_UPGRADES }

/** The directory's format; null when it holds no db.json yet (a new directory is written in the current one). */
export async function readDataDirFormat(dataDir: string): Promise<number | null> {
  const path = join(dataDir, 'db.json')
  let head: string
  try {
    head = await readHead(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  // The journal never changes schemaVersion: the snapshot alone says it. It is
  // written first, so the first bytes usually do (a 6.7 MB db.json takes 40-70 ms to parse).
  const first = /^\{"schemaVersion":(\d+)[,}]/.exec(head)
  if (first) return Number(first[1])
  const version = (JSON.parse(await readFile(path, 'utf8')) as Partial<DbData>).schemaVersion
  if (typeof version !== 'number') throw new Error(`${path} has no schemaVersion: it is not a messenger-server data directory`)
  return version
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0)
    return buffer.toString('utf8', 0, bytesRead)
  } finally {
    await handle.close()
  }
}

export function tooNewMessage(dataDir: string, found: number, current: number): string {
  return (
    `this data directory (${dataDir}) was written by a newer messenger-server (format ${found}); ` +
    `this server (${SERVER_VERSION}) reads format ${current} and older: upgrade the server`
  )
}

/**
 * Brings the data directory to `plan.current`, or throws FormatTooNewError
 * having changed nothing. Call with the directory locked. Each step's version
 * is written once it has run, so a crash repeats only the step it stopped in
 * (a step must be safe to run again over its own half-done work).
 */
export async function upgradeDataDir(dataDir: string, log: Logger, plan: DataDirFormatPlan = PLAN): Promise<void> {
  const found = await readDataDirFormat(dataDir)
  if (found === null) return
  const steps = upgradePath(found, plan.current, plan.steps, (f, c) => tooNewMessage(dataDir, f, c))
  if (steps.length === 0) return
  const backup = join(dataDir, `upgrade-backup-v${found}-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  await copyBeside(dataDir, backup, ['db.json', 'db.journal', ...steps.flatMap((s) => s.changes)])
  log.warn({ from: found, to: plan.current, backup }, `upgrading the data directory from format ${found} to ${plan.current}; a copy of what changes is in ${backup}`)
  const db = new JournaledJsonFile<DbData>(join(dataDir, 'db.json'))
  try {
    for (const step of steps) {
      await step.run({ dataDir, log, db })
      const data = (await db.read())!
      data.schemaVersion = step.from + 1
      await db.write(data)
      log.info({ step: step.name, format: step.from + 1 }, `data directory upgraded to format ${step.from + 1}: ${step.name}`)
    }
  } finally {
    await db.close()
  }
}

/** Copies the named paths that exist into `backup`, durably: the steps may change the originals once this returns. */
async function copyBeside(dataDir: string, backup: string, paths: string[]): Promise<void> {
  for (const path of new Set(paths)) {
    const from = join(dataDir, path)
    if (!(await stat(from).catch(() => null))) continue
    await cp(from, join(backup, path), { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true })
  }
  await syncTree(backup)
  await fsyncDir(dataDir)
}

async function syncTree(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await syncTree(path)
    else {
      const handle = await open(path, 'r')
      await handle.sync().finally(() => handle.close())
    }
  }
  await fsyncDir(dir)
}
