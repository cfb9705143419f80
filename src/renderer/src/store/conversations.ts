import type { MessengerEvents } from '../../../shared/ipc'
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Presence, TypingUpdate } from '../../../shared/schemas/presence'
import type { PublicUser } from '../../../shared/schemas/users'
import type { Slice } from './types'

/** How long a typing indicator lasts without a renewal (the server stops it sooner). */
const TYPING_TTL_MS = 8_000

export interface ConversationsSlice {
  conversations: Record<string, Conversation>
  presence: Record<string, Presence>
  /** conversationId → userId → until (ms) */
  typing: Record<string, Record<string, number>>
  /** Muted on this device. */
  muted: Record<string, true>
  /** Everyone met in a conversation, also after they left: names for old messages. */
  people: Record<string, PublicUser>
  applyPeople(list: PublicUser[]): void
  setMuted(ids: string[]): void
  applyConversations(event: MessengerEvents['conversations']): void
  setConversations(list: Conversation[]): void
  applyPresence(list: Presence[]): void
  applyTyping(list: TypingUpdate[]): void
}

export const createConversationsSlice: Slice<ConversationsSlice> = (set) => ({
  conversations: {},
  presence: {},
  typing: {},
  muted: {},
  people: {},
  applyPeople(list) {
    set((s) => ({ people: { ...s.people, ...Object.fromEntries(list.map((u) => [u.id, u])) } }))
  },
  setMuted(ids) {
    set({ muted: Object.fromEntries(ids.map((id) => [id, true as const])) })
  },
  applyConversations({ upserted, removed }) {
    set((s) => {
      const conversations = { ...s.conversations }
      for (const c of upserted) conversations[c.id] = c
      for (const id of removed) delete conversations[id]
      const activeId = s.activeId && conversations[s.activeId] ? s.activeId : null
      return { conversations, activeId }
    })
  },
  setConversations(list) {
    set({ conversations: Object.fromEntries(list.map((c) => [c.id, c])) })
  },
  applyPresence(list) {
    set((s) => {
      const presence = { ...s.presence }
      for (const p of list) presence[p.userId] = p
      return { presence }
    })
  },
  applyTyping(list) {
    set((s) => {
      const typing = { ...s.typing }
      const now = Date.now()
      for (const t of list) {
        const inConversation = { ...typing[t.conversationId] }
        if (t.typing) inConversation[t.userId] = now + TYPING_TTL_MS
        else delete inConversation[t.userId]
        typing[t.conversationId] = inConversation
      }
      return { typing }
    })
  }
})
