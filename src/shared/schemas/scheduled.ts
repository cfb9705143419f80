// Scheduled messages (issue 21 item 4, "send later"): a message the server
// keeps and sends at its time, also when the sender's app is closed.
import { z } from 'zod'
import { ERROR_CODES } from '../errors'
import { Id, Timestamp } from './common'
import { Attachment } from './files'
import { BroadcastMention, Message, MessageText } from './messages'

/** The soonest a message can be scheduled: sooner is just sending (and a skewed clock could make it the past). */
export const SCHEDULE_MIN_LEAD_MS = 5_000
/** The latest: a year ahead. */
export const SCHEDULE_MAX_AHEAD_MS = 365 * 24 * 3600_000
/** Scheduled messages one user may keep waiting at once. */
export const SCHEDULED_PER_USER_MAX = 100

export const ScheduledMessage = z
  .object({
    id: Id,
    conversationId: Id,
    clientId: z.string().describe('the clientId the message is sent with: a retry after a crash finds the message instead of sending it twice'),
    text: z.string(),
    replyTo: z.number().int().min(1).optional(),
    mentions: z.array(Id).optional(),
    mentionAll: BroadcastMention.optional(),
    mentionGroups: z.array(Id).optional(),
    threadRoot: z.number().int().min(1).optional(),
    alsoInConversation: z.boolean().optional(),
    attachments: z.array(Attachment).optional().describe('the files it will carry (kept on the server while it waits)'),
    sendAt: Timestamp,
    createdAt: Timestamp,
    updatedAt: Timestamp,
    failed: z
      .object({ code: z.enum(ERROR_CODES), message: z.string(), at: Timestamp })
      .optional()
      .describe('its send was refused at its time (e.g. the sender left the conversation): kept until edited, sent now or deleted')
  })
  .meta({ id: 'ScheduledMessage' })
export type ScheduledMessage = z.infer<typeof ScheduledMessage>

export const ScheduledResponse = z.object({ scheduled: ScheduledMessage }).meta({ id: 'ScheduledResponse' })
export const ScheduledListResponse = z.object({ scheduled: z.array(ScheduledMessage).describe('soonest first') })

export const ScheduledParams = z.strictObject({ id: Id })

/** POST /api/v1/scheduled/{id}/send takes no fields: send `{}` (every POST takes a JSON body). */
export const SendScheduledNowBody = z.strictObject({})

/** PATCH /api/v1/scheduled/{id}: a new text, a new time, or both; a failed one waits again. */
export const UpdateScheduledBody = z
  .strictObject({ text: MessageText.optional(), sendAt: Timestamp.optional() })
  .refine((b) => b.text !== undefined || b.sendAt !== undefined, { message: 'give text or sendAt' })
export type UpdateScheduledBody = z.infer<typeof UpdateScheduledBody>

export const UpdateScheduledPayload = z
  .strictObject({ id: Id, text: MessageText.optional(), sendAt: Timestamp.optional() })
  .refine((b) => b.text !== undefined || b.sendAt !== undefined, { message: 'give text or sendAt' })
export const ScheduledRefPayload = z.strictObject({ id: Id })

/** server→client 'scheduled:updated', to the sender's devices. */
export interface ScheduledUpdate {
  /** Added or changed (also: its send failed, with `failed` set). */
  scheduled?: ScheduledMessage
  /** Gone: deleted, or sent (then `sent` says where). */
  removedId?: string
  sent?: { conversationId: string; seq: number }
}

/** The clientId a scheduled message is sent with: fixed by its id, so the message store's dedupe makes the send happen once. */
export const scheduledClientId = (id: string): string => `sched-${id}`
export const isScheduledClientId = (clientId: string): boolean => clientId.startsWith('sched-')

/** The sendAt window, checked against the server's clock; a message for the problem, or null. */
export function sendAtProblem(sendAt: string, now: number): string | null {
  const at = Date.parse(sendAt)
  if (at < now + SCHEDULE_MIN_LEAD_MS) return `sendAt: must be at least ${SCHEDULE_MIN_LEAD_MS / 1000} s in the future`
  if (at > now + SCHEDULE_MAX_AHEAD_MS) return 'sendAt: must be at most a year ahead'
  return null
}

/** What a send answers: the message, or with sendAt the scheduled message (narrow with `'scheduled' in`). */
export const SendResponse = z.union([z.object({ message: Message }), ScheduledResponse])
export type SendResponse = z.infer<typeof SendResponse>
