// Issue 20: selectors of pinned and saved messages.
import type { Pin } from '../../../shared/schemas/pins'
import { mayPin } from './message-menu-items'
import { selectMeId } from './selectors'
import type { AppState } from './types'

const NO_PINS: Pin[] = []

export const selectPins =
  (conversationId: string) =>
  (s: AppState): Pin[] =>
    s.pins[conversationId] ?? NO_PINS

export const selectIsPinned =
  (conversationId: string, seq: number) =>
  (s: AppState): boolean =>
    s.pins[conversationId]?.some((p) => p.seq === seq) ?? false

export const selectIsSaved =
  (conversationId: string, seq: number) =>
  (s: AppState): boolean =>
    s.saved.some((x) => x.conversationId === conversationId && x.seq === seq)

/** Who may pin here, as the server decides: group and room admins, both people of a direct chat. */
export const selectCanPin =
  (conversationId: string) =>
  (s: AppState): boolean => {
    const conversation = s.conversations[conversationId]
    return conversation ? mayPin({ conversation, meId: selectMeId(s) }) : false
  }
