// Drafts of one account: kept in its cache (so they survive a restart and
// work offline), pushed to the server about a second after the last key with
// the time they were typed, pushed again after a reconnect, and merged with
// what the server sends, newest by that time winning.
import { draftKey, DraftResponse, DraftsResponse, type Draft } from '../../shared/schemas/drafts'
import type { AccountCache, CachedDraft } from './cache/account-cache'
import { ClientError, isTransient } from './errors'
import type { EventBatcher } from './event-batcher'
import type { Logger } from './logger'
import { fromServer } from './server-data'
import type { Session } from './session'

/** How long typing may pause before the draft goes to the server. */
export const DRAFT_PUSH_DELAY_MS = 1000

export interface DraftSyncDeps {
  cache: AccountCache
  session: Pick<Session, 'request'>
  events: EventBatcher
  log: Logger
  online: () => boolean
  now?: () => number
}

const isEmpty = (d: Pick<Draft, 'text' | 'replyTo'>): boolean => d.text === '' && d.replyTo === null
const keyOf = (d: Pick<Draft, 'conversationId' | 'threadRoot'>): string => draftKey(d.conversationId, d.threadRoot)
const plain = ({ pending: _pending, ...draft }: CachedDraft): Draft => draft

export class DraftSync {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private closed = false

  constructor(private readonly deps: DraftSyncDeps) {}

  /** The drafts with text or a reply. */
  list(): Draft[] {
    return this.deps.cache
      .drafts()
      .filter((d) => !isEmpty(d))
      .map(plain)
  }

  /** The window's composer changed: kept now, sent once typing pauses. */
  set(input: Omit<Draft, 'updatedAt'>): Draft {
    const key = keyOf(input)
    const known = this.deps.cache.draft(key)
    if (!known && isEmpty(input)) return { ...input, updatedAt: new Date((this.deps.now ?? Date.now)()).toISOString() }
    // Never older than what this device had: a clock set back must not lose to its own earlier draft.
    const at = Math.max((this.deps.now ?? Date.now)(), known ? Date.parse(known.updatedAt) + 1 : 0)
    const draft: CachedDraft = { ...input, updatedAt: new Date(at).toISOString(), pending: true }
    this.deps.cache.putDraft(key, draft)
    this.schedule(key)
    return plain(draft)
  }

  /** draft:updated from the server (another device wrote it, or a message sent from it emptied it). */
  onServer(draft: Draft): void {
    this.merge(draft)
  }

  /** After a (re)connect: the server's drafts merged in, those it no longer has dropped, this device's unsent ones sent. */
  async resync(): Promise<void> {
    const { drafts } = fromServer(DraftsResponse, await this.deps.session.request('GET', '/drafts'), 'drafts')
    const onServer = new Set(drafts.map(keyOf))
    for (const draft of drafts) this.merge(draft)
    for (const local of this.deps.cache.drafts()) {
      const key = keyOf(local)
      if (local.pending) void this.push(key)
      else if (!onServer.has(key)) this.forget(key, local)
    }
  }

  close(): void {
    this.closed = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }

  /** Takes the server's draft unless this device has a newer one; tells the window when what it shows changes. */
  private merge(draft: Draft): void {
    const key = keyOf(draft)
    const local = this.deps.cache.draft(key)
    if (local && Date.parse(local.updatedAt) > Date.parse(draft.updatedAt)) return
    const changed = !local || local.text !== draft.text || local.replyTo !== draft.replyTo
    this.deps.cache.putDraft(key, isEmpty(draft) ? null : { ...draft, pending: false })
    if (changed) this.deps.events.emit('drafts', { drafts: [draft] })
  }

  private forget(key: string, local: CachedDraft): void {
    this.deps.cache.putDraft(key, null)
    if (!isEmpty(local)) this.deps.events.emit('drafts', { drafts: [{ ...plain(local), text: '', replyTo: null }] })
  }

  private schedule(key: string): void {
    clearTimeout(this.timers.get(key))
    const timer = setTimeout(() => {
      this.timers.delete(key)
      void this.push(key)
    }, DRAFT_PUSH_DELAY_MS)
    timer.unref()
    this.timers.set(key, timer)
  }

  private async push(key: string): Promise<void> {
    const local = this.deps.cache.draft(key)
    // Offline: the reconnect's resync sends it.
    if (this.closed || !local?.pending || !this.deps.online()) return
    const { conversationId, threadRoot, text, replyTo, updatedAt } = local
    try {
      const answer = await this.deps.session.request('PUT', `/drafts/${conversationId}`, { body: { threadRoot, text, replyTo, updatedAt } })
      if (this.closed) return
      this.merge(fromServer(DraftResponse, answer, 'draft').draft)
    } catch (err) {
      if (isTransient(err)) {
        this.deps.log.info('draft not sent; sent again after the next connection', { err })
        return
      }
      // The server refused it for good (the conversation was left, or its thread is gone): this device drops it too.
      this.deps.log.warn('the server refused a draft; dropped', { err, code: err instanceof ClientError ? err.code : undefined })
      if (this.deps.cache.draft(key)?.updatedAt === updatedAt) this.forget(key, local)
    }
  }
}
