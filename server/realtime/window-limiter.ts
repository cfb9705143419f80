/** At most `max` takes per fixed window of `windowMs`; one per socket and kind of event. */
export class WindowLimiter {
  private windowStart = -Infinity
  private count = 0

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now
  ) {}

  take(): boolean {
    const t = this.now()
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t
      this.count = 0
    }
    if (this.count >= this.max) return false
    this.count++
    return true
  }
}
