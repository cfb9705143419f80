// When the app may interrupt a person: notification preferences and
// do-not-disturb, kept on the server so every device of the user honours
// them (issue 21, items 1 and 2). The client core caches them; the notifier
// (Electron or the browser host) decides with them.
import { z } from 'zod'
import { Id, Timestamp } from './common'

/** all: every message; mentions: direct messages, mentions and keywords; none: nothing. */
export const NotifyLevel = z.enum(['all', 'mentions', 'none'])
export type NotifyLevel = z.infer<typeof NotifyLevel>

/** How one conversation differs from the default. Muted until a time: nothing notifies (not even mentions) until then. */
export const ConversationNotify = z
  .object({
    level: NotifyLevel.optional().describe('absent: the default level'),
    mutedUntil: Timestamp.nullable().optional().describe('muted until this time; a far future time mutes for ever; null or absent: not muted')
  })
  .meta({ id: 'ConversationNotify' })
export type ConversationNotify = z.infer<typeof ConversationNotify>

/** "HH:MM", 24-hour. */
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24-hour)')

/** A weekly schedule in the user's time zone: outside these hours do-not-disturb is on. */
export const WorkHours = z
  .object({
    enabled: z.boolean(),
    timeZone: z.string().min(1).max(64).describe('an IANA time zone, such as Europe/Berlin'),
    /** Day 0 is Sunday. A day not listed has no work hours: do-not-disturb all day. */
    days: z.array(z.object({ day: z.number().int().min(0).max(6), start: ClockTime, end: ClockTime })).max(7)
  })
  .meta({ id: 'WorkHours' })
export type WorkHours = z.infer<typeof WorkHours>

export const KEYWORDS_MAX = 20
export const Keyword = z.string().trim().min(2).max(40)

export const NotificationPrefs = z
  .object({
    /** Desktop notifications by default. */
    level: NotifyLevel,
    sound: z.boolean(),
    /** Words that notify like a mention (matched as whole words, ignoring case). */
    keywords: z.array(z.string()).max(KEYWORDS_MAX),
    /** By conversation id; absent: the default. */
    conversations: z.record(Id, ConversationNotify),
    /** Timed do-not-disturb (30 minutes, 1 hour, until tomorrow, until a chosen time); null: off. It ends by itself. */
    dndUntil: Timestamp.nullable(),
    workHours: WorkHours.nullable()
  })
  .meta({ id: 'NotificationPrefs' })
export type NotificationPrefs = z.infer<typeof NotificationPrefs>

export const DEFAULT_NOTIFICATION_PREFS: NotificationPrefs = {
  level: 'all',
  sound: true,
  keywords: [],
  conversations: {},
  dndUntil: null,
  workHours: null
}

/** PATCH: only the fields given change; `conversations` entries given replace that conversation's (null removes it). */
export const UpdateNotificationPrefsBody = z
  .strictObject({
    level: NotifyLevel.optional(),
    sound: z.boolean().optional(),
    keywords: z.array(Keyword).max(KEYWORDS_MAX).optional(),
    conversations: z.record(Id, z.strictObject({ level: NotifyLevel.optional(), mutedUntil: Timestamp.nullable().optional() }).nullable()).optional(),
    dndUntil: Timestamp.nullable().optional(),
    workHours: WorkHours.strict().nullable().optional()
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give level, sound, keywords, conversations, dndUntil or workHours' })
export type UpdateNotificationPrefsBody = z.infer<typeof UpdateNotificationPrefsBody>

export const NotificationPrefsResponse = z.object({ prefs: NotificationPrefs })
