import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, multilineText, Timestamp } from './common'
import { PublicUser } from './users'

export const InvitationStatus = z.enum(['pending', 'accepted', 'declined', 'cancelled'])
export type InvitationStatus = z.infer<typeof InvitationStatus>

/** A short note with an invitation ("Hi, it's Ann from accounting"); blank means none. */
export const InvitationMessage = multilineText(LIMITS.invitationMessageMax)

export const Invitation = z
  .object({
    id: Id,
    from: PublicUser,
    to: PublicUser,
    message: z.string().nullable(),
    status: InvitationStatus,
    createdAt: Timestamp,
    respondedAt: Timestamp.nullable().describe('when it was accepted, declined or cancelled')
  })
  .meta({ id: 'Invitation' })
export type Invitation = z.infer<typeof Invitation>

export const CreateInvitationBody = z.strictObject({ userId: Id, message: InvitationMessage.optional() })
export type CreateInvitationBody = z.infer<typeof CreateInvitationBody>

/** Accepting or declining takes no fields: send `{}` (every POST takes a JSON body). */
export const AnswerInvitationBody = z.strictObject({})

export const InvitationParams = z.strictObject({ id: Id })
export const ContactParams = z.strictObject({ userId: Id })

export const InvitationResponse = z.object({ invitation: Invitation })
export const InvitationListResponse = z.object({
  incoming: z.array(Invitation).describe('pending invitations to the caller, newest first'),
  outgoing: z.array(Invitation).describe("the caller's pending invitations, newest first")
})
export const ContactListResponse = z.object({ contacts: z.array(PublicUser).describe('by display name') })
