// Issue 21 scheduled messages inside the meta store's lowdb document, each
// record its own journal line. Claims live in memory: one process owns a data
// directory, and a restart means no send of the last one is running.
import { recordChange, type Change } from './journal-changes'
import type { DbData, ScheduledRecord } from './records'
import type { ScheduledRepo } from './types'

const soonestFirst = (a: ScheduledRecord, b: ScheduledRecord): number => Date.parse(a.sendAt) - Date.parse(b.sendAt) || a.id.localeCompare(b.id)

export class LowScheduledRepo implements ScheduledRepo {
  /** id → when its claim lapses (ms). */
  private readonly claims = new Map<string, number>()

  constructor(
    private readonly data: () => DbData,
    private readonly write: (changes: Change[]) => Promise<void>
  ) {}

  load(): void {
    this.data().scheduled ??= {}
  }

  private get records(): Record<string, ScheduledRecord> {
    return (this.data().scheduled ??= {})
  }

  private change(id: string): Change {
    return recordChange('scheduled', id, () => this.records[id])
  }

  forUser: ScheduledRepo['forUser'] = (userId) => Promise.resolve(Object.values(this.records).filter((r) => r.userId === userId).sort(soonestFirst))

  get: ScheduledRepo['get'] = (id) => Promise.resolve(this.records[id])

  count: ScheduledRepo['count'] = async (userId) => (await this.forUser(userId)).length

  put: ScheduledRepo['put'] = async (record) => {
    this.records[record.id] = record
    await this.write([this.change(record.id)])
  }

  remove: ScheduledRepo['remove'] = async (id) => {
    this.claims.delete(id)
    if (!this.records[id]) return false
    delete this.records[id]
    await this.write([this.change(id)])
    return true
  }

  claimDue: ScheduledRepo['claimDue'] = (now, leaseMs, limit) => {
    const due = Object.values(this.records)
      .filter((r) => !r.failed && Date.parse(r.sendAt) <= now && (this.claims.get(r.id) ?? 0) <= now)
      .sort(soonestFirst)
      .slice(0, limit)
    for (const r of due) this.claims.set(r.id, now + leaseMs)
    return Promise.resolve(due)
  }

  claim: ScheduledRepo['claim'] = (id, now, leaseMs) => {
    if (!this.records[id] || (this.claims.get(id) ?? 0) > now) return Promise.resolve(false)
    this.claims.set(id, now + leaseMs)
    return Promise.resolve(true)
  }

  claimed: ScheduledRepo['claimed'] = (id, now) => Promise.resolve((this.claims.get(id) ?? 0) > now)

  release: ScheduledRepo['release'] = (id) => {
    this.claims.delete(id)
    return Promise.resolve()
  }
}
