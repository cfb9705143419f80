// Deletes unfinished uploads nobody has sent a byte to for a while (tus's
// expiration), so abandoned parts do not fill the disk or a user's quota.
import type { Logger } from '../logger'
import { SerialJob } from '../../src/node/serial-job'
import type { FileService } from './files.service'

/** At most this long between sweeps, so a day's limit is kept to within minutes. */
const SWEEP_EVERY_MAX_MS = 10 * 60_000

/** Starts sweeping on a timer; `stop()` clears it and waits for a sweep in progress. */
export function startUploadSweeper(files: FileService, log: Logger): SerialJob {
  const job = new SerialJob(
    async () => {
      const n = await files.sweep()
      if (n > 0) log.info({ uploads: n }, 'deleted unfinished uploads idle too long')
    },
    (err) => log.error({ err }, 'sweeping unfinished uploads failed')
  )
  job.every(Math.max(20, Math.min(files.limits.unfinishedTtlMs / 2, SWEEP_EVERY_MAX_MS)))
  return job
}
