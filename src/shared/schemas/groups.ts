import { z } from 'zod'
import { LIMITS } from '../limits'
import { Avatar, Id, multilineText, Timestamp } from './common'
import { GroupTitle, MemberRole } from './conversations'

export { Avatar }

export const GroupDescription = multilineText(LIMITS.groupDescriptionMax)

export const updateGroupFields = { title: GroupTitle.optional(), description: GroupDescription.optional(), avatar: Avatar.optional() }

export function someGroupField(b: { title?: unknown; description?: unknown; avatar?: unknown }): boolean {
  return b.title !== undefined || b.description !== undefined || b.avatar !== undefined
}

export const UpdateGroupBody = z
  .strictObject(updateGroupFields)
  .refine(someGroupField, { message: 'give title, description or avatar' })
export type UpdateGroupBody = z.infer<typeof UpdateGroupBody>

export const AddMembersBody = z.strictObject({ userIds: z.array(Id).min(1).max(LIMITS.groupMembersMax) })
export const MemberParams = z.strictObject({ id: Id, userId: Id })
export const SetRoleBody = z.strictObject({ role: MemberRole })

/** Crockford base32 without I, L, O, U: easy to read aloud and to type. */
export const JOIN_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const JOIN_CODE_LENGTH = 10

export const JoinCodeText = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), `must be ${JOIN_CODE_LENGTH} letters and digits`))

export const JoinCode = z
  .object({
    code: z.string(),
    createdBy: Id,
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    maxUses: z.number().int().min(1).nullable(),
    uses: z.number().int().min(0)
  })
  .meta({ id: 'JoinCode' })
export type JoinCode = z.infer<typeof JoinCode>

export const CreateJoinCodeBody = z.strictObject({
  /** Seconds until the code stops working; omit for no expiry. Up to 30 days. */
  expiresInSeconds: z.number().int().min(60).max(30 * 24 * 3600).optional(),
  maxUses: z.number().int().min(1).max(10_000).optional()
})
export type CreateJoinCodeBody = z.infer<typeof CreateJoinCodeBody>

export const JoinCodeResponse = z.object({ joinCode: JoinCode.nullable() })
export const JoinBody = z.strictObject({ code: JoinCodeText })
