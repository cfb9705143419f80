// Transfer speed over the last few seconds, for "12 MB/s, 40 s left".

const WINDOW_MS = 3000

export class RateMeter {
  private samples: { at: number; bytes: number }[] = []

  constructor(private readonly now: () => number = Date.now) {}

  add(bytes: number): void {
    const at = this.now()
    this.samples.push({ at, bytes })
    while (this.samples.length > 2 && at - this.samples[0]!.at > WINDOW_MS) this.samples.shift()
  }

  /** Bytes per second, or 0 before there is enough to tell. */
  rate(): number {
    const first = this.samples[0]
    const last = this.samples[this.samples.length - 1]
    if (!first || !last || last.at === first.at) return 0
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at)
  }

  reset(): void {
    this.samples = []
  }
}
