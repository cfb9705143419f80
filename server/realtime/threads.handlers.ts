import { z } from 'zod'
import { ThreadFollowPayload, ThreadPagePayload, ThreadReadPayload } from '../../src/shared/schemas/threads'
import type { Services } from '../services'
import type { ThreadChange } from '../services/threads.service'
import type { Broadcaster } from './broadcaster'
import type { EventRegistry } from './handle'
import type { IoSocket } from './types'

/** Threads by socket, as their REST routes (threads.routes.ts): the client core pages by socket. */
export function registerThreadHandlers(socket: IoSocket, events: EventRegistry, services: Services, realtime: Broadcaster): void {
  const { userId } = socket.data
  const answered = (change: ThreadChange) => {
    const [mine] = change.updates
    return { data: { thread: mine!.thread, following: mine!.following }, after: () => realtime.threadChanged(change) }
  }
  events.on('thread:get', ThreadPagePayload, async ({ conversationId, rootSeq, ...query }) => ({
    data: await services.threads.page(userId, conversationId, rootSeq, query)
  }))
  events.on('thread:list', z.object({}).optional(), async () => ({ data: { threads: await services.threads.list(userId) } }))
  events.on('thread:follow', ThreadFollowPayload, async ({ conversationId, rootSeq, following }) =>
    answered(await services.threads.follow(userId, conversationId, rootSeq, following))
  )
  events.on('thread:read', ThreadReadPayload, async ({ conversationId, rootSeq, seq }) =>
    answered(await services.threads.read(userId, conversationId, rootSeq, seq))
  )
}
