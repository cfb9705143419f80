import { z } from 'zod'
import { ContactListResponse, InvitationListResponse, InvitationResponse } from '../../../shared/schemas/contacts'
import { Presence } from '../../../shared/schemas/presence'
import { RoomListResponse } from '../../../shared/schemas/rooms'
import { MeResponse, UserListResponse } from '../../../shared/schemas/users'
import type { ClientCore } from '../client'
import { fromServer } from '../server-data'
import type { HandlersFor } from './index'

const PresenceListResponse = z.object({ presence: z.array(Presence) })
const StatusAck = z.object({ status: z.enum(['online', 'away', 'offline']) })

export function socialHandlers(core: ClientCore): HandlersFor<'profile' | 'users' | 'rooms' | 'contacts' | 'invitations' | 'presence' | 'typing'> {
  const request = (...args: Parameters<ReturnType<ClientCore['ctx']>['session']['request']>) => core.ctx().session.request<unknown>(...args)
  const invitation = async (path: string) => fromServer(InvitationResponse, await request('POST', path), 'invitation').invitation

  return {
    'profile.update': async (body) => {
      const { user } = fromServer(MeResponse, await request('PATCH', '/me', { body }), 'profile')
      core.setMe(user)
      return user
    },
    'users.known': () => Promise.resolve(core.ctx().cache.people()),
    'users.search': async ({ query, limit }) =>
      fromServer(UserListResponse, await request('GET', '/users', { query: { q: query, limit } }), 'user list').users,

    'rooms.list': async ({ query, limit }) => fromServer(RoomListResponse, await request('GET', '/rooms', { query: { q: query, limit } }), 'room list').rooms,
    'rooms.enter': async (body) => core.ctx().sync.putConversation(((await request('POST', '/rooms', { body })) as { conversation: unknown }).conversation),
    'rooms.join': async ({ roomId }) =>
      core.ctx().sync.putConversation(((await request('POST', `/rooms/${roomId}/join`)) as { conversation: unknown }).conversation),

    'contacts.list': async () => fromServer(ContactListResponse, await request('GET', '/contacts'), 'contact list').contacts,
    'contacts.remove': async ({ userId }) => {
      await request('DELETE', `/contacts/${userId}`)
      return null
    },
    'invitations.list': async () => fromServer(InvitationListResponse, await request('GET', '/invitations'), 'invitation list'),
    'invitations.send': async (body) => fromServer(InvitationResponse, await request('POST', '/invitations', { body }), 'invitation').invitation,
    'invitations.accept': ({ invitationId }) => invitation(`/invitations/${invitationId}/accept`),
    'invitations.decline': ({ invitationId }) => invitation(`/invitations/${invitationId}/decline`),
    'invitations.cancel': async ({ invitationId }) => {
      await request('DELETE', `/invitations/${invitationId}`)
      return null
    },

    'presence.set': async ({ status }) => fromServer(StatusAck, await core.ctx().realtime.call('presence:set', { status }), 'presence'),
    'presence.list': async (payload) =>
      fromServer(PresenceListResponse, await core.ctx().realtime.call('presence:list', payload), 'presence list').presence,
    'typing.start': async ({ conversationId }) => {
      await core.ctx().realtime.call('typing:start', { conversationId })
      return null
    },
    'typing.stop': async ({ conversationId }) => {
      await core.ctx().realtime.call('typing:stop', { conversationId })
      return null
    }
  }
}
