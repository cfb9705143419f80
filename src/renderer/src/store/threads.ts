// Threads (issue 20, item 3): the open thread panel beside the conversation
// (its root and replies from main's cache, live as messages come), and the
// followed threads for the sidebar's Threads view.
import type { MessengerEvents, ThreadView } from '../../../shared/ipc'
import type { Message } from '../../../shared/schemas/messages'
import type { FollowedThread } from '../../../shared/schemas/threads'
import { threadKey } from '../../../shared/threads'
import { api, unwrap } from '../lib/api'
import type { Slice } from './types'
import type { SendExtra } from './messages'

export interface ThreadsSlice {
  /** The thread shown in the panel, if any. */
  thread: { conversationId: string; rootSeq: number } | null
  /** Its root and replies (null until loaded). */
  threadView: Pick<ThreadView, 'root' | 'replies' | 'hasMore'> | null
  /** By threadKey (shared/threads.ts). */
  followedThreads: Record<string, FollowedThread>
  /** The sidebar's Threads view replaces the conversation while open. */
  threadsViewOpen: boolean
  openThread(conversationId: string, rootSeq: number): Promise<void>
  closeThread(): void
  showThreadsView(open: boolean): void
  loadFollowedThreads(): Promise<void>
  applyFollowedThreads(event: MessengerEvents['followedThreads']): void
  /** New or changed messages: those of the open thread go to the panel. */
  applyThreadMessages(event: MessengerEvents['messages']): void
  sendInThread(conversationId: string, rootSeq: number, text: string, alsoInConversation: boolean, extra?: SendExtra): Promise<void>
  /** The user follows or leaves a thread. */
  followThread(conversationId: string, rootSeq: number, following: boolean): Promise<void>
}

/** Replies by seq, ascending, the later state of one seq winning. */
function upsertReplies(replies: Message[], incoming: Message[]): Message[] {
  const bySeq = new Map(replies.map((m) => [m.seq, m]))
  for (const m of incoming) bySeq.set(m.seq, m)
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq)
}

export const createThreadsSlice: Slice<ThreadsSlice> = (set, get) => {
  /** Reading the open thread up to its newest reply (the panel shows it). */
  const markRead = (conversationId: string, rootSeq: number, replies: Message[]): void => {
    const last = replies.at(-1)?.seq ?? 0
    const known = get().followedThreads[threadKey(conversationId, rootSeq)]
    if (last > 0 && (!known || known.readSeq < last)) void api().threads.read({ conversationId, rootSeq, seq: last }).catch(() => undefined)
  }
  return {
    thread: null,
    threadView: null,
    followedThreads: {},
    threadsViewOpen: false,
    async openThread(conversationId, rootSeq) {
      set({ thread: { conversationId, rootSeq }, threadView: null, threadsViewOpen: false })
      if (get().activeId !== conversationId) get().openConversation(conversationId)
      const view = await unwrap(api().threads.page({ conversationId, rootSeq }))
      const open = get().thread
      if (open?.conversationId !== conversationId || open.rootSeq !== rootSeq) return
      set({ threadView: { root: view.root, replies: view.replies, hasMore: view.hasMore } })
      markRead(conversationId, rootSeq, view.replies)
    },
    closeThread() {
      set({ thread: null, threadView: null })
    },
    showThreadsView(open) {
      set({ threadsViewOpen: open })
      if (open) void get().loadFollowedThreads().catch(() => undefined)
    },
    async loadFollowedThreads() {
      const list = await unwrap(api().threads.list())
      set({ followedThreads: Object.fromEntries(list.map((t) => [threadKey(t.conversationId, t.rootSeq), t])) })
    },
    applyFollowedThreads({ upserted, removed }) {
      set((s) => {
        const next = { ...s.followedThreads }
        for (const key of removed) delete next[key]
        for (const t of upserted) next[threadKey(t.conversationId, t.rootSeq)] = t
        return { followedThreads: next }
      })
    },
    applyThreadMessages({ conversationId, upserted }) {
      const open = get().thread
      const view = get().threadView
      if (!open || !view || open.conversationId !== conversationId) return
      const root = upserted.find((m) => m.seq === open.rootSeq) ?? view.root
      const replies = upserted.filter((m) => m.threadRoot === open.rootSeq)
      if (root === view.root && replies.length === 0) return
      const next = upsertReplies(view.replies, replies)
      set({ threadView: { ...view, root, replies: next } })
      if (replies.length) markRead(conversationId, open.rootSeq, next)
    },
    async sendInThread(conversationId, rootSeq, text, alsoInConversation, extra) {
      await unwrap(api().messages.send({ conversationId, text, ...extra, threadRoot: rootSeq, ...(alsoInConversation ? { alsoInConversation } : {}) }))
    },
    async followThread(conversationId, rootSeq, following) {
      const thread = await unwrap(api().threads.follow({ conversationId, rootSeq, following }))
      get().applyFollowedThreads(following ? { upserted: [thread], removed: [] } : { upserted: [], removed: [threadKey(conversationId, rootSeq)] })
    }
  }
}

/** Followed threads, unread first, then by last reply (as the server lists them). */
export function sortFollowed(threads: FollowedThread[]): FollowedThread[] {
  const at = (t: FollowedThread): string => t.lastReplyAt ?? t.root.createdAt
  return [...threads].sort((a, b) => Number(b.unreadCount > 0) - Number(a.unreadCount > 0) || at(b).localeCompare(at(a)))
}
