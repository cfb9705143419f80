// The keys of the call store and what one transaction changes: a call's
// record (`call:<id>`), the running call of a conversation (`conv:<id>`) and
// the call a user is in (`user:<id>`), kept in step so "is Bob in a call"
// and "is a call running here" are one read each, on every node.
import type { Call } from '../../../src/shared/schemas/calls'
import { endOf, type CallEnd, type CallRecord } from './call-record'
import type { CallTx } from './call-store'

export const callKey = (callId: string): string => `call:${callId}`

/** What a change tells people once it is committed. */
export interface Effects {
  updated: Call[]
  rings: { call: Call; userIds: string[] }[]
  ended: CallEnd[]
}

export const noEffects = (): Effects => ({ updated: [], rings: [], ended: [] })

export class CallTxn {
  readonly effects = noEffects()

  constructor(
    private readonly tx: CallTx,
    readonly now: number
  ) {}

  async call(callId: string): Promise<CallRecord | null> {
    const raw = await this.tx.read(callKey(callId))
    return raw === null ? null : (JSON.parse(raw) as CallRecord)
  }

  callIn(conversationId: string): Promise<string | null> {
    return this.tx.read(`conv:${conversationId}`)
  }

  callOf(userId: string): Promise<string | null> {
    return this.tx.read(`user:${userId}`)
  }

  /** Writes the record and its indexes (`before`: as read, null for a new call). */
  put(before: CallRecord | null, after: CallRecord): void {
    const id = after.call.id
    this.tx.write(callKey(id), JSON.stringify(after))
    this.tx.write(`conv:${after.call.conversationId}`, id)
    const now = new Set(after.call.participants.map((p) => p.userId))
    for (const p of before?.call.participants ?? []) if (!now.has(p.userId)) this.tx.write(`user:${p.userId}`, null)
    for (const userId of now) this.tx.write(`user:${userId}`, id)
  }

  /** Ends the call if its state says so, else keeps it; either way the change is announced. */
  settle(before: CallRecord, after: CallRecord, failed = false): void {
    const end = endOf(after, this.now)
    if (!end) {
      this.put(before, after)
      this.effects.updated.push(after.call)
      return
    }
    this.drop(before, after)
    this.effects.ended.push(failed ? { ...end, reason: 'failed' } : end)
  }

  /** Ends a running call now, whatever its state (the server stops). */
  fail(record: CallRecord): void {
    this.drop(record, record)
    const answeredAt = record.call.answeredAt
    this.effects.ended.push({ record, reason: 'failed', durationMs: answeredAt === null ? null : Math.max(0, this.now - Date.parse(answeredAt)) })
  }

  private drop(before: CallRecord, after: CallRecord): void {
    this.tx.write(callKey(after.call.id), null)
    this.tx.write(`conv:${after.call.conversationId}`, null)
    for (const p of [...before.call.participants, ...after.call.participants]) this.tx.write(`user:${p.userId}`, null)
  }
}
