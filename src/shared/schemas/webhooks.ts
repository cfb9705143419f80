// Incoming webhooks (issue 21 item 6): a group or room admin makes one for a
// conversation; anything that can POST JSON (a printer, a NAS, CI) posts into
// it through the URL, with no account, as the webhook's bot identity.
import { z } from 'zod'
import { LIMITS } from '../limits'
import { Id, lineText, Timestamp } from './common'
import { MessageText } from './messages'

export const WebhookName = lineText(1, LIMITS.displayNameMax)

export const Webhook = z
  .object({
    id: Id,
    conversationId: Id,
    name: z.string(),
    botUserId: Id.describe('the bot user its messages are sent as (a member of the conversation while the webhook lives)'),
    createdBy: Id,
    createdAt: Timestamp
  })
  .meta({ id: 'Webhook' })
export type Webhook = z.infer<typeof Webhook>

/** Only in the answer to its creation: the token is stored hashed and never shown again. */
export const CreatedWebhook = Webhook.extend({
  token: z.string().describe('the secret in the URL; shown only now'),
  url: z.string().describe('POST here: this server\'s address + /api/v1/hooks/{token}')
}).meta({ id: 'CreatedWebhook' })
export type CreatedWebhook = z.infer<typeof CreatedWebhook>

export const CreateWebhookBody = z.strictObject({ name: WebhookName })
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>

export const CreatedWebhookResponse = z.object({ webhook: CreatedWebhook })
export const WebhookListResponse = z.object({ webhooks: z.array(Webhook) })

export const WebhookParams = z.strictObject({ id: Id, webhookId: Id })

/** A webhook's token: 24 random bytes, base64url. */
export const WebhookToken = z.string().regex(/^[A-Za-z0-9_-]{32}$/, 'must be the 32 letters, digits, dashes or underscores of a webhook URL')
export const HookParams = z.strictObject({ token: WebhookToken })

/** Slack's incoming-webhook fields: `username` and `icon_url` replace the name and icon for this message. */
export const HookBody = z.object({
  text: MessageText,
  username: lineText(1, LIMITS.displayNameMax).optional(),
  icon_url: z.url({ protocol: /^https?$/ }).max(2048).optional()
})
export type HookBody = z.infer<typeof HookBody>
