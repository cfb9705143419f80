import type { Change } from './journal-changes'
import { recordChange } from './journal-changes'
import type { DbData, DraftRecord } from './records'
import type { DraftRepo } from './types'

/** One key per user, conversation and thread (0: the conversation's composer). */
export const draftKey = (userId: string, conversationId: string, threadRoot: number | null): string =>
  `${userId}/${conversationId}/${threadRoot ?? 0}`

export const isEmptyDraft = (d: Pick<DraftRecord, 'text' | 'replyTo'>): boolean => d.text === '' && d.replyTo === null

/**
 * Drafts inside the meta store's lowdb document, each saved as its own
 * journal line (a draft is written about once a second while someone types:
 * never the whole document), with an index by user built at load.
 */
export class LowDraftRepo implements DraftRepo {
  private readonly byUser = new Map<string, Set<string>>()

  constructor(
    private readonly data: () => DbData,
    private readonly write: (changes: Change[]) => Promise<void>
  ) {}

  load(): void {
    const drafts = (this.data().drafts ??= {})
    for (const [key, draft] of Object.entries(drafts)) this.index(key, draft.userId)
  }

  private get drafts(): Record<string, DraftRecord> {
    return (this.data().drafts ??= {})
  }

  private index(key: string, userId: string): void {
    let keys = this.byUser.get(userId)
    if (!keys) this.byUser.set(userId, (keys = new Set()))
    keys.add(key)
  }

  private change(key: string): Change {
    return recordChange('drafts', key, () => this.drafts[key])
  }

  forUser(userId: string): Promise<DraftRecord[]> {
    return Promise.resolve(this.mine(userId))
  }

  get(userId: string, conversationId: string, threadRoot: number | null): Promise<DraftRecord | undefined> {
    return Promise.resolve(this.drafts[draftKey(userId, conversationId, threadRoot)])
  }

  private mine(userId: string): DraftRecord[] {
    return [...(this.byUser.get(userId) ?? [])].flatMap((key) => this.drafts[key] ?? [])
  }

  async put(draft: DraftRecord): Promise<{ draft: DraftRecord; written: boolean }> {
    const key = draftKey(draft.userId, draft.conversationId, draft.threadRoot)
    const stored = this.drafts[key]
    // Compared and written with no await between: concurrent puts see each other.
    if (stored && Date.parse(stored.updatedAt) >= Date.parse(draft.updatedAt)) return { draft: stored, written: false }
    this.drafts[key] = draft
    this.index(key, draft.userId)
    await this.write([this.change(key)])
    return { draft, written: true }
  }

  async clear(userId: string, conversationId: string, threadRoot: number | null): Promise<DraftRecord | undefined> {
    const key = draftKey(userId, conversationId, threadRoot)
    const stored = this.drafts[key]
    if (!stored || isEmptyDraft(stored)) return undefined
    const cleared = { ...stored, text: '', replyTo: null }
    this.drafts[key] = cleared
    await this.write([this.change(key)])
    return cleared
  }

  count(userId: string): Promise<number> {
    return Promise.resolve(this.mine(userId).filter((d) => !isEmptyDraft(d)).length)
  }

  /** A member left or was removed: their drafts there go (no write: the caller's write of the membership carries them). */
  dropMember(conversationId: string, userId: string): Change[] {
    const changes: Change[] = []
    for (const key of this.byUser.get(userId) ?? []) {
      if (this.drafts[key]?.conversationId !== conversationId) continue
      delete this.drafts[key]
      this.byUser.get(userId)?.delete(key)
      changes.push(this.change(key))
    }
    return changes
  }
}
