import type { Logger } from 'pino'
import { ListPresencePayload, SetPresencePayload, TypingPayload } from '../../src/shared/schemas/presence'
import { AppError } from '../errors'
import type { Services } from '../services'
import type { EventRegistry } from './handle'
import { contactsOf } from './presence'
import { CHANGE_WINDOW_MS, CHANGES_PER_WINDOW, type PresenceHub } from './presence-hub'
import type { IoSocket } from './types'
import { WindowLimiter } from './window-limiter'

const tooFast = (what: string): AppError =>
  new AppError('rate_limited', `too many ${what} changes: at most ${CHANGES_PER_WINDOW} per ${CHANGE_WINDOW_MS / 1000} s`)

/** Presence (this socket counts as a device from now on) and typing events. */
export function registerPresenceHandlers(socket: IoSocket, events: EventRegistry, services: Services, hub: PresenceHub, log: Logger): void {
  const { userId } = socket.data
  const { presence, typing } = hub
  const typingLimit = new WindowLimiter(CHANGES_PER_WINDOW, CHANGE_WINDOW_MS)
  const statusLimit = new WindowLimiter(CHANGES_PER_WINDOW, CHANGE_WINDOW_MS)

  if (presence.connected(userId, socket.id)) hub.announce(userId)

  socket.on('disconnect', () => {
    try {
      // Presence first: a contact who then sees typing stop knows the status is already settled.
      if (presence.disconnected(userId, socket.id)) hub.announce(userId)
      for (const typist of typing.dropSocket(socket.id)) hub.typingChanged(typist, false)
    } catch (err) {
      log.error({ err, userId, socketId: socket.id }, 'could not settle presence after a disconnect')
    }
  })

  events.on('presence:set', SetPresencePayload, ({ status }) => {
    if (presence.deviceStatus(userId, socket.id) !== status && !statusLimit.take()) throw tooFast('presence')
    const changed = presence.set(userId, socket.id, status)
    return Promise.resolve({ data: { status: presence.status(userId) }, after: () => changed && hub.announce(userId) })
  })

  events.on('presence:list', ListPresencePayload, async ({ userIds }) => {
    const contacts = await contactsOf(services.store.conversations, userId)
    // People the caller shares no conversation with (or unknown ids) are left out, not refused.
    const visible = userIds ? [...new Set(userIds)].filter((id) => id === userId || contacts.has(id)) : [...contacts]
    return { data: { presence: await Promise.all(visible.map((id) => presence.view(id, userId))) } }
  })

  events.on('typing:start', TypingPayload, async ({ conversationId }) => {
    await services.conversations.requireMember(conversationId, userId)
    // A renewal costs nothing and tells no one; only new starts count against the limit.
    if (!typing.isTyping(conversationId, userId, socket.id) && !typingLimit.take()) throw tooFast('typing')
    const began = typing.start(conversationId, userId, socket.id)
    return { data: { timeoutMs: typing.timeoutMs }, after: () => began && hub.typingChanged({ conversationId, userId }, true) }
  })

  events.on('typing:stop', TypingPayload, async ({ conversationId }) => {
    await services.conversations.requireMember(conversationId, userId)
    const ended = typing.stop(conversationId, userId, socket.id)
    return { data: {}, after: () => ended && hub.typingChanged({ conversationId, userId }, false) }
  })
}
