import type { Conversation } from '../../../shared/schemas/conversations'
import { Invitation } from '../../../shared/schemas/contacts'
import { JoinCode } from '../../../shared/schemas/groups'
import { z } from 'zod'
import { FOREVER } from '../../../shared/dnd'
import type { ClientCore } from '../client'
import { ClientError } from '../errors'
import { fromServer } from '../server-data'
import type { HandlersFor } from './index'

const JoinCodeResponse = z.object({ joinCode: JoinCode.nullable() })
const ClearResponse = z.object({ clearedSeq: z.number().int().min(0) })

export function conversationHandlers(core: ClientCore): HandlersFor<'conversations'> {
  const request = <T = unknown>(...args: Parameters<ReturnType<ClientCore['ctx']>['session']['request']>) =>
    core.ctx().session.request<T>(...args)
  /** Answers with a conversation: into the cache, then to the caller. */
  const put = (body: { conversation: unknown }): Conversation => core.ctx().sync.putConversation(body.conversation)
  const path = (id: string, rest = ''): string => `/conversations/${id}${rest}`

  return {
    'conversations.list': () => Promise.resolve(core.ctx().cache.conversations()),
    'conversations.get': async ({ conversationId }) => {
      const cached = core.ctx().cache.conversation(conversationId)
      if (cached) return cached
      return core.ctx().sync.fetchConversation(conversationId)
    },
    'conversations.openDirect': async ({ userId }) => {
      const body = await request<{ conversation?: unknown; invitation?: unknown }>('POST', '/conversations', { body: { kind: 'direct', userId } })
      if (body.invitation !== undefined) return { invitation: fromServer(Invitation, body.invitation, 'invitation') }
      return { conversation: put({ conversation: body.conversation }) }
    },
    'conversations.createGroup': async ({ title, memberIds }) =>
      put(await request('POST', '/conversations', { body: { kind: 'group', title, memberIds } })),
    'conversations.update': async ({ conversationId, ...body }) => put(await request('PATCH', path(conversationId), { body })),
    'conversations.delete': async ({ conversationId }) => {
      await request('DELETE', path(conversationId))
      await core.ctx().sync.removeConversation(conversationId)
      return null
    },
    'conversations.leave': async ({ conversationId }) => {
      await request('DELETE', path(conversationId, `/members/${core.ctx().account.userId}`))
      await core.ctx().sync.removeConversation(conversationId)
      return null
    },
    'conversations.addMembers': async ({ conversationId, userIds }) => put(await request('POST', path(conversationId, '/members'), { body: { userIds } })),
    'conversations.removeMember': async ({ conversationId, userId }) => {
      if (userId === core.ctx().account.userId) throw new ClientError('validation_failed', 'to leave a group use conversations.leave')
      await request('DELETE', path(conversationId, `/members/${userId}`))
      return null
    },
    'conversations.setRole': async ({ conversationId, userId, role }) =>
      put(await request('PATCH', path(conversationId, `/members/${userId}`), { body: { role } })),
    'conversations.clear': async ({ conversationId }) => {
      const { clearedSeq } = fromServer(ClearResponse, await request('POST', path(conversationId, '/clear')), 'clear answer')
      await core.ctx().sync.onCleared(conversationId, clearedSeq)
      return { clearedSeq }
    },
    'conversations.setMuted': async ({ conversationId, muted }) => {
      const ctx = core.ctx()
      if (!ctx.cache.conversation(conversationId)) throw new ClientError('not_found', 'no such conversation in this account')
      // Issue 21: a mute is the server's (every device honours it): muted for ever, or not muted.
      const { mutedUntil: _was, ...rest } = ctx.notificationPrefs.current().conversations[conversationId] ?? {}
      await ctx.notificationPrefs.update({ conversations: { [conversationId]: { ...rest, mutedUntil: muted ? FOREVER : null } } })
      return ctx.cache.mutedIds()
    },
    'conversations.muted': () => Promise.resolve(core.ctx().cache.mutedIds()),
    'conversations.markRead': async ({ conversationId, seq }) => ({ readSeq: await core.ctx().sync.markRead(conversationId, seq) }),
    'conversations.getJoinCode': async ({ conversationId }) =>
      fromServer(JoinCodeResponse, await request('GET', path(conversationId, '/join-code')), 'join code').joinCode,
    'conversations.createJoinCode': async ({ conversationId, ...body }) => {
      const { joinCode } = fromServer(JoinCodeResponse, await request('POST', path(conversationId, '/join-code'), { body }), 'join code')
      if (!joinCode) throw new ClientError('internal', 'the server created no join code')
      return joinCode
    },
    'conversations.revokeJoinCode': async ({ conversationId }) => {
      await request('DELETE', path(conversationId, '/join-code'))
      return null
    },
    'conversations.join': async ({ code }) => put(await request('POST', '/join', { body: { code } }))
  }
}
