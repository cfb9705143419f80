// Bot accounts (issue 21 item 6), managed by server admins: a user with
// bot = true that never signs in; its tokens (Authorization: Bearer) read and
// send only in the conversations the admin put it in.
import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, Timestamp } from './common'
import { DisplayName, PublicUser, Username } from './users'

export const BotToken = z
  .object({ id: Id, createdAt: Timestamp, createdBy: Id })
  .meta({ id: 'BotToken' })
export type BotToken = z.infer<typeof BotToken>

export const Bot = z
  .object({
    user: PublicUser,
    conversationIds: z.array(Id).describe('where its tokens may read and send: it is a member there'),
    tokens: z.array(BotToken).describe('live tokens, without their secrets'),
    createdBy: Id,
    createdAt: Timestamp
  })
  .meta({ id: 'Bot' })
export type Bot = z.infer<typeof Bot>

const ConversationIds = z.array(Id).max(LIMITS.groupMembersMax)

export const CreateBotBody = z.strictObject({
  username: Username,
  displayName: DisplayName,
  conversationIds: ConversationIds.optional()
})
export type CreateBotBody = z.infer<typeof CreateBotBody>

export const UpdateBotBody = z
  .strictObject({ displayName: DisplayName.optional(), conversationIds: ConversationIds.optional() })
  .refine((b) => b.displayName !== undefined || b.conversationIds !== undefined, { message: 'give displayName or conversationIds' })
export type UpdateBotBody = z.infer<typeof UpdateBotBody>

export const BotResponse = z.object({ bot: Bot })
export const BotListResponse = z.object({ bots: z.array(Bot) })
export const BotParams = z.strictObject({ id: Id })
export const BotTokenParams = z.strictObject({ id: Id, tokenId: Id })
export const CreatedBotTokenResponse = z.object({
  token: BotToken,
  secret: z.string().describe('send as Authorization: Bearer <secret> (REST) or auth: { token } (socket); shown only now')
})
export type CreatedBotTokenResponse = z.infer<typeof CreatedBotTokenResponse>
