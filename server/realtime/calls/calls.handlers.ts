import { z } from 'zod'
import { CallJoinPayload, CallMediaPayload, CallRefPayload, CallSignalPayload, CallStartPayload, type CallSignal } from '../../../src/shared/schemas/calls'
import { forbidden, notFound } from '../../errors'
import type { Services } from '../../services'
import type { EventRegistry } from '../handle'
import type { IoSocket } from '../types'
import { takeOrRefuse } from '../../cluster/limits'
import { OneAtATime } from '../../../src/node/one-at-a-time'
import type { CallRecord } from './call-record'
import { CALL_SIGNAL_WINDOW_MS, CALL_SIGNALS_PER_WINDOW, CALL_START_WINDOW_MS, CALL_STARTS_PER_WINDOW, type Calls } from './calls'

/** call:* events: every one only for members of the call's conversation. */
export function registerCallHandlers(socket: IoSocket, events: EventRegistry, services: Services, calls: Calls): void {
  const { hub, announcer } = calls
  const { userId } = socket.data
  const caller = { userId, socketId: socket.id }

  socket.on('disconnect', () => hub.socketGone(socket.id))

  /** The call, if it runs and the caller is a member of its conversation (not_found / forbidden otherwise). */
  async function memberCall(callId: string): Promise<CallRecord> {
    const record = await hub.peek(callId)
    if (!record) throw notFound('call')
    await services.conversations.requireMember(record.call.conversationId, userId)
    return record
  }

  events.on('call:start', CallStartPayload, async (p) => {
    const conversation = await services.conversations.requireMember(p.conversationId, userId)
    await takeOrRefuse(calls.starts, userId, `too many calls started: at most ${CALL_STARTS_PER_WINDOW} per ${CALL_START_WINDOW_MS / 1000} s`)
    // A public room rings nobody (people join from its banner): its members are not needed.
    const memberIds = conversation.kind === 'room' ? [] : await services.conversations.memberIds(conversation.id)
    const { call, effects } = await hub.start(caller, p, { kind: conversation.kind, memberIds })
    return { data: { call, iceServers: hub.iceServers }, after: () => announcer.announce(effects) }
  })

  events.on('call:join', CallJoinPayload, async (p) => {
    await memberCall(p.callId)
    const { call, effects } = await hub.join(caller, p)
    return { data: { call, iceServers: hub.iceServers }, after: () => announcer.announce(effects) }
  })

  events.on('call:decline', CallRefPayload, async ({ callId }) => {
    await memberCall(callId)
    const effects = await hub.decline(userId, callId)
    return { data: {}, after: () => announcer.announce(effects) }
  })

  events.on('call:leave', CallJoinPayload, async (p) => {
    await memberCall(p.callId)
    const effects = await hub.leave(userId, p)
    return { data: {}, after: () => announcer.announce(effects) }
  })

  events.on('call:media', CallMediaPayload, async (p) => {
    await memberCall(p.callId)
    const { call, effects } = await hub.media(userId, p)
    return { data: { call }, after: () => announcer.announce(effects) }
  })

  // Relayed, never stored or logged: only from the window (socket) that joined as `from`, only to another peer of the call.
  // One at a time per socket and emitted inside its turn: each relay awaits a look-up, and a burst of
  // candidates must reach the other window in the order it was sent (on PostgreSQL they overtook each other).
  const relays = new OneAtATime()
  events.on('call:signal', CallSignalPayload, (p) => relays.run(() => relay(p)))
  async function relay(p: CallSignalPayload): Promise<{ data: Record<string, never> }> {
    await takeOrRefuse(calls.signals, socket.id, `too many call signals: at most ${CALL_SIGNALS_PER_WINDOW} per ${CALL_SIGNAL_WINDOW_MS / 1000} s`)
    const record = await memberCall(p.callId)
    if (record.places[p.from]?.socketId !== socket.id || !record.call.participants.some((x) => x.peerId === p.from && x.userId === userId)) {
      throw forbidden('signal from your own peer in this call, the window that joined with it')
    }
    const target = p.from === p.to ? undefined : record.places[p.to]
    if (!target) throw notFound('peer in this call')
    // Away (reconnecting): the signal is dropped; the windows renegotiate once it rejoined.
    if (target.socketId === null) return { data: {} }
    const { callId, from, to, description, candidate } = p
    const signal: CallSignal = {
      callId,
      from,
      fromUserId: userId,
      to,
      ...(description !== undefined ? { description } : {}),
      ...(candidate !== undefined ? { candidate } : {})
    }
    socket.nsp.to(target.socketId).emit('call:signal', signal)
    return { data: {} }
  }

  events.on('call:list', z.object({}).optional(), async () => {
    const conversations = await services.store.conversations.forUser(userId)
    return { data: { calls: await hub.list(conversations.map((c) => c.id)) } }
  })
}
