// Issue 21 item 4: what the composer's "Send later" does: its text (with the
// reply, thread and mentions it would be sent with) is scheduled, then the
// box and its draft are emptied, as a send does.
import { hasVisibleText } from '../../../../shared/schemas/hidden-characters'
import type { Draft } from '../../../../shared/schemas/drafts'
import type { SendMessageBody } from '../../../../shared/schemas/messages'
import { UiError } from '../../lib/api'
import { useStore } from '../../store'

type MentionFields = Pick<SendMessageBody, 'mentions' | 'mentionAll' | 'mentionGroups'>

export interface SendLaterInput {
  conversationId: string
  threadRoot: number | undefined
  alsoInConversation: boolean
  text: string
  replyTo: Draft['replyTo']
  mentions: { refusal(text: string): string | null; fields(text: string): MentionFields }
  /** Empties the box and its draft, as after a send. */
  sent(): void
  setError(error: string | null): void
}

/** Schedules for `sendAt`; true when it was (the menu closes), false with the error shown. */
export function useSendLater(input: SendLaterInput): (sendAt: Date) => Promise<boolean> {
  return async (sendAt) => {
    const value = input.text.trim()
    if (!hasVisibleText(value)) return false
    const refused = input.mentions.refusal(value)
    input.setError(refused)
    if (refused) return false
    try {
      await useStore.getState().scheduleMessage({
        conversationId: input.conversationId,
        text: value,
        sendAt: sendAt.toISOString(),
        ...(input.replyTo !== null ? { replyTo: input.replyTo } : {}),
        ...(input.threadRoot !== undefined ? { threadRoot: input.threadRoot, ...(input.alsoInConversation ? { alsoInConversation: true } : {}) } : {}),
        ...input.mentions.fields(value)
      })
      input.sent()
      return true
    } catch (err) {
      input.setError(err instanceof UiError ? err.message : String(err))
      return false
    }
  }
}
