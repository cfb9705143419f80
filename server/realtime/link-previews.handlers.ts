import { MessageRefPayload } from '../../src/shared/protocol'
import type { Services } from '../services'
import type { Broadcaster } from './broadcaster'
import type { EventRegistry } from './handle'
import type { IoSocket } from './types'

/** Issue 21: the sender removes a link preview by socket, as by DELETE …/messages/{seq}/preview. */
export function registerLinkPreviewHandlers(socket: IoSocket, events: EventRegistry, services: Services, realtime: Broadcaster): void {
  const { userId } = socket.data
  events.on('message:removePreview', MessageRefPayload, async ({ conversationId, seq }) => {
    const { message, changed } = await services.linkPreviews.remove(userId, conversationId, seq)
    return { data: { message }, after: () => changed && realtime.messageUpdated(message) }
  })
}
