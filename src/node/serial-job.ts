// A job that runs when asked and, for the server's background jobs (retention,
// the upload sweeper), on a timer; the client core's outbox sender runs one
// too. Never twice at once: a run asked for during a run happens once,
// right after it. Its failures are reported, never thrown, so a timer's run
// cannot reject unhandled.
export class SerialJob {
  private running: Promise<void> | null = null
  private again = false
  private timer: NodeJS.Timeout | null = null
  private halted = false

  constructor(
    private readonly task: () => Promise<void>,
    private readonly failed: (err: unknown) => void
  ) {}

  /** True once stop() was called: a long task checks it to end at a safe point. */
  get stopped(): boolean {
    return this.halted
  }

  /** Runs the job every `intervalMs` from now; the timer keeps no process alive. */
  every(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = setInterval(() => void this.run(), intervalMs)
    this.timer.unref()
  }

  /** Runs the job; during a run, asks for one more right after it. Never rejects. */
  run(): Promise<void> {
    if (this.halted) return Promise.resolve()
    if (this.running) {
      this.again = true
      return this.running
    }
    const run = (async () => {
      do {
        this.again = false
        await this.task().catch(this.failed)
      } while (this.again && !this.halted)
    })().finally(() => (this.running = null))
    this.running = run
    return run
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    this.halted = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}
