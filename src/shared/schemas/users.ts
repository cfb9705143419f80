import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, queryInt, Timestamp } from './common'

export const Username = z
  .string()
  .min(LIMITS.usernameMin)
  .max(LIMITS.usernameMax)
  .regex(/^[a-zA-Z0-9._-]+$/, 'may contain only letters, digits, dot, dash and underscore')

export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.displayNameMax)
  .refine((s) => !/\p{Cc}/u.test(s), 'may not contain control characters')

export const StatusText = z
  .string()
  .trim()
  .max(LIMITS.statusTextMax)
  .refine((s) => !/\p{Cc}/u.test(s), 'may not contain control characters')

export const PublicUser = z
  .object({
    id: Id,
    username: z.string(),
    displayName: z.string(),
    statusText: z.string(),
    createdAt: Timestamp
  })
  .meta({ id: 'User' })
export type PublicUser = z.infer<typeof PublicUser>

export const UpdateMeBody = z
  .strictObject({
    displayName: DisplayName.optional(),
    statusText: StatusText.optional()
  })
  .refine((b) => b.displayName !== undefined || b.statusText !== undefined, {
    message: 'give displayName or statusText'
  })
export type UpdateMeBody = z.infer<typeof UpdateMeBody>

export const UserSearchQuery = z.strictObject({
  q: z.string().trim().max(LIMITS.usernameMax).optional(),
  limit: queryInt(z.number().int().min(1).max(LIMITS.searchResultsMax)).optional()
})

export const UserResponse = z.object({ user: PublicUser })
export const UserListResponse = z.object({ users: z.array(PublicUser) })
