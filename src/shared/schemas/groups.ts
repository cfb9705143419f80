import { z } from 'zod'
import { LIMITS } from '../limits'
import { Avatar, Id, multilineText, Timestamp } from './common'
import { GroupTitle, MemberRole } from './conversations'

export { Avatar }

export const GroupDescription = multilineText(LIMITS.groupDescriptionMax)

/** Who may write @here and @all in a group or room. */
export const BroadcastMentions = z.enum(['everyone', 'admins'])
export type BroadcastMentions = z.infer<typeof BroadcastMentions>

export const updateGroupFields = {
  title: GroupTitle.optional(),
  description: GroupDescription.optional(),
  avatar: Avatar.optional(),
  broadcastMentions: BroadcastMentions.optional()
}

export function someGroupField(b: { title?: unknown; description?: unknown; avatar?: unknown; broadcastMentions?: unknown }): boolean {
  return b.title !== undefined || b.description !== undefined || b.avatar !== undefined || b.broadcastMentions !== undefined
}

export const SOME_GROUP_FIELD = 'give title, description, avatar or broadcastMentions'

export const UpdateGroupBody = z.strictObject(updateGroupFields).refine(someGroupField, { message: SOME_GROUP_FIELD })
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
