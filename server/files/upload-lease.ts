// Keeps an upload's writer's lease (FileRepo.claim) while its bytes come.
// Every third of the lease's term, if bytes came since the last time, it
// makes them durable and records them with the renewal: a node that dies
// loses at most that much, and any node answers an offset close behind the
// writer's. A write that goes silent for a whole term lets its lease lapse,
// so the client may resume through another node without waiting for this
// connection to time out; if nobody took the upload meanwhile, the next
// bytes renew it.
import { AppError } from '../errors'
import type { UploadProgress } from '../store/types'
import type { PartProgress } from './write-part'

export class LeaseKeeper {
  /** Why the write must stop: the lease was taken by another request, or could not be renewed. */
  lost: Error | null = null
  private readonly timer: NodeJS.Timeout
  private ticking: Promise<void> | null = null
  private progress: PartProgress | null = null
  private stopped = false

  constructor(
    private readonly renew: (progress: UploadProgress) => Promise<boolean>,
    /** Told once when the lease is lost: stop the write. */
    private readonly onLost: (err: Error) => void,
    /** Where the write starts: bytes past it are new. */
    private renewedAt: number,
    termMs: number,
    private readonly now: () => number
  ) {
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.floor(termMs / 3)))
  }

  /** The write to keep the lease for, once it runs. */
  watch(progress: PartProgress): void {
    this.progress = progress
  }

  /** No more renewals; waits for one in progress. */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.ticking
  }

  private tick(): void {
    const progress = this.progress
    if (this.ticking || this.stopped || this.lost || !progress) return
    const written = progress.written()
    if (written === this.renewedAt) return
    this.ticking = (async () => {
      let offset: number
      try {
        offset = await progress.durable()
      } catch (err) {
        // Once stopped, the write is over: its own end makes its bytes durable and records them.
        if (this.stopped) return
        throw new AppError('unavailable', `the server could not store these bytes (${(err as Error).message}); ask the offset and resume later`)
      }
      if (!(await this.renew({ offset, touchedAt: this.now() }))) {
        throw new AppError('conflict', 'another request took this upload over while this one was silent; ask the offset and resume from there')
      }
      this.renewedAt = written
    })()
      .catch((err: unknown) => {
        this.lost = err instanceof Error ? err : new Error(String(err))
        if (!this.stopped) this.onLost(this.lost)
      })
      .finally(() => (this.ticking = null))
  }
}
