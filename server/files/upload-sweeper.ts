// Deletes unfinished uploads nobody has sent a byte to for a while (tus's
// expiration), so abandoned parts do not fill the disk or a user's quota.
import type { Logger } from '../logger'
import type { FileService } from './files.service'

/** At most this long between sweeps, so a day's limit is kept to within minutes. */
const SWEEP_EVERY_MAX_MS = 10 * 60_000

export interface UploadSweeper {
  /** Clears the timer and waits for a sweep in progress. */
  stop(): Promise<void>
}

export function startUploadSweeper(files: FileService, log: Logger): UploadSweeper {
  let running: Promise<void> = Promise.resolve()
  const every = Math.max(20, Math.min(files.limits.unfinishedTtlMs / 2, SWEEP_EVERY_MAX_MS))
  const timer = setInterval(() => {
    running = running
      .then(() => files.sweep())
      .then((n) => {
        if (n > 0) log.info({ uploads: n }, 'deleted unfinished uploads idle too long')
      })
      .catch((err: unknown) => log.error({ err }, 'sweeping unfinished uploads failed'))
  }, every)
  timer.unref()
  return {
    stop: () => {
      clearInterval(timer)
      return running
    }
  }
}
