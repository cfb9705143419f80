import type { RequestHandler } from 'express'
import { ConversationParams, ConversationResponse } from '../../../src/shared/schemas/conversations'
import {
  AddMembersBody,
  CreateJoinCodeBody,
  JoinBody,
  JoinCodeResponse,
  MemberParams,
  SetRoleBody,
  UpdateGroupBody
} from '../../../src/shared/schemas/groups'
import type { GroupChange } from '../../services/groups.service'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute, type RouteResult } from '../route'

export function groupRoutes({ services, realtime, joinLimiter }: RouteDeps & { joinLimiter: RequestHandler[] }): AnyRoute[] {
  const { groups, joinCodes, conversations } = services

  /**
   * 200 with the caller's view of the group, once who hears it is settled on
   * every node (a message sent right after reaches whoever was added, and not
   * whoever left); the rest of the change is announced after the response.
   */
  const changed = async (change: GroupChange, userId: string, status = 200): Promise<RouteResult> => {
    await realtime.groupChanged(change)
    return { status, body: { conversation: await conversations.view(change.conversation, userId) } }
  }
  const gone = async (change: GroupChange): Promise<RouteResult> => {
    await realtime.groupChanged(change)
    return { status: 204 }
  }

  return [
    defineRoute({
      method: 'patch',
      path: '/conversations/:id',
      summary: 'Rename a group or room, or set its description, avatar or who may use @here and @all (admins)',
      tag: 'groups',
      auth: true,
      params: ConversationParams,
      body: UpdateGroupBody,
      responses: { 200: { description: 'The group after the change', schema: ConversationResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params, body }) => changed(await groups.update(caller.userId, params.id, body), caller.userId)
    }),
    defineRoute({
      method: 'delete',
      path: '/conversations/:id',
      summary: 'Delete a group and its history for everyone (admins)',
      tag: 'groups',
      auth: true,
      params: ConversationParams,
      responses: { 204: { description: 'Deleted' } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => gone(await groups.delete(caller.userId, params.id))
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/members',
      summary: 'Add people to a group (admins); people already in it are skipped',
      tag: 'groups',
      auth: true,
      params: ConversationParams,
      body: AddMembersBody,
      responses: { 200: { description: 'The group after the change', schema: ConversationResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params, body }) => changed(await groups.addMembers(caller.userId, params.id, body.userIds), caller.userId)
    }),
    defineRoute({
      method: 'delete',
      path: '/conversations/:id/members/:userId',
      summary: 'Remove a member (admins), or leave the group when userId is yourself',
      tag: 'groups',
      auth: true,
      params: MemberParams,
      responses: { 204: { description: 'Removed, or left' } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => gone(await groups.removeMember(caller.userId, params.id, params.userId))
    }),
    defineRoute({
      method: 'patch',
      path: '/conversations/:id/members/:userId',
      summary: 'Promote a member to admin or demote an admin (admins); a group keeps at least one admin',
      tag: 'groups',
      auth: true,
      params: MemberParams,
      body: SetRoleBody,
      responses: { 200: { description: 'The group after the change', schema: ConversationResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params, body }) =>
        changed(await groups.setRole(caller.userId, params.id, params.userId, body.role), caller.userId)
    }),
    defineRoute({
      method: 'get',
      path: '/conversations/:id/join-code',
      summary: "The group's join code, or null (admins)",
      tag: 'groups',
      auth: true,
      params: ConversationParams,
      responses: { 200: { description: 'The current code', schema: JoinCodeResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => ({ status: 200, body: { joinCode: await joinCodes.get(caller.userId, params.id) } })
    }),
    defineRoute({
      method: 'post',
      path: '/conversations/:id/join-code',
      summary: 'Create or regenerate the join code, with an optional expiry and use limit (admins); the old code stops working',
      tag: 'groups',
      auth: true,
      params: ConversationParams,
      body: CreateJoinCodeBody,
      responses: { 201: { description: 'The new code', schema: JoinCodeResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params, body }) => {
        const { joinCode, change } = await joinCodes.create(caller.userId, params.id, body)
        return { status: 201, body: { joinCode }, after: () => void realtime.groupChanged(change) }
      }
    }),
    defineRoute({
      method: 'delete',
      path: '/conversations/:id/join-code',
      summary: 'Revoke the join code (admins)',
      tag: 'groups',
      auth: true,
      params: ConversationParams,
      responses: { 204: { description: 'Revoked (also when there was none)' } },
      errors: [403, 404, 409],
      handler: async ({ caller, params }) => {
        const change = await joinCodes.revoke(caller.userId, params.id)
        return { status: 204, after: () => change && void realtime.groupChanged(change) }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/join',
      summary: 'Join a group with its join code',
      tag: 'groups',
      auth: true,
      body: JoinBody,
      middleware: joinLimiter,
      responses: {
        200: { description: 'Already a member: the group', schema: ConversationResponse },
        201: { description: 'Joined', schema: ConversationResponse }
      },
      errors: [404, 410, 429],
      handler: async ({ caller, body }) => {
        const { change, joined } = await joinCodes.join(caller.userId, body.code)
        return changed(change, caller.userId, joined ? 201 : 200)
      }
    })
  ]
}
