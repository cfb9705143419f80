import { randomBytes } from 'node:crypto'
import { link, open, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../errors'

export interface DirLock {
  release(): Promise<void>
}

/** Whether a process with this pid exists (the lock's owner, a killed backup's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Creates the lock file with our pid already in it: the pid goes to a private
 * temp file that is then hard-linked into place, which fails if the lock
 * exists. So nobody ever reads an empty lock file and mistakes it for stale.
 */
async function tryCreate(path: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`
  const handle = await open(tmp, 'wx', 0o600)
  try {
    await handle.writeFile(`${process.pid}\n`)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await link(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    await unlink(tmp).catch(() => undefined)
  }
}

/**
 * Takes the data directory for this process, so a standalone server and the
 * app's embedded one can never write the same store. A lock left by a process
 * that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DirLock> {
  const path = join(dataDir, 'server.lock')
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await tryCreate(path)) {
      return {
        release: async () => {
          await unlink(path).catch(() => undefined)
        }
      }
    }
    const text = await readFile(path, 'utf8').catch(() => null)
    if (text === null) continue // released meanwhile: try again
    const owner = Number.parseInt(text, 10)
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new AppError(
        'conflict',
        `data directory ${dataDir} is already in use by process ${owner}; stop that server first or choose another --data-dir`
      )
    }
    // Stale lock: move it aside atomically so only one contender removes it.
    const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
    if (!(await rename(path, aside).then(() => true, () => false))) continue
    // Another contender may have replaced the stale lock between our read and
    // rename: if what we moved is not what we judged stale, put it back.
    if ((await readFile(aside, 'utf8').catch(() => text)) !== text) await link(aside, path).catch(() => undefined)
    await unlink(aside).catch(() => undefined)
  }
  throw new AppError('conflict', `could not lock data directory ${dataDir}; remove ${path} if no server is running`)
}
