// One account's calls as the core knows them: from call:ring, call:updated
// and call:ended, and from call:list after every (re)connect. The window
// hears them as `calls` (and the relayed offers, answers and candidates as
// `callSignals`, in the order they came); the host hears when a call starts
// or stops ringing for this user, for its notifications. The media never
// passes here: it stays in the window's WebRTC.
import { LRUCache } from 'lru-cache'
import { z } from 'zod'
import { Call, CallEnded, CallSignalPayload, type CallSignal } from '../../shared/schemas/calls'
import { Id } from '../../shared/schemas/common'
import type { Conversation } from '../../shared/schemas/conversations'
import type { EventBatcher } from './event-batcher'
import { fromServer } from './server-data'

const CallList = z.object({ calls: z.array(Call) })
const CallBody = z.object({ call: Call })

/** A call that started or stopped ringing for this account's user (a ringing call's desktop notification). */
export interface CallRing {
  accountId: string
  call: Call
  /** From the account's cache, to name the caller; null if the cache does not hold it yet. */
  conversation: Conversation | null
  /** The conversation is muted in this account. */
  muted: boolean
  /** true: it rings now; false: it stopped (answered here or elsewhere, declined, ended). */
  ringing: boolean
}

export interface CallsOwner {
  accountId: string
  userId: string
  events: EventBatcher
  conversation(id: string): Conversation | null
  muted(id: string): boolean
  onRing(ring: CallRing): void
}

export class AccountCalls {
  private readonly known = new Map<string, Call>()
  /** Calls that ring for this user now, as last announced to the host. */
  private readonly ringing = new Set<string>()
  /**
   * Calls that ended: an id never comes back, so a later update of one is
   * stale (with several nodes a call:updated from one may arrive after the
   * call:ended from another) and must not bring a ghost call back to the window.
   */
  private readonly over = new LRUCache<string, true>({ max: 1000 })

  constructor(private readonly owner: CallsOwner) {}

  /** Every call known now (what the window is given when this account is shown). */
  list(): Call[] {
    return [...this.known.values()]
  }

  /** call:ring and call:updated: the call's state now. */
  onCall(body: unknown): void {
    const { call } = fromServer(CallBody, body, 'call')
    if (this.over.has(call.id)) return
    this.known.set(call.id, call)
    this.owner.events.emit('calls', { upserted: [call], ended: [] })
    this.ringFor(call)
  }

  onEnded(body: unknown): void {
    const ended = fromServer(CallEnded, body, 'ended call')
    this.over.set(ended.callId, true)
    const call = this.known.get(ended.callId)
    this.known.delete(ended.callId)
    this.owner.events.emit('calls', { upserted: [], ended: [ended] })
    if (call) this.stopRinging(call)
  }

  /** Relayed as it came: the window's peer connections need offers, answers and candidates in order. */
  onSignal(body: unknown): void {
    this.owner.events.emit('callSignals', [parseSignal(body)])
  }

  /** A call the window started or joined, from the answer: known from now on, so a reconnect can tell it ended. */
  remember(call: Call): void {
    if (!this.known.has(call.id) && !this.over.has(call.id)) this.known.set(call.id, call)
  }

  /**
   * The calls running now, after a (re)connect: the window gets them all, and
   * those it knew that are gone as ended (`failed`: we cannot tell why), so it
   * never shows a call that no longer exists.
   */
  relist(calls: Call[]): void {
    const now = new Set(calls.map((c) => c.id))
    const gone = [...this.known.values()].filter((c) => !now.has(c.id))
    this.known.clear()
    for (const c of calls) this.known.set(c.id, c)
    const ended: CallEnded[] = gone.map((c) => ({ callId: c.id, conversationId: c.conversationId, reason: 'failed', durationMs: null }))
    for (const c of gone) this.over.set(c.id, true)
    if (calls.length || ended.length) this.owner.events.emit('calls', { upserted: calls, ended })
    for (const c of gone) this.stopRinging(c)
    for (const c of calls) this.ringFor(c)
  }

  static parseList(body: unknown): Call[] {
    return fromServer(CallList, body, 'call list').calls
  }

  static parseCall(body: unknown): Call {
    return fromServer(CallBody, body, 'call').call
  }

  /** The account closes (signed out, replaced): its rings stop. */
  close(): void {
    for (const id of this.ringing) {
      const call = this.known.get(id)
      if (call) this.owner.onRing(this.ring(call, false))
    }
    this.ringing.clear()
  }

  private ringFor(call: Call): void {
    if (call.ringing.includes(this.owner.userId)) {
      if (this.ringing.has(call.id)) return
      this.ringing.add(call.id)
      this.owner.onRing(this.ring(call, true))
    } else this.stopRinging(call)
  }

  private stopRinging(call: Call): void {
    if (!this.ringing.delete(call.id)) return
    this.owner.onRing(this.ring(call, false))
  }

  private ring(call: Call, ringing: boolean): CallRing {
    const { accountId } = this.owner
    return { accountId, call, conversation: this.owner.conversation(call.conversationId), muted: this.owner.muted(call.conversationId), ringing }
  }
}

/** A relayed signal, checked as the window's own are (a hostile server must not feed it anything else). */
function parseSignal(body: unknown): CallSignal {
  const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const { callId, from, to, description, candidate } = raw
  const picked = { callId, from, to, ...(description !== undefined ? { description } : {}), ...(candidate !== undefined ? { candidate } : {}) }
  const signal = fromServer(CallSignalPayload, picked, 'call signal')
  return { ...signal, fromUserId: fromServer(Id, raw['fromUserId'], 'call signal sender') }
}
