// Issue 20 (message menu): "mark unread from here".
import { z } from 'zod'
import { Id } from './common'

/** The first message to count as unread again: the read position goes to just before it. */
export const MarkUnreadBody = z.strictObject({ seq: z.number().int().min(1) })
export type MarkUnreadBody = z.infer<typeof MarkUnreadBody>

/** Socket payload of receipt:unread. */
export const MarkUnreadPayload = MarkUnreadBody.extend({ conversationId: Id })
export type MarkUnreadPayload = z.infer<typeof MarkUnreadPayload>
