// One pending "try again later" for a queue (the outbox, the transfers): a
// second request while one waits is the same retry, and a stopped queue never
// schedules one. Unref'd, so a waiting retry never keeps the process alive.
import { ClientError } from './errors'

/**
 * How long to wait before trying again after `err`: when the server said
 * (rate_limited's retryAfterMs) plus a little jitter, so a user's devices
 * do not all come back in the same instant; else `fallbackMs`.
 */
export function waitAfter(err: unknown, fallbackMs: number): number {
  const said = err instanceof ClientError ? err.retryAfterMs : undefined
  if (said === undefined) return fallbackMs
  return said + Math.round(Math.random() * Math.min(1000, 100 + said / 10))
}

export class RetryTimer {
  private timer: NodeJS.Timeout | null = null
  private stopped = false

  constructor(
    private readonly delayMs: number,
    private readonly run: () => void
  ) {}

  /** After `delayMs` (default: the timer's own), unless a retry is already waiting. */
  schedule(delayMs = this.delayMs): void {
    if (this.timer || this.stopped) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.run()
    }, delayMs)
    this.timer.unref()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
