// User groups (@design): named sets of people, mentioned as one in any
// conversation. Made by a server admin; managed by server admins and the
// group's managers.
import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, lineText, Timestamp } from './common'
import { PublicUser } from './users'

/** Like a username: lower-case letters, digits, dot, dash, underscore; here and all are taken. */
export const UserGroupHandle = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'must be 2 to 32 letters, digits, dots, dashes or underscores, starting with a letter or digit')
  .refine((h) => h !== 'here' && h !== 'all', 'here and all are reserved')

export const UserGroup = z
  .object({
    id: Id,
    handle: z.string(),
    name: z.string(),
    memberIds: z.array(Id),
    managerIds: z.array(Id).describe('may change the group besides server admins'),
    createdBy: Id,
    createdAt: Timestamp
  })
  .meta({ id: 'UserGroup' })
export type UserGroup = z.infer<typeof UserGroup>

export const CreateUserGroupBody = z.strictObject({
  handle: UserGroupHandle,
  name: lineText(1, LIMITS.groupTitleMax),
  memberIds: z.array(Id).max(LIMITS.groupMembersMax),
  managerIds: z.array(Id).max(LIMITS.groupMembersMax).optional()
})
export type CreateUserGroupBody = z.infer<typeof CreateUserGroupBody>

export const PatchUserGroupBody = z
  .strictObject({
    handle: UserGroupHandle.optional(),
    name: lineText(1, LIMITS.groupTitleMax).optional(),
    memberIds: z.array(Id).max(LIMITS.groupMembersMax).optional(),
    managerIds: z.array(Id).max(LIMITS.groupMembersMax).optional()
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give handle, name, memberIds or managerIds' })
export type PatchUserGroupBody = z.infer<typeof PatchUserGroupBody>

export const UserGroupResponse = z.object({ userGroup: UserGroup })
export const UserGroupsResponse = z.object({
  userGroups: z.array(UserGroup),
  people: z.array(PublicUser).optional().describe("the groups' members and managers, so a client names people it has not met in a conversation")
})

export const UserGroupParams = z.strictObject({ id: Id })
