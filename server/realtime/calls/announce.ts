// Tells people what a committed call change means: the call as it is now to
// the conversation's members, a ring to each callee's devices, and for a call
// that ended its system message (message:new, like every message) and then
// call:ended. One announcement at a time, in the order the changes were made.
import type { Logger } from 'pino'
import { OneAtATime } from '../../../src/node/one-at-a-time'
import type { Services } from '../../services'
import type { Broadcaster } from '../broadcaster'
import { conversationRoom, userRoom, type IoServer } from '../types'
import type { CallEnd } from './call-record'
import type { Effects } from './call-tx'

export interface CallAnnouncer {
  announce(effects: Effects): void
  /** Resolves once everything given so far was announced. */
  idle(): Promise<void>
}

export function createCallAnnouncer(io: IoServer, services: Services, broadcaster: Broadcaster, log: Logger): CallAnnouncer {
  const queue = new OneAtATime()

  async function ended({ record, reason, durationMs }: CallEnd): Promise<void> {
    const { call } = record
    try {
      const message = await services.calls.ended({
        callId: call.id,
        conversationId: call.conversationId,
        startedBy: call.startedBy,
        media: call.media,
        reason,
        durationMs,
        participantIds: record.everIn
      })
      if (message) broadcaster.messageCreated(message)
    } catch (err) {
      // The call still ends for everyone; only its line in the history is missing.
      log.error({ err, callId: call.id }, 'could not store the system message of a call')
    }
    io.to(conversationRoom(call.conversationId)).emit('call:ended', { callId: call.id, conversationId: call.conversationId, reason, durationMs })
  }

  return {
    announce(effects) {
      if (effects.updated.length + effects.rings.length + effects.ended.length === 0) return
      void queue.run(async () => {
        for (const call of effects.updated) io.to(conversationRoom(call.conversationId)).emit('call:updated', { call })
        for (const { call, userIds } of effects.rings) io.to(userIds.map(userRoom)).emit('call:ring', { call })
        for (const end of effects.ended) await ended(end)
      })
    },
    idle: () => queue.idle()
  }
}
