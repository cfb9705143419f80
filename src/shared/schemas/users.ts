import { z } from 'zod'
import { LIMITS } from '../limits'
import { Avatar, Id, lineText, queryInt, Timestamp } from './common'
import { Emoji } from './emoji'

export const Username = z
  .string()
  .min(LIMITS.usernameMin)
  .max(LIMITS.usernameMax)
  .regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, dot, dash and underscore')

export const DisplayName = lineText(1, LIMITS.displayNameMax)

/** Where a password reset code may be emailed; null: none. */
export const Email = z.email().max(LIMITS.emailMax).nullable()

export const StatusText = lineText(0, LIMITS.statusTextMax)

const publicUserFields = {
  id: Id,
  username: z.string(),
  displayName: z.string(),
  statusText: z.string(),
  statusEmoji: z.string().optional().describe('the custom status emoji (issue 21); absent: none'),
  statusExpiresAt: Timestamp.optional().describe('when the custom status (text and emoji) clears by itself; absent: it stays'),
  bot: z.boolean().optional().describe('a bot account or a webhook identity, shown as such; absent: a person'),
  avatar: z.string().nullable().describe('a data: URL, or null'),
  createdAt: Timestamp
}

export const PublicUser = z.object(publicUserFields).meta({ id: 'User' })
export type PublicUser = z.infer<typeof PublicUser>

/** The signed-in user's own profile: what others see plus private settings. */
export const Me = z
  .object({
    ...publicUserFields,
    /** Others see `lastSeenAt: null`, and this user sees no one else's last seen either. */
    hideLastSeen: z.boolean(),
    /** Only contacts may start a direct chat; a stranger's attempt becomes a contact invitation. */
    contactsOnlyDirect: z.boolean(),
    /** Runs this server: may manage accounts, invites and settings. (Defaults let a client read an older server.) */
    serverAdmin: z.boolean().default(false),
    email: z.string().nullable().default(null)
  })
  .meta({ id: 'Me' })
export type Me = z.infer<typeof Me>

export const UpdateMeBody = z
  .strictObject({
    displayName: DisplayName.optional(),
    statusText: StatusText.optional(),
    avatar: Avatar.optional(),
    hideLastSeen: z.boolean().optional(),
    contactsOnlyDirect: z.boolean().optional(),
    email: Email.optional(),
    /** Issue 21: the custom status's emoji; null removes it. */
    statusEmoji: Emoji.nullable().optional(),
    /** Issue 21: when the custom status (text and emoji) clears by itself, in the future; null: it stays. */
    statusExpiresAt: Timestamp.nullable().optional()
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give displayName, statusText, statusEmoji, statusExpiresAt, avatar, hideLastSeen, contactsOnlyDirect or email'
  })
export type UpdateMeBody = z.infer<typeof UpdateMeBody>

export const UserSearchQuery = z.strictObject({
  q: z.string().trim().max(LIMITS.usernameMax).optional(),
  limit: queryInt(z.number().int().min(1).max(LIMITS.searchResultsMax)).optional()
})

export const UserResponse = z.object({ user: PublicUser })
export const MeResponse = z.object({ user: Me })
export const UserListResponse = z.object({ users: z.array(PublicUser) })
