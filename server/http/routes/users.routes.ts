import { LIMITS } from '../../../src/shared/limits'
import { HealthResponse } from '../../../src/shared/schemas/health'
import { MeResponse, UpdateMeBody, UserListResponse, UserSearchQuery } from '../../../src/shared/schemas/users'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute } from '../route'

export function userRoutes({ services, realtime, version, identity }: RouteDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      summary: 'Is the server up: its version, name and certificate fingerprint',
      tag: 'server',
      auth: false,
      responses: { 200: { description: 'Up', schema: HealthResponse } },
      handler: () => ({ status: 200, body: { ok: true, version, name: identity.name, tls: identity.fingerprint !== null, fingerprint: identity.fingerprint } })
    }),
    defineRoute({
      method: 'get',
      path: '/me',
      summary: 'The signed-in user',
      tag: 'users',
      auth: true,
      responses: { 200: { description: 'Profile, with private settings', schema: MeResponse } },
      errors: [404],
      handler: async ({ caller }) => ({ status: 200, body: { user: await services.users.me(caller.userId) } })
    }),
    defineRoute({
      method: 'patch',
      path: '/me',
      summary: 'Change display name, status text or whether others see your last seen',
      tag: 'users',
      auth: true,
      body: UpdateMeBody,
      responses: { 200: { description: 'Updated profile', schema: MeResponse } },
      errors: [404],
      handler: async ({ caller, body }) => ({
        status: 200,
        body: { user: await services.users.update(caller.userId, body) },
        after: () => void realtime.accountChanged(caller.userId)
      })
    }),
    defineRoute({
      method: 'get',
      path: '/users',
      summary: 'Find people by username or display name',
      tag: 'users',
      auth: true,
      query: UserSearchQuery,
      responses: { 200: { description: 'Matching users, prefix matches first', schema: UserListResponse } },
      handler: async ({ query }) => ({
        status: 200,
        body: { users: await services.users.search(query.q, query.limit ?? LIMITS.searchResultsMax) }
      })
    })
  ]
}
