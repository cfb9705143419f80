// The loaded window of each open conversation's history (pages from main's
// cache, never the whole history, at most MAX_WINDOW messages: see ./window)
// and its unsent messages.
import type { MentionFields } from '../lib/mention-input'
import type { MessengerEvents, PendingMessage } from '../../../shared/ipc'
import type { Message } from '../../../shared/schemas/messages'
import { api, unwrap } from '../lib/api'
import type { Slice } from './types'
import { freshThread, PAGE, withCleared, withNewer, withOlder, withUpserted, type Thread } from './window'

/** Whether the newest messages of a thread hold this clientId (a pending message arrives at the end). */
function isDelivered(thread: Thread | undefined, clientId: string): boolean {
  const messages = thread?.messages ?? []
  for (let i = messages.length - 1; i >= Math.max(0, messages.length - PAGE); i--) if (messages[i]!.clientId === clientId) return true
  return false
}

/** What a send carries besides its text and reply (mentions; other features add theirs). */
export type SendExtra = MentionFields

export type { Thread }

export interface MessagesSlice {
  threads: Record<string, Thread>
  /** Unsent messages by conversation, oldest first. */
  pending: Record<string, PendingMessage[]>
  loadLatest(conversationId: string): Promise<void>
  loadOlder(conversationId: string): Promise<void>
  /** The page after the window (it was left behind by scrolling up, or opened at a search result). */
  loadNewer(conversationId: string): Promise<void>
  /** Loads the page around seq (search results, reply quotes). */
  loadAround(conversationId: string, seq: number): Promise<void>
  applyMessages(event: MessengerEvents['messages']): void
  applyOutbox(event: MessengerEvents['outbox']): void
  applyCleared(event: MessengerEvents['cleared']): void
  /** `extra`: what the text mentions (issue 20), by id. */
  send(conversationId: string, text: string, replyTo?: number, extra?: SendExtra): Promise<void>
  retry(clientId: string): Promise<void>
  discard(clientId: string): Promise<void>
  edit(conversationId: string, seq: number, text: string, extra?: MentionFields): Promise<void>
  remove(conversationId: string, seq: number): Promise<void>
  react(conversationId: string, seq: number, emoji: string): Promise<void>
  resetAccountState(): void
}

export const createMessagesSlice: Slice<MessagesSlice> = (set, get) => {
  const latestLoading = new Map<string, Promise<void>>()
  const putThread = (id: string, thread: Thread): void => set((s) => ({ threads: { ...s.threads, [id]: thread } }))
  const upsertIntoThread = (id: string, messages: Message[], appendNew: boolean): void => {
    const thread = get().threads[id]
    if (!thread) return
    const next = withUpserted(thread, messages, appendNew)
    if (next !== thread) putThread(id, next)
  }
  /** Loads a page next to the window while `flag` is set on it; the window may have changed meanwhile. */
  const extend = async (id: string, flag: 'loadingOlder' | 'loadingNewer', load: (t: Thread) => Promise<(current: Thread) => Thread>): Promise<void> => {
    const thread = get().threads[id]
    if (!thread) return
    putThread(id, { ...thread, [flag]: true })
    const generation = thread.generation
    try {
      const apply = await load(thread)
      const current = get().threads[id]
      if (current?.generation === generation) putThread(id, apply(current))
    } catch (err) {
      const current = get().threads[id]
      if (current) putThread(id, { ...current, [flag]: false })
      throw err
    }
  }

  return {
    threads: {},
    pending: {},
    loadLatest(conversationId) {
      // One at a time per conversation: opening it while it is being prefetched waits for that page.
      let loading = latestLoading.get(conversationId)
      if (!loading) {
        loading = (async () => {
          const page = await unwrap(api().messages.page({ conversationId, limit: PAGE }))
          putThread(conversationId, freshThread(page.messages, page.hasMore, true))
          set((s) => ({ pending: { ...s.pending, [conversationId]: page.pending } }))
        })().finally(() => latestLoading.delete(conversationId))
        latestLoading.set(conversationId, loading)
      }
      return loading
    },
    async loadOlder(conversationId) {
      const thread = get().threads[conversationId]
      const first = thread?.messages[0]
      if (!thread || !first || !thread.hasOlder || thread.loadingOlder) return
      await extend(conversationId, 'loadingOlder', async () => {
        const page = await unwrap(api().messages.page({ conversationId, before: first.seq, limit: PAGE }))
        return (current) => withOlder(current, page.messages, page.hasMore)
      })
    },
    async loadNewer(conversationId) {
      const thread = get().threads[conversationId]
      const last = thread?.messages[thread.messages.length - 1]
      if (!thread || !last || thread.atLatest || thread.loadingNewer) return
      await extend(conversationId, 'loadingNewer', async () => {
        // Pages are asked by `before`: the PAGE seqs after the last loaded one (seqs are contiguous).
        const page = await unwrap(api().messages.page({ conversationId, before: last.seq + PAGE + 1, limit: PAGE }))
        const end = page.messages[page.messages.length - 1]?.seq ?? last.seq
        return (current) => withNewer(current, page.messages, end < last.seq + PAGE)
      })
    },
    async loadAround(conversationId, seq) {
      const conversation = get().conversations[conversationId]
      const before = Math.min(seq + PAGE / 2, (conversation?.lastSeq ?? seq) + 1)
      const page = await unwrap(api().messages.page({ conversationId, before, limit: PAGE }))
      const last = page.messages[page.messages.length - 1]
      putThread(conversationId, freshThread(page.messages, page.hasMore, !last || last.seq >= (conversation?.lastSeq ?? 0)))
    },
    applyMessages({ conversationId, upserted }) {
      const thread = get().threads[conversationId]
      if (thread) upsertIntoThread(conversationId, upserted, thread.atLatest)
      // The outbox's removal of a delivered message is a separate event: until it
      // comes, the same message would show twice (delivered, and still sending).
      const delivered = new Set(upserted.map((m) => m.clientId))
      const waiting = get().pending[conversationId]
      if (waiting?.some((p) => delivered.has(p.clientId))) {
        set((s) => ({ pending: { ...s.pending, [conversationId]: (s.pending[conversationId] ?? []).filter((p) => !delivered.has(p.clientId)) } }))
      }
    },
    applyOutbox({ upserted, removed }) {
      set((s) => {
        const pending = { ...s.pending }
        const gone = new Set(removed)
        for (const id of Object.keys(pending)) pending[id] = pending[id]!.filter((p) => !gone.has(p.clientId))
        for (const p of upserted) {
          // Already delivered (its message came first): it is not pending any more.
          if (isDelivered(s.threads[p.conversationId], p.clientId)) continue
          const list = (pending[p.conversationId] ?? []).filter((x) => x.clientId !== p.clientId)
          pending[p.conversationId] = [...list, p].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
        }
        return { pending }
      })
    },
    applyCleared({ conversationId, clearedSeq }) {
      const thread = get().threads[conversationId]
      if (thread) putThread(conversationId, withCleared(thread, clearedSeq))
    },
    async send(conversationId, text, replyTo, extra = {}) {
      // Writing in a conversation is reading it (as Slack and Signal count it): what came before is read,
      // even when the list never reported its end on screen.
      const c = get().conversations[conversationId]
      if (c && c.lastSeq > c.readSeq) void api().conversations.markRead({ conversationId, seq: c.lastSeq }).catch(() => undefined)
      await unwrap(api().messages.send({ conversationId, text, ...(replyTo ? { replyTo } : {}), ...extra }))
    },
    async retry(clientId) {
      await unwrap(api().messages.retry({ clientId }))
    },
    async discard(clientId) {
      await unwrap(api().messages.discard({ clientId }))
    },
    async edit(conversationId, seq, text, extra = {}) {
      upsertIntoThread(conversationId, [await unwrap(api().messages.edit({ conversationId, seq, text, ...extra }))], false)
    },
    async remove(conversationId, seq) {
      upsertIntoThread(conversationId, [await unwrap(api().messages.delete({ conversationId, seq }))], false)
    },
    async react(conversationId, seq, emoji) {
      upsertIntoThread(conversationId, [await unwrap(api().messages.react({ conversationId, seq, emoji }))], false)
    },
    resetAccountState() {
      set({ threads: {}, pending: {}, conversations: {}, presence: {}, typing: {}, muted: {}, people: {}, activeId: null, dialog: null, thread: null, threadView: null, followedThreads: {}, threadsViewOpen: false })
    }
  }
}

