// Keeps the cache equal to the server. After every (re)connect it fetches
// the conversation list, then for each conversation the messages after its
// cursor, page by page, and the changes after its version; live events are
// applied in between. One rule keeps the cached range free of gaps and
// duplicates: a live message is appended only when it directly follows the
// cached range and no catch-up of that conversation is running; anything
// else starts (or repeats) that conversation's catch-up.
import type { Conversation } from '../../shared/schemas/conversations'
import { mentionsAbove } from './mentions'
import { ChangesPage, Message, MessagePage } from '../../shared/schemas/messages'
import { Conversation as ConversationSchema } from '../../shared/schemas/conversations'
import type { ReceiptUpdate } from '../../shared/schemas/receipts'
import type { PublicUser } from '../../shared/schemas/users'
import { z } from 'zod'
import { LIMITS } from '../../shared/limits'
import type { AccountContext } from './context'
import { sendPayloadOf } from './cache/outbox'
import { inConversation } from '../../shared/threads'
import { fromServer } from './server-data'
import { OneAtATimePerKey } from '../../node/one-at-a-time'

/** The newest page fetched for a conversation never cached before. */
const FIRST_PAGE = 50
const CATCH_UP_CONCURRENCY = 4
const DELIVERED_DELAY_MS = 250

const ConversationList = z.object({ conversations: z.array(ConversationSchema), historyEpoch: z.string().optional() })

/** Where the server's conversation list said a conversation stands: catch-up asks for nothing it already holds. */
interface ServerPosition {
  lastSeq: number
  version: number
}

export class Sync {
  private readonly running = new Map<string, Promise<void>>()
  private readonly again = new Set<string>()
  /** Pages and live messages being added to the cache, one at a time per conversation (applyNewer). */
  private readonly applying = new OneAtATimePerKey()
  private readonly deliveredTimers = new Map<string, NodeJS.Timeout>()
  private closed = false

  constructor(
    private readonly ctx: AccountContext,
    private readonly onSyncing: (syncing: boolean) => void
  ) {}

  private get me(): string {
    return this.ctx.account.userId
  }

  /** Everything missed since the last connection. */
  async catchUpAll(): Promise<void> {
    const { cache, events, realtime } = this.ctx
    this.onSyncing(true)
    try {
      const { conversations, historyEpoch } = fromServer(ConversationList, await realtime.call('conversation:list', {}), 'conversation list')
      if (historyEpoch !== undefined && historyEpoch !== cache.historyEpoch()) await this.startEpoch(historyEpoch)
      const serverIds = new Set(conversations.map((c) => c.id))
      const removed = cache.conversationIds().filter((id) => !serverIds.has(id))
      for (const id of removed) await cache.removeConversation(id)
      const unsentReads: Array<[string, number]> = []
      const people: PublicUser[] = []
      for (const c of conversations) {
        const local = cache.conversation(c.id)
        if (local && local.readSeq > c.readSeq) {
          // Read here while offline: keep the local position (no badge flicker) until the server hears of it.
          unsentReads.push([c.id, local.readSeq])
          people.push(
            ...cache.putConversation({
              ...c,
              readSeq: local.readSeq,
              unreadCount: Math.min(c.unreadCount, local.unreadCount),
              mentionCount: Math.min(c.mentionCount, local.mentionCount)
            })
          )
        } else {
          people.push(...cache.putConversation(c))
        }
      }
      events.emit('conversations', { upserted: cache.conversations(), removed })
      if (people.length) events.emit('people', people)
      // Reads marked while offline go out now.
      for (const [id, seq] of unsentReads) await this.sendRead(id, seq).catch(() => undefined)
      const queue = [...conversations]
      const worker = async (): Promise<void> => {
        for (let c = queue.shift(); c !== undefined && !this.closed; c = queue.shift()) await this.catchUp(c.id, c)
      }
      await Promise.all(Array.from({ length: CATCH_UP_CONCURRENCY }, worker))
    } finally {
      this.onSyncing(false)
    }
  }

  /**
   * The server's history was restored from a backup since this cache was
   * filled: the same seqs may now hold other messages, so every cached
   * history goes (the open views empty) and is fetched again. The outbox
   * stays: what was never acknowledged is sent to the restored server.
   */
  private async startEpoch(epoch: string): Promise<void> {
    const { cache, events, log } = this.ctx
    const ids = cache.conversationIds()
    log.info('the server was restored from a backup: fetching every history again', { conversations: ids.length })
    for (const id of ids) {
      await cache.removeConversation(id)
      events.emit('cleared', { conversationId: id, clearedSeq: Number.MAX_SAFE_INTEGER })
    }
    cache.setHistoryEpoch(epoch)
  }

  /**
   * One conversation's catch-up; concurrent requests share it, and one
   * arriving meanwhile runs it again (in full: it may come from a gap).
   * `known`: the server's position from the list just fetched.
   */
  catchUp(id: string, known?: ServerPosition): Promise<void> {
    const current = this.running.get(id)
    if (current) {
      this.again.add(id)
      return current
    }
    const run = (async () => {
      let position = known
      do {
        this.again.delete(id)
        await this.fetchMissed(id, position)
        position = undefined
      } while (this.again.has(id) && !this.closed)
    })().finally(() => this.running.delete(id))
    this.running.set(id, run)
    return run
  }

  private async fetchMissed(id: string, known?: ServerPosition): Promise<void> {
    const { cache, realtime } = this.ctx
    const conversation = cache.conversation(id)
    if (!conversation || !realtime.connected) return
    if (cache.cursor(id).low <= conversation.clearedSeq && cache.cursor(id).high > 0) await cache.clear(id, conversation.clearedSeq)
    await this.expire(id, conversation.expiredSeq ?? 0)
    // Nothing new since what the cache holds (or hides): no request, so a catch-up of
    // thousands of quiet conversations costs the list alone.
    const held = Math.max(cache.cursor(id).high, conversation.clearedSeq, conversation.expiredSeq ?? 0)
    const newer = !known || known.lastSeq > held
    if (cache.cursor(id).high === 0) {
      // Never cached: the newest page now, older ones when the user scrolls up.
      if (newer) {
        const page = fromServer(MessagePage, await realtime.call('message:list', { conversationId: id, limit: FIRST_PAGE }), 'message page')
        this.learnPeople(page.people)
        if (cache.cursor(id).high === 0) await this.applyFetched(id, page.messages)
      }
      cache.setVersion(id, conversation.version)
    }
    if (newer) await this.fetchNewer(id)
    if (!known || known.version > cache.cursor(id).version) await this.fetchChanges(id)
  }

  /** Messages after the cursor, page by page. */
  private async fetchNewer(id: string): Promise<void> {
    const { cache, realtime } = this.ctx
    for (;;) {
      const after = cache.cursor(id).high
      const page = fromServer(
        MessagePage,
        await realtime.call('message:list', { conversationId: id, after, limit: LIMITS.pageSizeMax }),
        'message page'
      )
      // Asked from below the retention floor: the page starts after it, and what we hold below it goes.
      if (page.expiredSeq > after) await this.expire(id, page.expiredSeq)
      this.learnPeople(page.people)
      await this.applyFetched(id, page.messages)
      if (!page.hasMore || page.messages.length === 0) break
    }
  }

  /** Edits, deletions and reactions after the cached version, page by page. */
  private async fetchChanges(id: string): Promise<void> {
    const { cache, realtime } = this.ctx
    for (;;) {
      const since = cache.cursor(id).version
      const page = fromServer(
        ChangesPage,
        await realtime.call('message:changes', { conversationId: id, since, limit: LIMITS.pageSizeMax }),
        'change page'
      )
      this.learnPeople(page.people)
      await this.applyChanges(id, page.messages)
      cache.setVersion(id, page.version)
      if (!page.hasMore || page.version <= since) break
    }
  }

  /**
   * Messages from a page fetched after the cursor: new ones extend the range,
   * known ones update. One at a time per conversation: a live message and a
   * catch-up page arriving together must not both take the same message as
   * new (it would be counted unread twice).
   */
  private applyNewer(id: string, messages: Message[]): Promise<void> {
    return this.applying.run(id, () => this.applyNewerNow(id, messages))
  }

  /**
   * A fetched page. Our own messages in it that are still in the outbox were
   * stored but never acknowledged (the node, or its database, went between
   * commit and answer), so perhaps never announced either: each is sent again
   * with its clientId, which returns the original and has the server announce
   * it to the other members.
   */
  private async applyFetched(id: string, messages: Message[]): Promise<void> {
    const { outbox, realtime, log } = this.ctx
    const unanswered = messages.flatMap((m) => {
      const entry = m.senderId === this.me ? outbox.get(m.clientId) : undefined
      return entry ? [entry] : []
    })
    await this.applyNewer(id, messages)
    for (const entry of unanswered) {
      realtime.call('message:send', sendPayloadOf(entry)).catch((err: unknown) => log.debug('could not announce a message found in catch-up', { clientId: entry.clientId, err }))
    }
  }

  private async applyNewerNow(id: string, messages: Message[]): Promise<void> {
    const { cache, events } = this.ctx
    const high = cache.cursor(id).high
    const fresh = messages.filter((m) => m.seq > high)
    const known = messages.filter((m) => m.seq <= high)
    await cache.extend(id, fresh)
    const changed = known.length ? await cache.update(id, known) : []
    if (fresh.length === 0 && changed.length === 0) return
    events.emit('messages', { conversationId: id, upserted: [...changed, ...fresh] })
    await this.afterNew(id, fresh)
  }

  private async applyChanges(id: string, messages: Message[]): Promise<void> {
    const changed = await this.ctx.cache.update(id, messages)
    if (changed.length === 0) return
    this.ctx.events.emit('messages', { conversationId: id, upserted: changed })
    this.refreshLastMessage(id, changed)
    await this.recountMentions(id, changed)
  }

  /** An edit or a deletion above the read cursor may add or take away a mention of us: count again from the cache. */
  private async recountMentions(id: string, changed: Message[]): Promise<void> {
    const readSeq = this.ctx.cache.conversation(id)?.readSeq ?? 0
    if (!changed.some((m) => m.seq > readSeq)) return
    const mentions = await this.mentionsAfter(id, readSeq)
    const current = this.ctx.cache.conversation(id)
    if (mentions === null || !current || current.readSeq !== readSeq || current.mentionCount === mentions) return
    const next = { ...current, mentionCount: mentions }
    this.ctx.cache.putConversation(next)
    this.ctx.events.emit('conversations', { upserted: [next], removed: [] })
  }

  /** A message:new event, or the ack of our own send. */
  async onMessage(raw: unknown): Promise<void> {
    const message = fromServer(Message, raw, 'message')
    const id = message.conversationId
    const { cache } = this.ctx
    const conversation = cache.conversation(id)
    if (!conversation) {
      // A conversation we have not heard of yet: fetch it; its catch-up brings the message.
      await this.fetchConversation(id).catch((err: unknown) => this.ctx.log.warn('could not fetch a new conversation', { id, err }))
      return
    }
    if (message.seq <= conversation.clearedSeq) return
    const cursor = cache.cursor(id)
    // What the cache holds ends here; with nothing cached yet, at the floors below which nothing is shown.
    const end = cursor.high === 0 ? Math.max(conversation.clearedSeq, conversation.expiredSeq ?? 0) : cursor.high
    if (message.seq <= cursor.high) {
      await this.applyChanges(id, [message])
      await this.dropFromOutbox([message])
    } else if (!this.running.has(id) && message.seq === end + 1) {
      // The next one: the cached range grows without a gap. Anything else (a gap, or a first message
      // after history this cache never held) is a catch-up, which starts an empty cache with the newest page.
      await this.applyNewer(id, [message])
    } else {
      void this.catchUp(id).catch((err: unknown) => this.ctx.log.warn('catch-up failed', { id, err }))
    }
  }

  async onUpdated(raw: unknown): Promise<void> {
    const message = fromServer(Message, raw, 'message')
    const id = message.conversationId
    await this.applyChanges(id, [message])
    const { cache } = this.ctx
    if (message.version === cache.cursor(id).version + 1) cache.setVersion(id, message.version)
  }

  /** conversation:new / conversation:updated, and results of REST calls. */
  putConversation(raw: unknown): Conversation {
    const incoming = fromServer(ConversationSchema, raw, 'conversation')
    const { cache, events } = this.ctx
    const cached = cache.conversation(incoming.id)
    // A snapshot older than what we already have must not roll back the last message.
    const merged =
      cached && cached.lastSeq > incoming.lastSeq
        ? { ...incoming, lastSeq: cached.lastSeq, lastMessage: cached.lastMessage, unreadCount: cached.unreadCount, mentionCount: cached.mentionCount }
        : incoming
    const people = cache.putConversation(merged)
    events.emit('conversations', { upserted: [merged], removed: [] })
    if (people.length) events.emit('people', people)
    if (!cached && this.ctx.realtime.connected) void this.catchUp(incoming.id).catch(() => undefined)
    return merged
  }

  /**
   * Former members a page of history named: kept in the directory (and the
   * cache, for offline) before the page's messages are shown, so the window
   * names them from the first render.
   */
  learnPeople(people: readonly PublicUser[]): void {
    if (people.length === 0) return
    const changed = this.ctx.cache.putPeople(people)
    if (changed.length) this.ctx.events.emit('people', changed)
  }

  async fetchConversation(id: string): Promise<Conversation> {
    const body = await this.ctx.session.request<{ conversation: unknown }>('GET', `/conversations/${id}`)
    return this.putConversation(body.conversation)
  }

  async removeConversation(id: string): Promise<void> {
    if (!this.ctx.cache.conversation(id)) return
    await this.ctx.cache.removeConversation(id)
    this.ctx.events.emit('conversations', { upserted: [], removed: [id] })
  }

  /** conversation:expired: the server's retention moved the floor while we are connected. */
  async onExpired(id: string, expiredSeq: number): Promise<void> {
    if (this.ctx.cache.conversation(id)) await this.expire(id, expiredSeq)
  }

  /** Retention deleted history up to expiredSeq on the server: the cache and the open view drop it. */
  private async expire(id: string, expiredSeq: number): Promise<void> {
    const { cache, events } = this.ctx
    const cursor = cache.cursor(id)
    const known = cache.conversation(id)?.expiredSeq ?? 0
    if (expiredSeq === 0 || (expiredSeq <= known && (cursor.high === 0 || cursor.low > expiredSeq))) return
    await cache.expire(id, expiredSeq)
    // The view drops rows the same way as for cleared history.
    events.emit('cleared', { conversationId: id, clearedSeq: expiredSeq })
    const conversation = cache.conversation(id)
    if (conversation) events.emit('conversations', { upserted: [conversation], removed: [] })
  }

  async onCleared(id: string, clearedSeq: number): Promise<void> {
    const { cache, events } = this.ctx
    await cache.clear(id, clearedSeq)
    events.emit('cleared', { conversationId: id, clearedSeq })
    const conversation = cache.conversation(id)
    if (conversation) events.emit('conversations', { upserted: [conversation], removed: [] })
  }

  async onReceipt(update: ReceiptUpdate): Promise<void> {
    const { cache, events } = this.ctx
    // Our own read position moved (on another device, or a read sent after
    // reconnecting): the badge counts what is left after it.
    const unread = update.userId === this.me ? await this.unreadAfter(update.conversationId, update.readSeq) : null
    const mentions = update.userId === this.me ? await this.mentionsAfter(update.conversationId, update.readSeq) : null
    const conversation = cache.conversation(update.conversationId)
    if (!conversation) return
    const members = conversation.members.map((m) =>
      m.user.id === update.userId ? { ...m, readSeq: Math.max(m.readSeq, update.readSeq), deliveredSeq: Math.max(m.deliveredSeq, update.deliveredSeq) } : m
    )
    let next: Conversation = { ...conversation, members }
    if (update.userId === this.me && update.readSeq > conversation.readSeq) {
      const allRead = update.readSeq >= conversation.lastSeq
      next = {
        ...next,
        readSeq: update.readSeq,
        unreadCount: allRead ? 0 : (unread ?? conversation.unreadCount),
        mentionCount: allRead ? 0 : (mentions ?? conversation.mentionCount)
      }
    }
    cache.putConversation(next)
    events.emit('conversations', { upserted: [next], removed: [] })
  }

  /** The user has read up to seq: the badge clears at once, the server hears when connected. */
  async markRead(id: string, seq: number): Promise<number> {
    const { cache, events } = this.ctx
    const before = cache.conversation(id)
    if (!before) return seq
    const target = Math.min(seq, before.lastSeq)
    if (target > before.readSeq) {
      const unread = await this.unreadAfter(id, target)
      const mentions = await this.mentionsAfter(id, target)
      // Read the conversation again after the wait: a message may have arrived meanwhile.
      const current = cache.conversation(id)
      if (current && target > current.readSeq) {
        const allRead = target >= current.lastSeq
        const unreadCount = allRead ? 0 : (unread ?? current.unreadCount)
        const mentionCount = allRead ? 0 : (mentions ?? current.mentionCount)
        const next = { ...current, readSeq: target, unreadCount, mentionCount }
        cache.putConversation(next)
        events.emit('conversations', { upserted: [next], removed: [] })
      }
    }
    if (this.ctx.realtime.connected) await this.sendRead(id, target)
    return Math.max(target, cache.conversation(id)?.readSeq ?? 0)
  }

  /**
   * Others' text messages after readSeq, counted in the cache (again if
   * messages arrive meanwhile); null when the cache does not hold them all.
   */
  private async unreadAfter(id: string, readSeq: number): Promise<number | null> {
    for (;;) {
      const { low, high } = this.ctx.cache.cursor(id)
      const lastSeq = this.ctx.cache.conversation(id)?.lastSeq ?? 0
      if (high === 0 || low > readSeq + 1 || high < lastSeq) return null
      const unseen = readSeq >= high ? [] : await this.ctx.cache.range(id, readSeq + 1, high)
      if (this.ctx.cache.cursor(id).high === high) return unseen.filter((m) => m.senderId !== this.me && m.kind === 'text' && inConversation(m)).length
    }
  }

  /** As unreadAfter, for the messages that mention us. */
  private async mentionsAfter(id: string, readSeq: number): Promise<number | null> {
    for (;;) {
      const { low, high } = this.ctx.cache.cursor(id)
      const lastSeq = this.ctx.cache.conversation(id)?.lastSeq ?? 0
      if (high === 0 || low > readSeq + 1 || high < lastSeq) return null
      const unseen = readSeq >= high ? [] : await this.ctx.cache.range(id, readSeq + 1, high)
      if (this.ctx.cache.cursor(id).high === high) return mentionsAbove(unseen, this.me, readSeq)
    }
  }

  close(): void {
    this.closed = true
    for (const timer of this.deliveredTimers.values()) clearTimeout(timer)
    this.deliveredTimers.clear()
  }

  private async sendRead(id: string, seq: number): Promise<void> {
    await this.ctx.realtime.call('receipt:read', { conversationId: id, seq })
  }

  /** New messages: update the conversation row, drop our own from the outbox, tell the server they arrived. */
  private async afterNew(id: string, fresh: Message[]): Promise<void> {
    if (fresh.length === 0) return
    const { cache, events } = this.ctx
    const conversation = cache.conversation(id)
    if (conversation) {
      const last = fresh[fresh.length - 1]!
      const mine = fresh.filter((m) => m.senderId === this.me)
      const readSeq = mine.length ? Math.max(conversation.readSeq, mine[mine.length - 1]!.seq) : conversation.readSeq
      // The row already counts what it has up to its lastSeq: a batch that also holds older messages (a page fetched
      // while the row came from the server's list) must not count them twice.
      const uncounted = fresh.filter((m) => m.seq > conversation.lastSeq)
      const unread = uncounted.filter((m) => m.senderId !== this.me && m.kind === 'text' && inConversation(m) && m.seq > readSeq).length
      // Our own message reads what came before it (as the server counts): what the row counted below it is read.
      const readAll = readSeq > conversation.readSeq && readSeq >= conversation.lastSeq
      const mentionCount = (readSeq > conversation.readSeq ? 0 : conversation.mentionCount) + mentionsAbove(uncounted, this.me, readSeq)
      // A reply only in its thread is not the conversation's last message (as the server lists it).
      const shown = fresh.findLast(inConversation)
      const lastMessage = shown && shown.seq > (conversation.lastMessage?.seq ?? 0) ? shown : conversation.lastMessage
      const next: Conversation =
        last.seq > conversation.lastSeq
          ? { ...conversation, lastSeq: last.seq, lastMessage, unreadCount: (readAll ? 0 : conversation.unreadCount) + unread, readSeq, mentionCount }
          : { ...conversation, readSeq }
      cache.putConversation(next)
      events.emit('conversations', { upserted: [next], removed: [] })
    }
    await this.dropFromOutbox(fresh)
    if (fresh.some((m) => m.senderId !== this.me)) this.scheduleDelivered(id)
  }

  private refreshLastMessage(id: string, changed: Message[]): void {
    const { cache, events } = this.ctx
    const conversation = cache.conversation(id)
    const last = conversation?.lastMessage
    const update = last && changed.find((m) => m.seq === last.seq)
    if (!conversation || !update) return
    const next = { ...conversation, lastMessage: update }
    cache.putConversation(next)
    events.emit('conversations', { upserted: [next], removed: [] })
  }

  private async dropFromOutbox(messages: Message[]): Promise<void> {
    const { outbox, events } = this.ctx
    const mine = messages.filter((m) => m.senderId === this.me && outbox.get(m.clientId)).map((m) => m.clientId)
    if (mine.length && (await outbox.remove(mine))) events.emit('outbox', { upserted: [], removed: mine })
  }

  private scheduleDelivered(id: string): void {
    if (this.deliveredTimers.has(id)) return
    const timer = setTimeout(() => {
      this.deliveredTimers.delete(id)
      const seq = this.ctx.cache.cursor(id).high
      if (seq > 0 && this.ctx.realtime.connected) {
        this.ctx.realtime.call('receipt:delivered', { conversationId: id, seq }).catch((err: unknown) => {
          this.ctx.log.debug('delivered receipt not sent', { id, err })
        })
      }
    }, DELIVERED_DELAY_MS)
    timer.unref()
    this.deliveredTimers.set(id, timer)
  }
}
