import type { OpenTarget } from '../../../shared/ipc'
import { flushDrafts, saveDraft } from './drafts'
import type { Slice } from './types'

export type Dialog =
  | { kind: 'new-chat' }
  | { kind: 'new-group' }
  /** viaLink: the code came from an invite link (a dead code is told as a dead link). */
  | { kind: 'join'; code?: string; viaLink?: boolean }
  | { kind: 'rooms' }
  | { kind: 'contacts' }
  | { kind: 'profile' }
  /** Issue 21: notification preferences and work hours. */
  | { kind: 'notifications' }
  | { kind: 'search' }
  | { kind: 'switcher' }
  | { kind: 'admin' }
  /** User groups the signed-in user manages (issue 20). */
  | { kind: 'user-groups' }
  | { kind: 'hosting' }
  | { kind: 'certificate' }
  | { kind: 'group-settings'; conversationId: string }
  | { kind: 'read-by'; conversationId: string; seq: number }
  /** Issue 20: forward one message to conversations chosen in the dialog. */
  | { kind: 'forward'; conversationId: string; seq: number }
  /** Export one conversation, or all without an id. */
  | { kind: 'export'; conversationId?: string }
  | { kind: 'export-viewer' }
  /** Issue 20 (pins): a conversation's pinned messages, and the saved messages. */
  | { kind: 'pins'; conversationId: string }
  | { kind: 'saved' }
  /** Issue 21: the user's scheduled messages. */
  | { kind: 'scheduled' }

export interface Draft {
  /** What is written in the composer (kept by the core and synced to the user's other devices). */
  text: string
  replyTo: number | null
  /** Editing this message of mine instead of writing a new one. */
  editing: number | null
}

export interface UiSlice {
  activeId: string | null
  dialog: Dialog | null
  filter: string
  /** By draftKey: `${conversationId}`, or `${conversationId}:${rootSeq}` for a thread's composer. */
  drafts: Record<string, Draft>
  /** A message to scroll to and highlight once (search result). */
  focusSeq: { conversationId: string; seq: number } | null
  /** An invite link the desktop app was opened with, for the first-run screen. */
  invite: string | null
  openConversation(id: string | null): void
  openDialog(dialog: Dialog | null): void
  setFilter(filter: string): void
  /** A change of text or reply is kept and synced (an edit's state is this window's only). */
  setDraft(key: string, draft: Partial<Draft>): void
  focusMessage(conversationId: string, seq: number): Promise<void>
  openTarget(target: OpenTarget): void
}

export const EMPTY_DRAFT: Draft = { text: '', replyTo: null, editing: null }
/** Ends a reply or an edit, keeping what is written. */
export const NO_CONTEXT: Partial<Draft> = { replyTo: null, editing: null }

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  activeId: null,
  dialog: null,
  filter: '',
  drafts: {},
  focusSeq: null,
  invite: null,
  openConversation(id) {
    flushDrafts()
    set({ activeId: id, focusSeq: null, threadsViewOpen: false })
    if (id && !get().threads[id]?.atLatest) void get().loadLatest(id)
  },
  openDialog(dialog) {
    set({ dialog })
  },
  setFilter(filter) {
    set({ filter })
  },
  setDraft(key, draft) {
    const before = get().drafts[key] ?? EMPTY_DRAFT
    const next = { ...before, ...draft }
    set((s) => ({ drafts: { ...s.drafts, [key]: next } }))
    if (next.text !== before.text || next.replyTo !== before.replyTo) saveDraft(key, next)
  },
  async focusMessage(conversationId, seq) {
    // Known before the window loads: the list mounts afresh for it and starts at this message.
    set({ focusSeq: { conversationId, seq } })
    await get().loadAround(conversationId, seq)
    set({ activeId: conversationId, focusSeq: { conversationId, seq }, dialog: null })
  },
  openTarget(target) {
    if ('contacts' in target) {
      // A clicked invitation notification: where the invitations are.
      if (get().session?.status === 'signed_in') get().showInvitations()
      return
    }
    if ('answerCall' in target) {
      // "Accept" on a ringing call's notification: answered here, where the media is, with the camera if it was a video call.
      const call = get().calls[target.answerCall]
      void get().answerCall(target.answerCall, { video: call?.media === 'video' })
      return
    }
    if ('conversationId' in target) {
      if (target.accountId) return void get().openAccountConversation(target.accountId, target.conversationId).catch(() => undefined)
      if (get().conversations[target.conversationId]) get().openConversation(target.conversationId)
      return
    }
    if ('message' in target) {
      // A messenger://message link: the message in its conversation (focusMessage loads the page around it).
      const { conversationId, seq } = target.message
      if (get().conversations[conversationId]) void get().focusMessage(conversationId, seq).catch(() => undefined)
      return
    }
    // Signed in: an invite's group code goes to the join dialog. Signed out: the first-run screen takes the link.
    const code = new URL(target.invite).searchParams.get('code')
    if (get().session?.status === 'signed_in') {
      if (code) set({ dialog: { kind: 'join', code, viaLink: true } })
    } else set({ invite: target.invite })
  }
})
