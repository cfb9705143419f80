import { open, readFile, rename, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../errors'

export interface DirLock {
  release(): Promise<void>
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the data directory for this process, so a standalone server and the
 * app's embedded one can never write the same store. A lock left by a process
 * that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DirLock> {
  const path = join(dataDir, 'server.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.sync()
      await handle.close()
      return {
        release: async () => {
          await unlink(path).catch(() => undefined)
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new AppError(
        'conflict',
        `data directory ${dataDir} is already in use by process ${owner}; stop that server first or choose another --data-dir`
      )
    }
    // Stale lock: move it aside atomically so only one contender wins the retry.
    await rename(path, `${path}.stale-${process.pid}`).catch(() => undefined)
    await unlink(`${path}.stale-${process.pid}`).catch(() => undefined)
  }
  throw new AppError('conflict', `could not lock data directory ${dataDir}`)
}
