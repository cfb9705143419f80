import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, queryInt, Timestamp } from './common'

export const ClientId = z
  .string()
  .min(1)
  .max(LIMITS.clientIdMax)
  .regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, dash and underscore')

export const MessageText = z
  .string()
  .max(LIMITS.messageTextMax)
  .refine((s) => s.trim().length > 0, 'must not be empty')

export const Message = z
  .object({
    id: Id,
    clientId: z.string(),
    conversationId: Id,
    seq: z.number().int().min(1),
    senderId: Id,
    text: z.string(),
    createdAt: Timestamp
  })
  .meta({ id: 'Message' })
export type Message = z.infer<typeof Message>

export const Seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const PageLimit = z.number().int().min(1).max(LIMITS.pageSizeMax)

/** Paging fields as typed values (socket payloads). */
export const messagePageFields = {
  before: Seq.optional(),
  after: Seq.optional(),
  limit: PageLimit.optional()
}

/** The same fields as URL query strings: digits only, then the same checks. */
const queryPageFields = {
  before: queryInt(Seq).optional(),
  after: queryInt(Seq).optional(),
  limit: queryInt(PageLimit).optional()
}

export function notBeforeAndAfter(q: { before?: number | undefined; after?: number | undefined }): boolean {
  return q.before === undefined || q.after === undefined
}

export const MessagePageQuery = z
  .strictObject(queryPageFields)
  .refine(notBeforeAndAfter, { message: 'give before or after, not both' })
export type MessagePageQuery = z.infer<typeof MessagePageQuery>

export const MessagePage = z
  .object({
    messages: z.array(Message).describe('in ascending seq order'),
    hasMore: z.boolean().describe('more messages exist beyond this page in the paging direction')
  })
  .meta({ id: 'MessagePage' })
export type MessagePage = z.infer<typeof MessagePage>

export const SendMessageBody = z.strictObject({ clientId: ClientId, text: MessageText })
export type SendMessageBody = z.infer<typeof SendMessageBody>

export const MessageResponse = z.object({ message: Message })

export const MarkReadBody = z.strictObject({ seq: z.number().int().min(0) })
