// Retention (the admins' `retentionDays`): a job deletes messages older than
// that many days, as Mattermost's data retention does. Each conversation's
// floor moves over them (reads stop returning them at once), then the log
// removes them from disk, the search index forgets them, and files attached
// only to them are deleted. It runs at start, on a timer, and when an admin
// changes the setting; one run at a time, on one node of an organisation at
// a time (Store.exclusive): a node that finds another running it skips that
// round.
import type { FileStore } from '../files/file-store'
import type { Logger } from '../logger'
import { nextTurn } from '../next-turn'
import { SerialJob } from '../../src/node/serial-job'
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
  /**
   * Per conversation, a time no message it keeps is older than, learnt by
   * the last run that looked: until the cut-off passes it there is nothing to
   * expire, and the run leaves that conversation's log closed (opening every
   * log each hour would push the busy ones out of the store's open logs).
   * New messages are newer still; only this job removes old ones.
   */
  private readonly keptFrom = new Map<string, string>()
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
    const ran = await this.store.exclusive('retention', (lost) => this.expireAll(lost))
    if (!ran) this.log.debug('retention skipped this round: another node is running it')
  }

  private async expireAll(lost: AbortSignal): Promise<void> {
    const days = (await this.store.admin.settings()).retentionDays
    if (days === null) return
    const now = this.now()
    const started = new Date(now).toISOString()
    const before = new Date(now - days * DAY_MS).toISOString()
    let conversations = 0
    let files = 0
    const ids = await this.store.conversations.allIds()
    const live = new Set(ids)
    for (const known of this.keptFrom.keys()) if (!live.has(known)) this.keptFrom.delete(known)
    for (const id of ids) {
      // Lost: another node may be running it now; the next round goes on.
      if (this.job.stopped || lost.aborted) break
      const kept = this.keptFrom.get(id)
      if (kept !== undefined && kept >= before) continue
      try {
        const result = await this.store.messages.expire(id, before)
        if (result.moved) {
          conversations++
          this.onExpired(id, result.expiredSeq)
        }
        if (result.attachments.length > 0) files += await this.deleteFiles(id, result.expiredSeq, result.attachments)
        // Nothing kept: any message yet to come is created after this run began.
        this.keptFrom.set(id, result.keptFrom ?? started)
      } catch (err) {
        // A conversation deleted meanwhile, or a disk error: the others go on; the next run retries.
        if (await this.store.conversations.byId(id).catch(() => true)) this.log.warn({ err, conversationId: id }, 'retention could not expire a conversation')
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
    const candidates = new Set<string>()
    for (const id of ids) if ((await this.files.get(id))?.conversationId === conversationId) candidates.add(id)
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
