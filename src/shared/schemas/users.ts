import { z } from 'zod'
import { LIMITS } from '../limits'
import { Avatar, Id, lineText, queryInt, Timestamp } from './common'

export const Username = z
  .string()
  .min(LIMITS.usernameMin)
  .max(LIMITS.usernameMax)
  .regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, dot, dash and underscore')

export const DisplayName = lineText(1, LIMITS.displayNameMax)

export const StatusText = lineText(0, LIMITS.statusTextMax)

const publicUserFields = {
  id: Id,
  username: z.string(),
  displayName: z.string(),
  statusText: z.string(),
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
    contactsOnlyDirect: z.boolean()
  })
  .meta({ id: 'Me' })
export type Me = z.infer<typeof Me>

export const UpdateMeBody = z
  .strictObject({
    displayName: DisplayName.optional(),
    statusText: StatusText.optional(),
    avatar: Avatar.optional(),
    hideLastSeen: z.boolean().optional(),
    contactsOnlyDirect: z.boolean().optional()
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'give displayName, statusText, avatar, hideLastSeen or contactsOnlyDirect'
  })
export type UpdateMeBody = z.infer<typeof UpdateMeBody>

export const UserSearchQuery = z.strictObject({
  q: z.string().trim().max(LIMITS.usernameMax).optional(),
  limit: queryInt(z.number().int().min(1).max(LIMITS.searchResultsMax)).optional()
})

export const UserResponse = z.object({ user: PublicUser })
export const MeResponse = z.object({ user: Me })
export const UserListResponse = z.object({ users: z.array(PublicUser) })
