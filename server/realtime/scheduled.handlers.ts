import { z } from 'zod'
import { ScheduledRefPayload, UpdateScheduledPayload, type ScheduledUpdate } from '../../src/shared/schemas/scheduled'
import type { Services } from '../services'
import type { EventRegistry } from './handle'
import { userRoom, type IoServer, type IoSocket } from './types'

/** Scheduled messages by socket, as their REST routes (scheduled.routes.ts). */
export function registerScheduledHandlers(socket: IoSocket, events: EventRegistry, services: Services): void {
  const { userId } = socket.data
  const { scheduled } = services
  events.on('scheduled:list', z.object({}).optional(), async () => ({ data: { scheduled: await scheduled.list(userId) } }))
  events.on('scheduled:update', UpdateScheduledPayload, async ({ id, ...body }) => ({ data: { scheduled: await scheduled.update(userId, id, body) } }))
  events.on('scheduled:cancel', ScheduledRefPayload, async ({ id }) => {
    await scheduled.cancel(userId, id)
    return { data: {} }
  })
  events.on('scheduled:send', ScheduledRefPayload, async ({ id }) => ({ data: { message: await scheduled.sendNow(userId, id) } }))
}

/** A change of the user's scheduled messages, to all of their devices (the one that made it too: its list follows the server's). */
export function announceScheduled(io: IoServer, userId: string, update: ScheduledUpdate): void {
  io.to(userRoom(userId)).emit('scheduled:updated', update)
}
