// Issue 21 item 6: bot accounts, managed by server admins.
import { BotListResponse, BotParams, BotResponse, BotTokenParams, CreateBotBody, CreatedBotTokenResponse, UpdateBotBody } from '../../../src/shared/schemas/bots'
import type { BotChange } from '../../services/bots.service'
import type { GroupChange } from '../../services/groups.service'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

export function botRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { bots } = services
  /** The conversations the bot joined or left hear of it before the answer (a message right after reaches the bot). */
  const announce = async (changes: GroupChange[]): Promise<void> => {
    for (const change of changes) await realtime.groupChanged(change)
  }
  const answered = async (status: number, { bot, changes }: BotChange) => {
    await announce(changes)
    return { status, body: { bot } }
  }

  return [
    defineRoute({
      method: 'get',
      path: '/admin/bots',
      summary: 'Bot accounts with their conversations and tokens (not their secrets)',
      tag: 'admin',
      auth: true,
      admin: true,
      responses: { 200: { description: 'Oldest first', schema: BotListResponse } },
      handler: async () => ({ status: 200, body: { bots: await bots.list() } })
    }),
    defineRoute({
      method: 'post',
      path: '/admin/bots',
      summary: 'Make a bot account and put it in groups or rooms; it never signs in, it uses tokens',
      tag: 'admin',
      auth: true,
      admin: true,
      body: CreateBotBody,
      responses: { 201: { description: 'The bot', schema: BotResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, body }) => answered(201, await bots.create(caller.userId, body))
    }),
    defineRoute({
      method: 'patch',
      path: '/admin/bots/:id',
      summary: "Rename a bot, or set the conversations its tokens reach (it joins and leaves them, each recorded)",
      tag: 'admin',
      auth: true,
      admin: true,
      params: BotParams,
      body: UpdateBotBody,
      responses: { 200: { description: 'The bot after the change', schema: BotResponse } },
      errors: [403, 404],
      handler: async ({ caller, params, body }) => answered(200, await bots.update(caller.userId, params.id, body))
    }),
    defineRoute({
      method: 'delete',
      path: '/admin/bots/:id',
      summary: 'Delete a bot: it leaves its conversations, its tokens stop at once, its account stays disabled so history names it',
      tag: 'admin',
      auth: true,
      admin: true,
      params: BotParams,
      responses: { 204: { description: 'Deleted' } },
      errors: [403, 404],
      handler: async ({ caller, params }) => {
        const { changes, sessions } = await bots.delete(caller.userId, params.id)
        await announce(changes)
        return { status: 204, after: () => sessions.forEach((s) => realtime.sessionRevoked(s)) }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/admin/bots/:id/tokens',
      summary: 'Make a token for a bot; its secret is shown only in this answer',
      tag: 'admin',
      auth: true,
      admin: true,
      params: BotParams,
      responses: { 201: { description: 'The token and its secret (only its hash is kept)', schema: CreatedBotTokenResponse } },
      errors: [403, 404],
      handler: async ({ caller, params }) => ({ status: 201, body: await bots.createToken(caller.userId, params.id) })
    }),
    defineRoute({
      method: 'delete',
      path: '/admin/bots/:id/tokens/:tokenId',
      summary: "Revoke a bot's token at once (its sockets are cut)",
      tag: 'admin',
      auth: true,
      admin: true,
      params: BotTokenParams,
      responses: { 204: { description: 'Revoked' } },
      errors: [403, 404],
      handler: async ({ params }) => {
        const session = await bots.revokeToken(params.id, params.tokenId)
        return { status: 204, after: () => realtime.sessionRevoked(session) }
      }
    })
  ]
}
