import { LIMITS } from '../../src/shared/limits'
import { plainLine } from '../../src/shared/plain-text'
import type {
  BotProfile,
  ChangesPage,
  EditMessageBody,
  ForwardRef,
  Message,
  MessagePage,
  MessagePageQuery,
  ReplyRef,
  SendMessageBody
} from '../../src/shared/schemas/messages'
import { hasVisibleText } from '../../src/shared/schemas/hidden-characters'
import { crashPoint } from '../crash-point'
import { AppError, forbidden, notFound } from '../errors'
import type { MembershipRecord } from '../store/records'
import type { MessageChange, Store } from '../store/types'
import type { FileService } from '../files/files.service'
import type { ConversationService } from './conversations.service'
import { formerMembersNamed } from './history-people'
import type { MentionService, ResolvedMentions } from './mentions'
import { messageAt } from './message-at'
import { openGate, type SendGate } from './send-limits'
import type { ThreadChange, ThreadService } from './threads.service'

/** A sent or deleted message, and what it changed in its thread (if it is a reply in one). */
export interface MessageResult {
  message: Message
  thread?: ThreadChange
}

export class MessageService {
  /** Told of each new message stored (not of a retry that found its message): the metrics count them. */
  onAccepted: (() => void) | null = null
  /** Told of each new message stored, before it is answered (its sender's draft there is emptied). */
  onSent: ((message: Message) => Promise<void>) | null = null
  /** Told of each new or edited message once stored, not awaited: what it starts runs after the answer (link previews). */
  onStored: ((message: Message) => void) | null = null
  /** Told of each message deleted for everyone, with its state before (its link preview's picture goes). */
  onDeleted: ((before: Message) => Promise<void>) | null = null

  constructor(
    private readonly store: Store,
    private readonly conversations: ConversationService,
    private readonly now: () => number,
    private readonly files: FileService,
    private readonly mentions: MentionService,
    /** The sender's budgets: checked after membership, before anything is read or written for the request. */
    private readonly charge: SendGate = openGate,
    private readonly threads: ThreadService | null = null
  ) {}

  /**
   * Appends durably; a repeated clientId returns the original with created=false.
   * A repeat counts against the sender's budget like a new message: telling it
   * apart would cost a lookup by clientId before every refusal, and a refused
   * repeat loses nothing (the client waits retryAfterMs and sends it again).
   */
  async send(
    userId: string,
    conversationId: string,
    body: SendMessageBody,
    /** Issue 21: a webhook's message names its sender's bot profile. */
    botProfile?: BotProfile
  ): Promise<MessageResult & { created: boolean }> {
    const { conversation, membership } = await this.conversations.requireMembership(conversationId, userId)
    await this.charge('messages', userId)
    const root = body.threadRoot === undefined ? undefined : await this.threadRoot(conversationId, body.threadRoot, membership.clearedSeq ?? 0)
    const replyTo = body.replyTo === undefined ? undefined : await this.quote(conversationId, body.replyTo, membership.clearedSeq ?? 0)
    const mentions = await this.mentions.resolve(conversation, membership, body)
    const forward = body.forward ? await this.forwardable(userId, body.forward, body.attachments) : null
    const attachments = forward
      ? await this.files.forwardCopies(userId, conversationId, body.clientId, forward.source.attachments ?? [])
      : body.attachments
        ? await this.files.attachments(userId, conversationId, body.attachments)
        : []
    const result = await this.store.messages.append(conversationId, {
      clientId: body.clientId,
      senderId: userId,
      // A forward carries the source's text unless the forwarder wrote their own (which replaces it: one message, one text).
      text: forward && !hasVisibleText(body.text) ? forward.source.text : body.text,
      ...(replyTo ? { replyTo } : {}),
      ...mentions,
      ...(attachments.length ? { attachments } : {}),
      ...(root ? { threadRoot: root.seq, ...(body.alsoInConversation ? { alsoInConversation: true } : {}) } : {}),
      ...(forward ? { forwarded: forward.ref } : {}),
      ...(botProfile ? { botProfile } : {})
    })
    if (result.created) {
      crashPoint('message-stored')
      this.onAccepted?.()
      await this.mentions.sent(result.message)
      await this.onSent?.(result.message)
      this.onStored?.(result.message)
    }
    // The append moved the sender's read cursor too: whoever writes a message has read everything up to it.
    // The thread's records and the root's summary are durable before the ack; a retry (created=false) redoes them, in case a crash came between.
    if (root && this.threads && result.message.threadRoot !== undefined) {
      return { ...result, thread: await this.threads.replied(result.message, root.senderId) }
    }
    return result
  }

  private threadRoot(conversationId: string, seq: number, floor: number): Promise<Message> {
    if (!this.threads) throw new AppError('validation_failed', 'body.threadRoot: this server has no threads')
    return this.threads.checkRoot(conversationId, seq, floor)
  }

  async page(userId: string, conversationId: string, query: MessagePageQuery): Promise<MessagePage> {
    const floor = await this.floor(conversationId, userId)
    const page = await this.store.messages.page(conversationId, query, floor)
    return { ...page, people: await formerMembersNamed(this.store, conversationId, page.messages) }
  }

  /** Edits, deletions and reactions after version `since`, for a client catching up. */
  async changes(userId: string, conversationId: string, since: number, limit?: number): Promise<ChangesPage> {
    const floor = await this.floor(conversationId, userId)
    const page = await this.store.messages.changes(conversationId, since, limit ?? LIMITS.pageSizeDefault, floor)
    return { ...page, people: await formerMembersNamed(this.store, conversationId, page.messages) }
  }

  /** The sender edits their own message; it shows as edited. */
  async edit(userId: string, conversationId: string, seq: number, body: EditMessageBody): Promise<{ message: Message; changed: boolean }> {
    const { conversation, membership } = await this.conversations.requireMembership(conversationId, userId)
    await this.charge('edits', userId)
    const current = await messageAt(this.store.messages, conversationId, seq, membership.clearedSeq ?? 0)
    const mentions = await this.mentions.resolve(conversation, membership, body, current ?? undefined)
    let before: Message | undefined
    const result = await this.change(membership, seq, (m) => {
      if (m.senderId !== userId) throw forbidden('you can only edit your own messages')
      if (m.text === body.text && sameMentions(m, mentions)) return null
      before = m
      const next: Message = { ...m, text: body.text, editedAt: this.isoNow() }
      for (const key of MENTION_KEYS) delete next[key]
      return { ...next, ...mentions }
    })
    if (before && result.changed) await this.mentions.changed(before, result.message)
    if (result.changed) this.onStored?.(result.message)
    return result
  }

  /**
   * Deletes a message for everyone: its sender can, and so can admins of a
   * group or room. A tombstone stays so replies and the sequence keep making sense.
   */
  async remove(userId: string, conversationId: string, seq: number): Promise<MessageResult & { changed: boolean }> {
    const { conversation, membership } = await this.conversations.requireMembership(conversationId, userId)
    const isAdmin = conversation.kind !== 'direct' && membership.role === 'admin'
    let before: Message | undefined
    const result = await this.change(membership, seq, (m) => {
      if (m.senderId !== userId && !isAdmin) throw forbidden('you can only delete your own messages (admins: any in their group)')
      before = m
      return {
        id: m.id,
        clientId: m.clientId,
        conversationId: m.conversationId,
        seq: m.seq,
        kind: m.kind,
        senderId: m.senderId,
        text: '',
        createdAt: m.createdAt,
        deletedAt: this.isoNow(),
        // A deleted reply stays in its thread (out of the conversation); a deleted root keeps its replies.
        ...(m.threadRoot !== undefined ? { threadRoot: m.threadRoot } : {}),
        ...(m.alsoInConversation ? { alsoInConversation: true } : {}),
        ...(m.thread ? { thread: m.thread } : {})
      }
    }, true)
    // A deleted message no longer counts as an unread mention.
    if (before && result.changed) await this.mentions.changed(before, result.message)
    if (before && result.changed) await this.onDeleted?.(before)
    const root = result.message.threadRoot
    if (root === undefined || !this.threads) return result
    return { ...result, thread: await this.threads.removed(conversationId, root, seq) }
  }

  /** Toggles the caller's reaction with one emoji. */
  async react(userId: string, conversationId: string, seq: number, emoji: string): Promise<{ message: Message; changed: boolean }> {
    const { membership } = await this.conversations.requireMembership(conversationId, userId)
    await this.charge('reactions', userId)
    return this.change(membership, seq, (m) => {
      const reactions = { ...m.reactions }
      const who = reactions[emoji] ?? []
      if (who.includes(userId)) {
        const rest = who.filter((id) => id !== userId)
        if (rest.length) reactions[emoji] = rest
        else delete reactions[emoji]
      } else {
        if (!reactions[emoji] && Object.keys(reactions).length >= LIMITS.reactionsPerMessageMax) {
          throw new AppError('conflict', `a message can carry at most ${LIMITS.reactionsPerMessageMax} different reactions`)
        }
        reactions[emoji] = [...who, userId]
      }
      const next: Message = { ...m, reactions }
      if (Object.keys(reactions).length === 0) delete next.reactions
      return next
    })
  }

  /** Hides everything up to now in this conversation, for the caller only. */
  async clearHistory(userId: string, conversationId: string): Promise<number> {
    await this.conversations.requireMember(conversationId, userId)
    const last = (await this.store.messages.last(conversationId))?.seq ?? 0
    await this.store.conversations.clearHistory(conversationId, userId, last)
    return (await this.store.conversations.membership(conversationId, userId))?.clearedSeq ?? last
  }

  /** Runs a change on a visible, live, non-system message. */
  private async change(membership: MembershipRecord, seq: number, change: MessageChange, deleting = false): Promise<{ message: Message; changed: boolean }> {
    const { conversationId } = membership
    if (seq <= (membership.clearedSeq ?? 0)) throw notFound('message')
    const result = await this.store.messages.mutate(conversationId, seq, (m) => {
      if (m.kind === 'system') throw new AppError('conflict', 'system messages cannot be changed')
      if (m.deletedAt) {
        if (deleting) return null // deleting twice is harmless
        throw new AppError('conflict', 'this message was deleted')
      }
      return change(m)
    })
    if (!result) throw notFound('message')
    return result
  }

  /**
   * Issue 20: the message a forward copies. Only what the forwarder can read
   * now: a member of its conversation (403 otherwise, 404 for none), above
   * their cleared history, neither deleted nor a system message. A forward of
   * a forward names the first source, as the reader cares where it began.
   */
  private async forwardable(
    userId: string,
    ref: { conversationId: string; seq: number },
    ownAttachments: string[] | undefined
  ): Promise<{ source: Message; ref: ForwardRef }> {
    if (ownAttachments?.length) throw new AppError('validation_failed', 'body.attachments: a forward carries the files of the message it forwards; send yours in another message')
    const { membership } = await this.conversations.requireMembership(ref.conversationId, userId)
    const source = await messageAt(this.store.messages, ref.conversationId, ref.seq, membership.clearedSeq ?? 0)
    if (!source) throw notFound('message to forward')
    if (source.kind === 'system') throw new AppError('conflict', 'body.forward: system messages cannot be forwarded')
    if (source.deletedAt) throw new AppError('conflict', 'body.forward: that message was deleted')
    return {
      source,
      ref: source.forwarded ?? { conversationId: source.conversationId, seq: source.seq, senderId: source.senderId, createdAt: source.createdAt }
    }
  }

  private async quote(conversationId: string, seq: number, floor: number): Promise<ReplyRef> {
    const original = await messageAt(this.store.messages, conversationId, seq, floor)
    if (!original) {
      throw new AppError('validation_failed', `body.replyTo: there is no message ${seq} in this conversation`)
    }
    return { seq, senderId: original.senderId, preview: original.deletedAt ? '' : plainLine(original.text).slice(0, LIMITS.replyPreviewMax) }
  }

  /** The member's cleared history lies at or below this; checks membership too. */
  private async floor(conversationId: string, userId: string): Promise<number> {
    return (await this.conversations.requireMembership(conversationId, userId)).membership.clearedSeq ?? 0
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString()
  }
}

const MENTION_KEYS = ['mentions', 'mentionAll', 'mentionGroups', 'mentioned'] as const

/** An edit that keeps the text and every mention as they are changes nothing. */
function sameMentions(m: Message, next: ResolvedMentions): boolean {
  return MENTION_KEYS.every((key) => JSON.stringify(m[key] ?? null) === JSON.stringify(next[key] ?? null))
}
