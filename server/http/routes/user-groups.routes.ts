import { CreateUserGroupBody, PatchUserGroupBody, UserGroupParams, UserGroupResponse, UserGroupsResponse } from '../../../src/shared/schemas/user-groups'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

/** User groups (@design), issue 20. */
export function userGroupRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { userGroups } = services
  return [
    defineRoute({
      method: 'get',
      path: '/user-groups',
      summary: 'Every user group, by handle (anyone signed in: the composer offers them as @handle)',
      tag: 'user-groups',
      auth: true,
      responses: { 200: { description: 'The user groups, and the people in them', schema: UserGroupsResponse } },
      handler: async () => ({ status: 200, body: await userGroups.list() })
    }),
    defineRoute({
      method: 'post',
      path: '/user-groups',
      summary: 'Make a user group (server admins): a handle unique among groups and usernames, a name, members and optional managers',
      tag: 'user-groups',
      auth: true,
      admin: true,
      body: CreateUserGroupBody,
      responses: { 201: { description: 'The new group', schema: UserGroupResponse } },
      errors: [409],
      handler: async ({ caller, body }) => {
        const userGroup = await userGroups.create(caller.userId, body)
        return { status: 201, body: { userGroup }, after: () => realtime.userGroupsChanged({ userGroup }) }
      }
    }),
    defineRoute({
      method: 'patch',
      path: '/user-groups/:id',
      summary: "Change a user group: server admins anything; its managers its name and members",
      tag: 'user-groups',
      auth: true,
      params: UserGroupParams,
      body: PatchUserGroupBody,
      responses: { 200: { description: 'The group after the change', schema: UserGroupResponse } },
      errors: [403, 404, 409],
      handler: async ({ caller, params, body }) => {
        const userGroup = await userGroups.update(caller.userId, params.id, body)
        return { status: 200, body: { userGroup }, after: () => realtime.userGroupsChanged({ userGroup }) }
      }
    }),
    defineRoute({
      method: 'delete',
      path: '/user-groups/:id',
      summary: 'Delete a user group (server admins); messages that mentioned it keep their text',
      tag: 'user-groups',
      auth: true,
      admin: true,
      params: UserGroupParams,
      responses: { 204: { description: 'Deleted' } },
      errors: [404],
      handler: async ({ params }) => {
        await userGroups.delete(params.id)
        return { status: 204, after: () => realtime.userGroupsChanged({ removedId: params.id }) }
      }
    })
  ]
}
