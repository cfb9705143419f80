// Drafts (i20-drafts): the composer's text and reply per conversation and
// thread live in the ui slice's `drafts` (keyed by draftKey); this slice
// fills them from the core and takes its changes (other devices, sends).
import { draftKey, type Draft as SyncedDraft } from '../../../shared/schemas/drafts'
import { api, unwrap } from '../lib/api'
import type { AppState, Slice } from './types'
import type { Draft } from './ui'

// Not ui.ts's EMPTY_DRAFT: ui.ts imports this file.
const EMPTY_DRAFT: Draft = { text: '', replyTo: null, editing: null }

export interface DraftsSlice {
  /** The shown account's drafts from the core's cache (at start and after an account switch). */
  loadDrafts(): Promise<void>
  /** Drafts changed on another device or emptied by a send. */
  applyDrafts(event: { drafts: SyncedDraft[] }): void
}

/** `${conversationId}` or `${conversationId}:${rootSeq}` back to its parts. */
export function parseDraftKey(key: string): { conversationId: string; threadRoot: number | null } {
  const [conversationId, root] = key.split(':')
  return { conversationId: conversationId ?? key, threadRoot: root ? Number(root) : null }
}

/** Keystrokes within this long make one write to the core's cache, not one each. */
const SAVE_DELAY_MS = 300
/** Drafts waiting for SAVE_DELAY_MS to pass, by key. */
const saving = new Map<string, { timer: ReturnType<typeof setTimeout>; draft: Draft }>()

function handOver(key: string, draft: Draft): void {
  void api()
    .drafts.set({ ...parseDraftKey(key), text: draft.text, replyTo: draft.replyTo })
    .catch(() => undefined)
}

/** Hands the draft to the core soon, which keeps it and sends it on (a failure costs only the copy on other devices). */
export function saveDraft(key: string, draft: Draft): void {
  clearTimeout(saving.get(key)?.timer)
  const timer = setTimeout(() => {
    saving.delete(key)
    handOver(key, draft)
  }, SAVE_DELAY_MS)
  saving.set(key, { timer, draft })
}

/**
 * Hands every waiting draft over now: on leaving a conversation and when the
 * page goes (a reload or the window closing a moment after typing would
 * otherwise lose the last words).
 */
export function flushDrafts(): void {
  for (const [key, { timer, draft }] of saving) {
    clearTimeout(timer)
    handOver(key, draft)
  }
  saving.clear()
}

if (typeof window !== 'undefined') window.addEventListener('pagehide', flushDrafts)

/** The draft text the sidebar shows instead of the last message ('' when none, or the conversation is open). */
export const selectDraftPreview =
  (conversationId: string) =>
  (s: AppState): string =>
    s.activeId === conversationId ? '' : (s.drafts[conversationId]?.text.trim() ?? '')

export const createDraftsSlice: Slice<DraftsSlice> = (set) => ({
  async loadDrafts() {
    const list = await unwrap(api().drafts.list())
    set({ drafts: Object.fromEntries(list.map((d) => [draftKey(d.conversationId, d.threadRoot), { ...EMPTY_DRAFT, text: d.text, replyTo: d.replyTo }])) })
  },
  applyDrafts({ drafts }) {
    set((s) => {
      const next = { ...s.drafts }
      for (const d of drafts) {
        const key = draftKey(d.conversationId, d.threadRoot)
        next[key] = { ...(next[key] ?? EMPTY_DRAFT), text: d.text, replyTo: d.replyTo }
      }
      return { drafts: next }
    })
  }
})
