import type { CallEndReason, CallMedia } from '../../src/shared/schemas/calls'
import type { Message } from '../../src/shared/schemas/messages'
import type { Store } from '../store/types'

export interface CallLogEntry {
  callId: string
  conversationId: string
  startedBy: string
  media: CallMedia
  reason: CallEndReason
  durationMs: number | null
  participantIds: string[]
}

/** A call leaves one system message in its conversation when it ends. */
export class CallLogService {
  constructor(private readonly store: Store) {}

  /** Stores the message, sent by who started the call; null when the conversation is gone meanwhile. */
  async ended(entry: CallLogEntry): Promise<Message | null> {
    if (!(await this.store.conversations.byId(entry.conversationId))) return null
    const { callId, media, reason, durationMs, participantIds } = entry
    // Keyed by the call: a second node ending the same call finds this message instead of writing another.
    const { message } = await this.store.messages.append(entry.conversationId, {
      clientId: `call-${callId}`,
      senderId: entry.startedBy,
      text: '',
      kind: 'system',
      system: { type: 'call_ended', callId, media, reason, durationMs, participantIds }
    })
    return message
  }
}
