import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as fsp from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '../../../server/errors'
import { lockDataDir, type DirLock } from '../../../server/store/lock'

// Node's fs is wrapped, not replaced: a test can pause a lock file being
// written (as the scheduler of another process might), our code runs as is.
const pause = vi.hoisted(() => ({
  next: null as null | { reached: () => void; until: Promise<void> }
}))

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsp>()
  const open = async (...args: Parameters<typeof actual.open>): ReturnType<typeof actual.open> => {
    const handle = await actual.open(...args)
    const gate = pause.next
    if (gate && args[1] === 'wx') {
      pause.next = null
      const writeFile = handle.writeFile.bind(handle)
      handle.writeFile = async (...w: Parameters<typeof writeFile>) => {
        gate.reached()
        await gate.until
        return writeFile(...w)
      }
    }
    return handle
  }
  return { ...actual, open }
})

let dir: string
const held: DirLock[] = []

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lock-'))
})

afterEach(async () => {
  await Promise.all(held.splice(0).map((lock) => lock.release()))
  await rm(dir, { recursive: true, force: true })
})

async function take(): Promise<DirLock> {
  const lock = await lockDataDir(dir)
  held.push(lock)
  return lock
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    child.once('error', reject)
    child.once('exit', () => {
      if (child.pid === undefined) reject(new Error('no pid'))
      else resolve(child.pid)
    })
  })
}

describe('lockDataDir', () => {
  it('writes this process id into server.lock', async () => {
    await take()
    expect(await readFile(join(dir, 'server.lock'), 'utf8')).toBe(`${process.pid}\n`)
  })

  it('refuses a second lock on the same directory with a conflict naming the directory and the owner pid', async () => {
    await take()
    const err = await rejection(lockDataDir(dir))
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('conflict')
    expect((err as AppError).message).toContain(dir)
    expect((err as AppError).message).toContain(String(process.pid))
    // The refused attempt left the owner's lock in place.
    expect(await readFile(join(dir, 'server.lock'), 'utf8')).toBe(`${process.pid}\n`)
  })

  it('lets only one of several concurrent contenders win', async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => lockDataDir(dir)))
    const won = results.filter((r): r is PromiseFulfilledResult<DirLock> => r.status === 'fulfilled')
    expect(won).toHaveLength(1)
    held.push(won[0]!.value)
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).code).toBe('conflict')
  })

  it('is not stolen while its owner is between creating the lock file and writing its pid', async () => {
    // Two servers starting at once: the first has created server.lock but not
    // yet written its pid when the second looks at it.
    let reached!: () => void
    let resume!: () => void
    const atGate = new Promise<void>((r) => (reached = r))
    pause.next = { reached, until: new Promise<void>((r) => (resume = r)) }
    const first = lockDataDir(dir).then((lock) => (held.push(lock), lock))
    await Promise.race([atGate, first.catch(() => undefined)])
    const second = lockDataDir(dir).then((lock) => (held.push(lock), lock))
    await second.catch(() => undefined)
    resume()
    const results = await Promise.allSettled([first, second])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await readFile(join(dir, 'server.lock'), 'utf8')).toBe(`${process.pid}\n`)
  })

  it('can be taken again after release, and release removes the lock file', async () => {
    const first = await take()
    await first.release()
    expect(await readdir(dir)).toEqual([])
    await take()
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(AppError)
  })

  it('releasing twice is harmless', async () => {
    const lock = await take()
    await lock.release()
    await lock.release()
    await take()
  })

  it('takes over a stale lock left by a process that has exited', async () => {
    const pid = await deadPid()
    await writeFile(join(dir, 'server.lock'), `${pid}\n`)
    await take()
    expect(await readFile(join(dir, 'server.lock'), 'utf8')).toBe(`${process.pid}\n`)
    expect(await readdir(dir)).toEqual(['server.lock'])
  })

  it('takes over a lock file with unreadable content', async () => {
    await writeFile(join(dir, 'server.lock'), 'garbage')
    await take()
    expect(await readFile(join(dir, 'server.lock'), 'utf8')).toBe(`${process.pid}\n`)
  })
})
