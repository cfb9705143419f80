import {
  AdminUserListResponse,
  AdminUserResponse,
  ForgotPasswordResponse,
  InviteListResponse,
  InviteResponse,
  PasswordReset,
  ServerInfo,
  SettingsResponse
} from '../../../shared/schemas/admin'
import type { ClientCore } from '../client'
import { fromServer } from '../server-data'
import type { HandlersFor } from './index'
import type { BotMethod } from './hooks'

/** Server administration for server admins, and the password reset of signed-out users. */
export function adminHandlers(core: ClientCore): Omit<HandlersFor<'admin'>, BotMethod> & Pick<HandlersFor<'session' | 'server'>, 'session.requestReset' | 'session.resetPassword' | 'server.info'> {
  const request = (...args: Parameters<ReturnType<ClientCore['ctx']>['session']['request']>) => core.ctx().session.request<unknown>(...args)

  return {
    'server.info': async ({ serverUrl }) => fromServer(ServerInfo, await core.http(serverUrl).request('GET', '/server'), 'server info'),
    'session.requestReset': async ({ serverUrl, username }) =>
      fromServer(ForgotPasswordResponse, await core.http(serverUrl).request('POST', '/auth/forgot-password', { body: { username } }), 'reset answer'),
    'session.resetPassword': ({ serverUrl, ...body }) => core.signIn(serverUrl, '/auth/reset-password', body),

    'admin.users': async () => fromServer(AdminUserListResponse, await request('GET', '/admin/users'), 'account list').users,
    'admin.updateUser': async ({ userId, ...body }) =>
      fromServer(AdminUserResponse, await request('PATCH', `/admin/users/${userId}`, { body }), 'account').user,
    'admin.resetPassword': async ({ userId }) => fromServer(PasswordReset, await request('POST', `/admin/users/${userId}/reset-password`), 'password reset'),
    'admin.settings': async () => fromServer(SettingsResponse, await request('GET', '/admin/settings'), 'server settings').settings,
    'admin.updateSettings': async (body) => fromServer(SettingsResponse, await request('PATCH', '/admin/settings', { body }), 'server settings').settings,
    'admin.invites': async () => fromServer(InviteListResponse, await request('GET', '/admin/invites'), 'invite list').invites,
    'admin.createInvite': async (body) => fromServer(InviteResponse, await request('POST', '/admin/invites', { body }), 'invite').invite,
    'admin.deleteInvite': async ({ code }) => {
      await request('DELETE', `/admin/invites/${code}`)
      return null
    }
  }
}
