// Node-only helpers shared by the server and the client core (never the renderer).
import { mkdir, open, rename, unlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Makes a directory entry (a created or renamed file) durable. Windows cannot
 * open a directory for fsync; NTFS journals the metadata instead.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Creates a directory and makes its entry in the parent durable. */
export async function mkdirDurable(dir: string): Promise<void> {
  const created = await mkdir(dir, { recursive: true })
  if (created !== undefined) await fsyncDir(dirname(dir))
}

/** Replaces a file atomically and durably: write temp, fsync, rename, fsync dir. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.tmp`
  const handle = await open(tmp, 'w', mode)
  try {
    try {
      await writeFile(handle, data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    throw err
  }
  await fsyncDir(dirname(path))
}
