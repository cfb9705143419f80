import type { Draft, PutDraftBody } from '../../src/shared/schemas/drafts'
import type { Message } from '../../src/shared/schemas/messages'
import { AppError, notFound } from '../errors'
import type { Logger } from '../logger'
import { isEmptyDraft } from '../store/draft-repo'
import type { DraftRecord } from '../store/records'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'

/** Drafts with text a user may keep at once: more than anyone writes, few enough that a script cannot fill the store. */
export const MAX_DRAFTS_PER_USER = 200

const toDraft = ({ userId: _userId, ...draft }: DraftRecord): Draft => draft

/** A changed draft, for the user's devices: all of them, or all but the session that wrote it. */
export type DraftListener = (userId: string, draft: Draft, exceptSessionId: string | null) => void

/**
 * Drafts per conversation and thread, kept so a person's other devices show
 * what they started writing. Devices settle on the newest by the time it was
 * typed; a sent message empties the draft it came from.
 */
export class DraftService {
  onChanged: DraftListener | null = null

  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly log: Logger
  ) {}

  async list(userId: string): Promise<Draft[]> {
    const mine = new Set((await this.store.conversations.forUser(userId)).map((c) => c.id))
    return (await this.store.drafts.forUser(userId)).filter((d) => !isEmptyDraft(d) && mine.has(d.conversationId)).map(toDraft)
  }

  /** Stores the draft if it is newer than the one kept; answers the one kept after. */
  async put(userId: string, sessionId: string, conversationId: string, body: PutDraftBody): Promise<Draft> {
    await this.conversations.requireMembership(conversationId, userId)
    const newest = body.threadRoot === null && body.replyTo === null ? 0 : ((await this.store.messages.last(conversationId))?.seq ?? 0)
    if (body.threadRoot !== null && body.threadRoot > newest) throw notFound('thread root message')
    if (body.replyTo !== null && body.replyTo > newest) throw notFound('message replied to')
    const draft: DraftRecord = {
      userId,
      conversationId,
      threadRoot: body.threadRoot,
      text: body.text,
      replyTo: body.replyTo,
      // One spelling of the time, whatever offset the device wrote, so engines compare and echo it alike.
      updatedAt: new Date(body.updatedAt).toISOString()
    }
    if (!isEmptyDraft(draft)) {
      const kept = await this.store.drafts.get(userId, conversationId, body.threadRoot)
      if ((!kept || isEmptyDraft(kept)) && (await this.store.drafts.count(userId)) >= MAX_DRAFTS_PER_USER) {
        throw new AppError('conflict', `you have ${MAX_DRAFTS_PER_USER} drafts already; send or delete some first`)
      }
    }
    const result = await this.store.drafts.put(draft)
    if (result.written) this.onChanged?.(userId, toDraft(result.draft), sessionId)
    return toDraft(result.draft)
  }

  /** Deletes a draft now (kept as an empty one with its time, so a copy typed before cannot come back); false if there was none. */
  async delete(userId: string, sessionId: string, conversationId: string, threadRoot: number | null): Promise<boolean> {
    await this.conversations.requireMembership(conversationId, userId)
    const cleared = await this.store.drafts.clear(userId, conversationId, threadRoot)
    if (cleared) this.onChanged?.(userId, toDraft(cleared), sessionId)
    return cleared !== undefined
  }

  /** A sent message empties the draft of its conversation or thread, on every device of its sender. */
  async messageSent(message: Message): Promise<void> {
    try {
      const cleared = await this.store.drafts.clear(message.senderId, message.conversationId, message.threadRoot ?? null)
      if (cleared) this.onChanged?.(message.senderId, toDraft(cleared), null)
    } catch (err) {
      // The message is stored and acknowledged regardless (a storage outage is expected to be survived): a draft left behind costs a click.
      this.log.warn({ err, conversationId: message.conversationId }, 'could not clear the draft of a sent message')
    }
  }
}
