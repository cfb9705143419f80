import type { Message, SendMessageBody } from '../../src/shared/schemas/messages'
import {
  SCHEDULED_PER_USER_MAX,
  scheduledClientId,
  sendAtProblem,
  type ScheduledMessage,
  type ScheduledUpdate,
  type UpdateScheduledBody
} from '../../src/shared/schemas/scheduled'
import { crashPoint } from '../crash-point'
import { AppError, notFound } from '../errors'
import { derivedId, type FileService } from '../files/files.service'
import type { Logger } from '../logger'
import type { ScheduledRecord } from '../store/records'
import type { Store } from '../store/types'
import type { ConversationService } from './conversations.service'
import type { MessageResult, MessageService } from './messages.service'

/**
 * How long a claim on a due message lasts. A send takes milliseconds; a node
 * that dies while sending leaves its claim to lapse, and then another node
 * (or this one restarted) sends it again, which the message store's dedupe by
 * clientId answers with the message already stored.
 */
export const SCHEDULED_CLAIM_MS = 20_000
/** Due messages one run claims at once. */
const BATCH = 20

const toScheduled = ({ userId: _userId, ...scheduled }: ScheduledRecord): ScheduledMessage => scheduled

/** Refusals that will not pass by waiting: the send is kept as failed and its sender told. */
const waitable = (err: unknown): boolean => !(err instanceof AppError) || err.code === 'rate_limited' || err.code === 'unavailable' || err.code === 'internal'

/**
 * Scheduled messages (issue 21 item 4). The server keeps each and sends it at
 * its time through the ordinary send, with a clientId fixed at scheduling: the
 * record is removed only after the message is stored, so a crash between the
 * two sends again into the dedupe and makes no second message.
 */
export class ScheduledService {
  /** The sender's devices hear every change (scheduled:updated). */
  onChanged: ((userId: string, update: ScheduledUpdate) => void) | null = null
  /** A scheduled message was sent: the members hear it as any new message. */
  onSent: ((result: MessageResult) => void) | null = null

  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly files: FileService,
    private readonly messages: MessageService,
    private readonly now: () => number,
    private readonly log: Logger
  ) {}

  async list(userId: string): Promise<ScheduledMessage[]> {
    return (await this.store.scheduled.forUser(userId)).map(toScheduled)
  }

  /** Keeps a message to send at body.sendAt; the same clientId again answers the one kept (created false). */
  async create(userId: string, conversationId: string, body: SendMessageBody & { sendAt: string }): Promise<{ scheduled: ScheduledMessage; created: boolean }> {
    // A retry (the answer was lost) finds the one kept, even once its time is too near to schedule anew.
    const id = derivedId(`scheduled:${userId}:${body.clientId}`)
    const kept = await this.store.scheduled.get(id)
    if (kept && kept.conversationId === conversationId) return { scheduled: toScheduled(kept), created: false }
    const problem = sendAtProblem(body.sendAt, this.now())
    if (problem) throw new AppError('validation_failed', `body.${problem}`)
    if (body.forward) throw new AppError('validation_failed', 'body.forward: a forward cannot be scheduled; forward it when it is time')
    await this.conversations.requireMembership(conversationId, userId)
    if (kept) throw new AppError('conflict', 'body.clientId: you scheduled another message with this clientId')
    if ((await this.store.scheduled.count(userId)) >= SCHEDULED_PER_USER_MAX) {
      throw new AppError('conflict', `you have ${SCHEDULED_PER_USER_MAX} scheduled messages already; send or delete some first`)
    }
    // Marked attached now: an attached upload is never swept nor cancelled, so the files outlive the wait.
    const attachments = body.attachments ? await this.files.attachments(userId, conversationId, body.attachments) : []
    const at = new Date(this.now()).toISOString()
    const record: ScheduledRecord = {
      id,
      userId,
      conversationId,
      clientId: scheduledClientId(id),
      text: body.text,
      ...(body.replyTo !== undefined ? { replyTo: body.replyTo } : {}),
      ...(body.mentions ? { mentions: body.mentions } : {}),
      ...(body.mentionAll ? { mentionAll: body.mentionAll } : {}),
      ...(body.mentionGroups ? { mentionGroups: body.mentionGroups } : {}),
      ...(body.threadRoot !== undefined ? { threadRoot: body.threadRoot, ...(body.alsoInConversation ? { alsoInConversation: true } : {}) } : {}),
      ...(attachments.length ? { attachments } : {}),
      sendAt: new Date(body.sendAt).toISOString(),
      createdAt: at,
      updatedAt: at
    }
    await this.store.scheduled.put(record)
    this.onChanged?.(userId, { scheduled: toScheduled(record) })
    return { scheduled: toScheduled(record), created: true }
  }

  /** A new text or time; a failed one waits again. */
  async update(userId: string, id: string, body: UpdateScheduledBody): Promise<ScheduledMessage> {
    const record = await this.own(userId, id)
    if (body.sendAt !== undefined) {
      const problem = sendAtProblem(body.sendAt, this.now())
      if (problem) throw new AppError('validation_failed', `body.${problem}`)
    }
    await this.notSending(id)
    const { failed: _failed, ...rest } = record
    const next: ScheduledRecord = {
      ...rest,
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.sendAt !== undefined ? { sendAt: new Date(body.sendAt).toISOString() } : {}),
      updatedAt: new Date(this.now()).toISOString()
    }
    await this.store.scheduled.put(next)
    this.onChanged?.(userId, { scheduled: toScheduled(next) })
    return toScheduled(next)
  }

  async cancel(userId: string, id: string): Promise<void> {
    await this.own(userId, id)
    await this.notSending(id)
    if (await this.store.scheduled.remove(id)) this.onChanged?.(userId, { removedId: id })
  }

  /** Sends it now, as its time had come; a refusal is answered (and the record kept as failed). */
  async sendNow(userId: string, id: string): Promise<Message> {
    const record = await this.own(userId, id)
    if (!(await this.store.scheduled.claim(id, this.now(), SCHEDULED_CLAIM_MS))) throw new AppError('conflict', 'this message is being sent right now')
    let result: MessageResult | AppError
    try {
      result = await this.deliver(record)
    } catch (err) {
      await this.store.scheduled.release(id)
      throw err
    }
    if (result instanceof AppError) throw result
    return result.message
  }

  /** The scheduler's run: sends every due message (a batch at a time); returns how many were sent. */
  async runDue(stopped: () => boolean = () => false): Promise<number> {
    let sent = 0
    for (;;) {
      const due = await this.store.scheduled.claimDue(this.now(), SCHEDULED_CLAIM_MS, BATCH)
      for (const record of due) {
        if (stopped()) return sent
        const result = await this.deliver(record).catch((err: unknown) => {
          this.log.warn({ err, scheduledId: record.id }, 'a scheduled message could not be sent now; it is tried again later')
          return null
        })
        if (result && !(result instanceof AppError)) sent++
      }
      if (due.length < BATCH || stopped()) return sent
    }
  }

  /**
   * One send: the sender's rights are checked again by the ordinary send
   * (member, budgets) and here (not disabled). Stored, then the record goes;
   * a refusal that waiting will not cure is kept as failed. Errors worth a
   * retry (storage, budgets) are thrown with the claim left to lapse.
   */
  private async deliver(record: ScheduledRecord): Promise<MessageResult | AppError> {
    let result: MessageResult
    try {
      const user = await this.store.users.byId(record.userId)
      if (!user || user.disabledAt) throw new AppError('account_disabled', 'the sender\'s account is disabled')
      result = await this.messages.send(record.userId, record.conversationId, {
        clientId: record.clientId,
        text: record.text,
        ...(record.replyTo !== undefined ? { replyTo: record.replyTo } : {}),
        ...(record.mentions ? { mentions: record.mentions } : {}),
        ...(record.mentionAll ? { mentionAll: record.mentionAll } : {}),
        ...(record.mentionGroups ? { mentionGroups: record.mentionGroups } : {}),
        ...(record.threadRoot !== undefined ? { threadRoot: record.threadRoot } : {}),
        ...(record.alsoInConversation ? { alsoInConversation: true } : {}),
        ...(record.attachments ? { attachments: record.attachments.map((a) => a.id) } : {})
      })
    } catch (err) {
      if (waitable(err)) throw err
      const refused = err as AppError
      const failed: ScheduledRecord = { ...record, failed: { code: refused.code, message: refused.message, at: new Date(this.now()).toISOString() } }
      await this.store.scheduled.put(failed)
      await this.store.scheduled.release(record.id)
      this.onChanged?.(record.userId, { scheduled: toScheduled(failed) })
      return refused
    }
    crashPoint('scheduled-stored')
    await this.store.scheduled.remove(record.id)
    this.onSent?.(result)
    this.onChanged?.(record.userId, { removedId: record.id, sent: { conversationId: result.message.conversationId, seq: result.message.seq } })
    return result
  }

  private async own(userId: string, id: string): Promise<ScheduledRecord> {
    const record = await this.store.scheduled.get(id)
    // Another's is "not found" too: its id tells nothing.
    if (!record || record.userId !== userId) throw notFound('scheduled message')
    return record
  }

  private async notSending(id: string): Promise<void> {
    if (await this.store.scheduled.claimed(id, this.now())) throw new AppError('conflict', 'this message is being sent right now')
  }
}
