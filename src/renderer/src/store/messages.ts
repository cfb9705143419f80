// The loaded window of each open conversation's history (pages from main's
// cache, never the whole history) and its unsent messages.
import type { MessengerEvents, PendingMessage } from '../../../shared/ipc'
import type { Message } from '../../../shared/schemas/messages'
import { api, unwrap } from '../lib/api'
import type { Slice } from './types'

const PAGE = 100

export interface Thread {
  /** Ascending seq, contiguous. */
  messages: Message[]
  /** Older messages exist before the first loaded one. */
  hasOlder: boolean
  /** The newest message is loaded: live messages are appended. */
  atLatest: boolean
  loadingOlder: boolean
  /** Changes when the window is replaced (jump to a message or to the latest): the list starts over. */
  generation: number
}

let generation = 0

export interface MessagesSlice {
  threads: Record<string, Thread>
  /** Unsent messages by conversation, oldest first. */
  pending: Record<string, PendingMessage[]>
  loadLatest(conversationId: string): Promise<void>
  loadOlder(conversationId: string): Promise<void>
  /** Loads the page around seq (search results, reply quotes). */
  loadAround(conversationId: string, seq: number): Promise<void>
  applyMessages(event: MessengerEvents['messages']): void
  applyOutbox(event: MessengerEvents['outbox']): void
  applyCleared(event: MessengerEvents['cleared']): void
  send(conversationId: string, text: string, replyTo?: number): Promise<void>
  retry(clientId: string): Promise<void>
  discard(clientId: string): Promise<void>
  edit(conversationId: string, seq: number, text: string): Promise<void>
  remove(conversationId: string, seq: number): Promise<void>
  react(conversationId: string, seq: number, emoji: string): Promise<void>
  resetAccountState(): void
}

export const createMessagesSlice: Slice<MessagesSlice> = (set, get) => {
  const putThread = (id: string, thread: Thread): void => set((s) => ({ threads: { ...s.threads, [id]: thread } }))
  const upsertIntoThread = (id: string, messages: Message[], appendNew: boolean): void => {
    const thread = get().threads[id]
    if (!thread) return
    const list = thread.messages.slice()
    for (const m of messages) {
      const last = list[list.length - 1]
      if (!last || m.seq > last.seq) {
        if (appendNew && (!last || m.seq === last.seq + 1)) list.push(m)
        continue
      }
      const index = findSeq(list, m.seq)
      if (index >= 0) list[index] = m
    }
    putThread(id, { ...thread, messages: list })
  }

  return {
    threads: {},
    pending: {},
    async loadLatest(conversationId) {
      const page = await unwrap(api().messages.page({ conversationId, limit: PAGE }))
      putThread(conversationId, { messages: page.messages, hasOlder: page.hasMore, atLatest: true, loadingOlder: false, generation: ++generation })
      set((s) => ({ pending: { ...s.pending, [conversationId]: page.pending } }))
    },
    async loadOlder(conversationId) {
      const thread = get().threads[conversationId]
      const first = thread?.messages[0]
      if (!thread || !first || !thread.hasOlder || thread.loadingOlder) return
      putThread(conversationId, { ...thread, loadingOlder: true })
      try {
        const page = await unwrap(api().messages.page({ conversationId, before: first.seq, limit: PAGE }))
        const current = get().threads[conversationId]
        if (!current) return
        const older = page.messages.filter((m) => m.seq < (current.messages[0]?.seq ?? Infinity))
        putThread(conversationId, { ...current, messages: [...older, ...current.messages], hasOlder: page.hasMore, loadingOlder: false })
      } catch (err) {
        const current = get().threads[conversationId]
        if (current) putThread(conversationId, { ...current, loadingOlder: false })
        throw err
      }
    },
    async loadAround(conversationId, seq) {
      const conversation = get().conversations[conversationId]
      const before = Math.min(seq + PAGE / 2, (conversation?.lastSeq ?? seq) + 1)
      const page = await unwrap(api().messages.page({ conversationId, before, limit: PAGE }))
      const last = page.messages[page.messages.length - 1]
      putThread(conversationId, {
        messages: page.messages,
        hasOlder: page.hasMore,
        atLatest: !last || last.seq >= (conversation?.lastSeq ?? 0),
        loadingOlder: false,
        generation: ++generation
      })
    },
    applyMessages({ conversationId, upserted }) {
      const thread = get().threads[conversationId]
      if (thread) upsertIntoThread(conversationId, upserted, thread.atLatest)
    },
    applyOutbox({ upserted, removed }) {
      set((s) => {
        const pending = { ...s.pending }
        const gone = new Set(removed)
        for (const id of Object.keys(pending)) pending[id] = pending[id]!.filter((p) => !gone.has(p.clientId))
        for (const p of upserted) {
          const list = (pending[p.conversationId] ?? []).filter((x) => x.clientId !== p.clientId)
          pending[p.conversationId] = [...list, p].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
        }
        return { pending }
      })
    },
    applyCleared({ conversationId, clearedSeq }) {
      const thread = get().threads[conversationId]
      if (!thread) return
      putThread(conversationId, { ...thread, messages: thread.messages.filter((m) => m.seq > clearedSeq), hasOlder: false })
    },
    async send(conversationId, text, replyTo) {
      await unwrap(api().messages.send({ conversationId, text, ...(replyTo ? { replyTo } : {}) }))
    },
    async retry(clientId) {
      await unwrap(api().messages.retry({ clientId }))
    },
    async discard(clientId) {
      await unwrap(api().messages.discard({ clientId }))
    },
    async edit(conversationId, seq, text) {
      upsertIntoThread(conversationId, [await unwrap(api().messages.edit({ conversationId, seq, text }))], false)
    },
    async remove(conversationId, seq) {
      upsertIntoThread(conversationId, [await unwrap(api().messages.delete({ conversationId, seq }))], false)
    },
    async react(conversationId, seq, emoji) {
      upsertIntoThread(conversationId, [await unwrap(api().messages.react({ conversationId, seq, emoji }))], false)
    },
    resetAccountState() {
      set({ threads: {}, pending: {}, conversations: {}, presence: {}, typing: {}, muted: {}, people: {}, activeId: null, dialog: null })
    }
  }
}

function findSeq(list: Message[], seq: number): number {
  let lo = 0
  let hi = list.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const s = list[mid]!.seq
    if (s === seq) return mid
    if (s < seq) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}
