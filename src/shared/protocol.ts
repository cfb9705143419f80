// The Socket.IO contract. Types are not validation: the server parses every
// payload with the schemas below before use.
import { z } from 'zod'
import type { Result } from './errors'
import { Id } from './schemas/common'
import type { Conversation } from './schemas/conversations'
import {
  messagePageFields,
  notBeforeAndAfter,
  SendMessageBody,
  type Message,
  type MessagePage
} from './schemas/messages'

export const SendMessagePayload = SendMessageBody.extend({ conversationId: Id })
export type SendMessagePayload = z.infer<typeof SendMessagePayload>

export const ListMessagesPayload = z
  .strictObject({ conversationId: Id, ...messagePageFields })
  .refine(notBeforeAndAfter, { message: 'give before or after, not both' })
export type ListMessagesPayload = z.infer<typeof ListMessagesPayload>

export type Ack<T> = (result: Result<T>) => void

export interface ClientToServerEvents {
  'message:send': (payload: SendMessagePayload, ack: Ack<{ message: Message }>) => void
  /** Pages of a conversation's history; `after` a cursor fetches what was missed. */
  'message:list': (payload: ListMessagesPayload, ack: Ack<MessagePage>) => void
  /** Every conversation of the caller with its lastSeq, to compare with local cursors. */
  'conversation:list': (payload: Record<string, never>, ack: Ack<{ conversations: Conversation[] }>) => void
}

export interface ServerToClientEvents {
  'message:new': (payload: { message: Message }) => void
  'conversation:new': (payload: { conversation: Conversation }) => void
}

/** Error data attached to a refused handshake (`connect_error`). */
export interface HandshakeErrorData {
  code: 'unauthorized' | 'token_expired' | 'invalid_token' | 'session_revoked'
}
