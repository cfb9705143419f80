// Retention (the admins' `retentionDays`): a job deletes messages older than
// that many days, as Mattermost's data retention does. Each conversation's
// floor moves over them (reads stop returning them at once), then the log
// removes them from disk, the search index forgets them, and files attached
// only to them are deleted. It runs at start, on a timer, and when an admin
// changes the setting; one run at a time.
import type { FileStore } from '../files/file-store'
import type { Logger } from '../logger'
import { nextTurn } from '../next-turn'
import { SerialJob } from '../serial-job'
import type { Store } from '../store/types'

const DAY_MS = 24 * 3600 * 1000
/** The job runs this often unless the server is told otherwise. */
export const RETENTION_INTERVAL_MS = 3600 * 1000
const SCAN_PAGE = 200

export class RetentionService {
  private readonly job = new SerialJob(
    () => this.sweep(),
    (err) => this.log.error({ err }, 'retention run failed; the next run tries again')
  )
  /** Told when a conversation's floor moved (the realtime layer tells its members). */
  onExpired: (conversationId: string, expiredSeq: number) => void = () => undefined

  constructor(
    private readonly store: Store,
    private readonly files: FileStore,
    private readonly now: () => number,
    private readonly log: Logger
  ) {}

  /** Runs once now and then every `intervalMs`. */
  start(intervalMs = RETENTION_INTERVAL_MS): void {
    void this.job.run()
    this.job.every(intervalMs)
  }

  /** Runs the job; during a run, asks for one more right after it. Never rejects. */
  run(): Promise<void> {
    return this.job.run()
  }

  /** Stops the timer and waits for a run in progress to reach a safe point. */
  stop(): Promise<void> {
    return this.job.stop()
  }

  private async sweep(): Promise<void> {
    const days = this.store.admin.settings().retentionDays
    if (days === null) return
    const before = new Date(this.now() - days * DAY_MS).toISOString()
    let conversations = 0
    let files = 0
    for (const id of this.store.conversations.allIds()) {
      if (this.job.stopped) break
      try {
        const result = await this.store.messages.expire(id, before)
        if (result.moved) {
          conversations++
          this.onExpired(id, result.expiredSeq)
        }
        if (result.attachments.length > 0) files += await this.deleteFiles(id, result.expiredSeq, result.attachments)
      } catch (err) {
        // A conversation deleted meanwhile, or a disk error: the others go on; the next run retries.
        if (this.store.conversations.byId(id)) this.log.warn({ err, conversationId: id }, 'retention could not expire a conversation')
      }
      await nextTurn()
    }
    if (conversations > 0 || files > 0) this.log.info({ retentionDays: days, before, conversations, files }, 'retention deleted old messages')
  }

  /**
   * Deletes the files attached to expired messages, unless a kept message of
   * the same conversation attaches them too (a sender may attach a file again).
   */
  private async deleteFiles(conversationId: string, expiredSeq: number, ids: string[]): Promise<number> {
    const candidates = new Set(ids.filter((id) => this.files.get(id)?.conversationId === conversationId))
    for (let after = expiredSeq; candidates.size > 0; ) {
      const page = await this.store.messages.page(conversationId, { after, limit: SCAN_PAGE })
      for (const m of page.messages) for (const a of m.attachments ?? []) candidates.delete(a.id)
      after = page.messages.at(-1)?.seq ?? after
      if (!page.hasMore) break
      await nextTurn()
    }
    for (const id of candidates) await this.files.remove(id)
    return candidates.size
  }
}
