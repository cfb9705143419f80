import type { Slice } from './types'

export type Dialog =
  | { kind: 'new-chat' }
  | { kind: 'new-group' }
  | { kind: 'join' }
  | { kind: 'rooms' }
  | { kind: 'contacts' }
  | { kind: 'profile' }
  | { kind: 'search' }
  | { kind: 'switcher' }
  | { kind: 'hosting' }
  | { kind: 'certificate' }
  | { kind: 'group-settings'; conversationId: string }
  | { kind: 'read-by'; conversationId: string; seq: number }

export interface Draft {
  replyTo: number | null
  /** Editing this message of mine instead of writing a new one. */
  editing: number | null
}

export interface UiSlice {
  activeId: string | null
  dialog: Dialog | null
  filter: string
  drafts: Record<string, Draft>
  /** A message to scroll to and highlight once (search result). */
  focusSeq: { conversationId: string; seq: number } | null
  openConversation(id: string | null): void
  openDialog(dialog: Dialog | null): void
  setFilter(filter: string): void
  setDraft(conversationId: string, draft: Partial<Draft>): void
  focusMessage(conversationId: string, seq: number): Promise<void>
}

export const EMPTY_DRAFT: Draft = { replyTo: null, editing: null }

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  activeId: null,
  dialog: null,
  filter: '',
  drafts: {},
  focusSeq: null,
  openConversation(id) {
    set({ activeId: id, focusSeq: null })
    if (id && !get().threads[id]?.atLatest) void get().loadLatest(id)
  },
  openDialog(dialog) {
    set({ dialog })
  },
  setFilter(filter) {
    set({ filter })
  },
  setDraft(conversationId, draft) {
    set((s) => ({ drafts: { ...s.drafts, [conversationId]: { ...(s.drafts[conversationId] ?? EMPTY_DRAFT), ...draft } } }))
  },
  async focusMessage(conversationId, seq) {
    // Known before the window loads: the list mounts afresh for it and starts at this message.
    set({ focusSeq: { conversationId, seq } })
    await get().loadAround(conversationId, seq)
    set({ activeId: conversationId, focusSeq: { conversationId, seq }, dialog: null })
  }
})
