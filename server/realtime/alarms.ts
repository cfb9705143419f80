/** Longest delay setTimeout keeps (about 24.8 days); a later alarm wakes then and waits again. */
const MAX_DELAY_MS = 2 ** 31 - 1

/**
 * One timer per key, at an absolute time, unref'd (it never holds the process
 * open). A new time for a key replaces its old one.
 */
export class Alarms {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private closed = false

  constructor(private readonly now: () => number = Date.now) {}

  set(key: string, at: number | null, fire: () => void): void {
    this.clear(key)
    if (at === null || this.closed) return
    const delay = Math.max(0, at - this.now())
    const timer = setTimeout(() => {
      this.timers.delete(key)
      if (at > this.now()) this.set(key, at, fire)
      else fire()
    }, Math.min(delay, MAX_DELAY_MS))
    timer.unref()
    this.timers.set(key, timer)
  }

  clear(key: string): void {
    clearTimeout(this.timers.get(key))
    this.timers.delete(key)
  }

  close(): void {
    this.closed = true
    for (const key of [...this.timers.keys()]) this.clear(key)
  }
}
