import { readFile } from 'node:fs/promises'
import type { Adapter } from 'lowdb'
import { writeFileAtomic } from './fsync'

/**
 * lowdb adapter that writes durably (temp file, fsync, rename, fsync dir) and
 * coalesces: while one write runs, every later caller shares the next write,
 * which saves the newest state once. So N concurrent writers cost two writes.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private running: Promise<void> | null = null
  private queued: Promise<void> | null = null
  private latest: T | undefined

  constructor(private readonly path: string) {}

  async read(): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as T
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  write(data: T): Promise<void> {
    this.latest = data
    if (this.queued) return this.queued
    if (!this.running) return this.start()
    // The next write runs whether the current one failed or not: one failed
    // write (a full disk) must not fail every later writer.
    const next = (): Promise<void> => {
      this.queued = null
      return this.start()
    }
    this.queued = this.running.then(next, next)
    return this.queued
  }

  private start(): Promise<void> {
    const text = JSON.stringify(this.latest)
    const run = writeFileAtomic(this.path, text).finally(() => {
      if (this.running === run) this.running = null
    })
    this.running = run
    return run
  }
}
