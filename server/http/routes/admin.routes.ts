import {
  AdminUserListResponse,
  AdminUserParams,
  AdminUserResponse,
  CreateInviteBody,
  InviteListResponse,
  InviteParams,
  InviteResponse,
  PasswordReset,
  ServerInfo,
  SettingsResponse,
  UpdateAdminUserBody,
  UpdateSettingsBody
} from '../../../src/shared/schemas/admin'
import type { Ended } from '../../services/admin.service'
import { exportSubject } from '../../services/user-export'
import { sendUserExport } from '../user-export-response'
import type { RouteDeps } from '../deps'
import { defineRoute, type AnyRoute, type RouteResult } from '../route'

export function adminRoutes({ services, realtime }: RouteDeps): AnyRoute[] {
  const { admin } = services
  /** Answers, then disconnects the sockets of a user whose sessions ended. */
  const answer = <T>(status: number, { result, disconnect }: Ended<T>, wrap: (r: T) => unknown): RouteResult => ({
    status,
    body: wrap(result),
    after: () => disconnect && realtime.userSignedOut(disconnect)
  })

  return [
    defineRoute({
      method: 'get',
      path: '/server',
      summary: 'The server name, and whether sign-up is open, by invitation or closed',
      tag: 'server',
      auth: false,
      responses: { 200: { description: 'What anyone may know before signing in', schema: ServerInfo } },
      handler: async () => ({ status: 200, body: await admin.info() })
    }),
    defineRoute({
      method: 'get',
      path: '/admin/settings',
      summary: 'Server settings',
      tag: 'admin',
      auth: true,
      admin: true,
      responses: { 200: { description: 'The settings', schema: SettingsResponse } },
      handler: async () => ({ status: 200, body: { settings: await admin.getSettings() } })
    }),
    defineRoute({
      method: 'patch',
      path: '/admin/settings',
      summary: 'Change the server name, registration mode, file size limit or retention',
      tag: 'admin',
      auth: true,
      admin: true,
      body: UpdateSettingsBody,
      responses: { 200: { description: 'The settings after the change', schema: SettingsResponse } },
      handler: async ({ body }) => ({ status: 200, body: { settings: await admin.updateSettings(body) } })
    }),
    defineRoute({
      method: 'get',
      path: '/admin/users',
      summary: 'Every account, oldest first, with role and state',
      tag: 'admin',
      auth: true,
      admin: true,
      responses: { 200: { description: 'The accounts', schema: AdminUserListResponse } },
      handler: async () => ({ status: 200, body: { users: await admin.listUsers() } })
    }),
    defineRoute({
      method: 'patch',
      path: '/admin/users/:id',
      summary: 'Disable or enable an account (disabling signs it out everywhere), make or revoke a server admin',
      tag: 'admin',
      auth: true,
      admin: true,
      params: AdminUserParams,
      body: UpdateAdminUserBody,
      responses: { 200: { description: 'The account after the change', schema: AdminUserResponse } },
      errors: [404, 409],
      handler: async ({ caller, params, body }) => {
        const ended = await admin.updateUser(caller.userId, params.id, body)
        // A disabled account is signed out; anyone else sees their new role at once.
        return ended.disconnect ? answer(200, ended, (user) => ({ user })) : { status: 200, body: { user: ended.result }, after: () => void realtime.accountChanged(params.id) }
      }
    }),
    defineRoute({
      method: 'post',
      path: '/admin/users/:id/reset-password',
      summary: "Issue a one-time password reset code (emailed when SMTP is set up) and sign the account out everywhere",
      tag: 'admin',
      auth: true,
      admin: true,
      params: AdminUserParams,
      responses: { 201: { description: 'The code to hand over (null when it was emailed) and its expiry', schema: PasswordReset } },
      errors: [404],
      handler: async ({ caller, params }) => answer(201, await admin.resetPassword(caller.userId, params.id), (reset) => reset)
    }),
    defineRoute({
      method: 'get',
      path: '/admin/users/:id/export',
      summary: "Export one user's data (GDPR): a zip of their profile, their conversations with the messages they can see, and the files they sent",
      tag: 'admin',
      auth: true,
      admin: true,
      params: AdminUserParams,
      responses: { 200: { description: 'A zip in the export format of docs/admin.md, streamed as it is made', bytes: 'application/zip' } },
      errors: [404],
      handler: async ({ params, req }) => {
        const user = await exportSubject(services.store, params.id)
        return { status: 200, send: (res) => sendUserExport(services, user, req, res) }
      }
    }),
    defineRoute({
      method: 'get',
      path: '/admin/invites',
      summary: 'Sign-up invite codes, oldest first (used up and expired ones too)',
      tag: 'admin',
      auth: true,
      admin: true,
      responses: { 200: { description: 'The invite codes', schema: InviteListResponse } },
      handler: async () => ({ status: 200, body: { invites: await admin.listInvites() } })
    }),
    defineRoute({
      method: 'post',
      path: '/admin/invites',
      summary: 'Make a sign-up invite code: one use unless maxUses says more, optionally expiring',
      tag: 'admin',
      auth: true,
      admin: true,
      body: CreateInviteBody,
      responses: { 201: { description: 'The new code', schema: InviteResponse } },
      handler: async ({ caller, body }) => ({ status: 201, body: { invite: await admin.createInvite(caller.userId, body) } })
    }),
    defineRoute({
      method: 'delete',
      path: '/admin/invites/:code',
      summary: 'Revoke a sign-up invite code',
      tag: 'admin',
      auth: true,
      admin: true,
      params: InviteParams,
      responses: { 204: { description: 'Revoked' } },
      errors: [404],
      handler: async ({ params }) => {
        await admin.deleteInvite(params.code)
        return { status: 204 }
      }
    })
  ]
}
