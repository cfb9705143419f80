// One pending "try again later" for a queue (the outbox, the transfers): a
// second request while one waits is the same retry, and a stopped queue never
// schedules one. Unref'd, so a waiting retry never keeps the process alive.
export class RetryTimer {
  private timer: NodeJS.Timeout | null = null
  private stopped = false

  constructor(
    private readonly delayMs: number,
    private readonly run: () => void
  ) {}

  schedule(): void {
    if (this.timer || this.stopped) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.run()
    }, this.delayMs)
    this.timer.unref()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
