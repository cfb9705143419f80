import { z } from 'zod'
import { Id, queryInt, Timestamp } from './common'

/** A member's cursors moved: everyone in the conversation can update ticks and unread badges. */
export const ReceiptUpdate = z
  .object({
    conversationId: Id,
    userId: Id,
    readSeq: z.number().int().min(0),
    deliveredSeq: z.number().int().min(0),
    at: Timestamp
  })
  .meta({ id: 'ReceiptUpdate' })
export type ReceiptUpdate = z.infer<typeof ReceiptUpdate>

/** Socket payload of receipt:read and receipt:delivered: "I have read / received up to seq". */
export const ReceiptPayload = z.strictObject({ conversationId: Id, seq: z.number().int().min(0) })
export type ReceiptPayload = z.infer<typeof ReceiptPayload>

export const MessageReceipts = z
  .object({
    readBy: z.record(Id, Timestamp).describe('userId → when they read it'),
    deliveredTo: z.record(Id, Timestamp).describe('userId → when one of their devices received it')
  })
  .meta({ id: 'MessageReceipts' })
export type MessageReceipts = z.infer<typeof MessageReceipts>

export const MessageSeqParams = z.strictObject({ id: Id, seq: queryInt(z.number().int().min(1)) })
