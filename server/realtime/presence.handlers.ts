import type { Logger } from 'pino'
import { ListPresencePayload, SetPresencePayload, TypingPayload } from '../../src/shared/schemas/presence'
import { takeOrRefuse, type Limiter } from '../cluster/limits'
import type { Services } from '../services'
import type { EventRegistry } from './handle'
import { contactsOf } from './presence'
import { CHANGE_WINDOW_MS, CHANGES_PER_WINDOW, type PresenceHub } from './presence-hub'
import type { IoSocket } from './types'

/** Takes one of the session's changes, or throws `rate_limited` with when the window frees one. */
function takeChange(limiter: Limiter, sessionId: string, what: string): Promise<void> {
  return takeOrRefuse(limiter, sessionId, `too many ${what} changes: at most ${CHANGES_PER_WINDOW} per ${CHANGE_WINDOW_MS / 1000} s`)
}

/** Presence (this socket counts as a device from now on) and typing events. */
export function registerPresenceHandlers(socket: IoSocket, events: EventRegistry, services: Services, hub: PresenceHub, log: Logger): void {
  const { userId, sessionId } = socket.data
  const { presence, typing, limits } = hub

  // The tracker reports its own failures and announces changes itself.
  void presence.connected(userId, socket.id)

  socket.on('disconnect', () => {
    try {
      // Presence first: a contact who then sees typing stop and asks gets the status already settled.
      void presence.disconnected(userId, socket.id)
      for (const typist of typing.dropSocket(socket.id)) hub.typingChanged(typist, false)
    } catch (err) {
      log.error({ err, userId, socketId: socket.id }, 'could not settle presence after a disconnect')
    }
  })

  // Limits are per session, not per socket: a device that reconnects (perhaps to another node) keeps its count.
  events.on('presence:set', SetPresencePayload, async ({ status }) => {
    if (presence.deviceStatus(userId, socket.id) !== status) await takeChange(limits.status, sessionId, 'presence')
    await presence.set(userId, socket.id, status)
    return { data: { status: await presence.status(userId) } }
  })

  events.on('presence:list', ListPresencePayload, async ({ userIds }) => {
    const contacts = await contactsOf(services.store.conversations, userId)
    // People the caller shares no conversation with (or unknown ids) are left out, not refused.
    const visible = userIds ? [...new Set(userIds)].filter((id) => id === userId || contacts.has(id)) : [...contacts]
    return { data: { presence: await presence.views(visible, userId) } }
  })

  events.on('typing:start', TypingPayload, async ({ conversationId }) => {
    await services.conversations.requireMember(conversationId, userId)
    // A renewal costs nothing and tells no one; only new starts count against the limit.
    if (!typing.isTyping(conversationId, userId, socket.id)) await takeChange(limits.typing, sessionId, 'typing')
    const began = typing.start(conversationId, userId, socket.id)
    return { data: { timeoutMs: typing.timeoutMs }, after: () => began && hub.typingChanged({ conversationId, userId }, true) }
  })

  events.on('typing:stop', TypingPayload, async ({ conversationId }) => {
    await services.conversations.requireMember(conversationId, userId)
    const ended = typing.stop(conversationId, userId, socket.id)
    return { data: {}, after: () => ended && hub.typingChanged({ conversationId, userId }, false) }
  })
}
