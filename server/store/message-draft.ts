import { randomUUID } from 'node:crypto'
import type { Message } from '../../src/shared/schemas/messages'
import type { MessageDraft } from './types'

/** The message a draft becomes, stamped now; both engines store exactly this shape. */
export function messageFromDraft(conversationId: string, seq: number, draft: MessageDraft, now: number): Message {
  return {
    id: randomUUID(),
    clientId: draft.clientId,
    conversationId,
    seq,
    kind: draft.kind ?? 'text',
    senderId: draft.senderId,
    text: draft.text,
    ...(draft.system ? { system: draft.system } : {}),
    createdAt: new Date(now).toISOString(),
    ...(draft.replyTo ? { replyTo: draft.replyTo } : {}),
    ...(draft.mentions ? { mentions: draft.mentions } : {}),
    ...(draft.mentionAll ? { mentionAll: draft.mentionAll } : {}),
    ...(draft.mentionGroups ? { mentionGroups: draft.mentionGroups } : {}),
    ...(draft.mentioned ? { mentioned: draft.mentioned } : {}),
    ...(draft.attachments ? { attachments: draft.attachments } : {}),
    ...(draft.threadRoot !== undefined ? { threadRoot: draft.threadRoot } : {}),
    ...(draft.alsoInConversation ? { alsoInConversation: true } : {}),
    ...(draft.forwarded ? { forwarded: draft.forwarded } : {}),
    ...(draft.botProfile ? { botProfile: draft.botProfile } : {})
  }
}
