// Sends scheduled messages when due (issue 21 item 4). It runs at start, so
// what came due while the server was down goes out at once, then on a short
// timer: every node runs one, and the store's claims let one send each.
import { SerialJob } from '../../src/node/serial-job'
import type { Logger } from '../logger'
import type { ScheduledService } from './scheduled.service'

/** A second late at most; a due query a second costs one indexed lookup. */
const DEFAULT_INTERVAL_MS = 1_000

export function startScheduler(scheduled: ScheduledService, log: Logger, intervalMs = DEFAULT_INTERVAL_MS): SerialJob {
  const job: SerialJob = new SerialJob(
    async () => {
      const sent = await scheduled.runDue(() => job.stopped)
      if (sent > 0) log.info({ sent }, 'sent scheduled messages')
    },
    (err) => log.warn({ err }, 'sending scheduled messages failed; trying again shortly')
  )
  job.every(intervalMs)
  void job.run()
  return job
}
