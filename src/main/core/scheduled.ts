// Scheduled messages of one account (issue 21 item 4). The server keeps and
// sends them; the core keeps the list in the account's cache so the window
// shows it offline and after a restart, fetches it on each connection, and
// follows scheduled:updated. Changing one needs the server (no outbox: a
// message the server does not have cannot be sent while this app is closed).
import { randomUUID } from 'node:crypto'
import type { IpcParsed } from '../../shared/ipc'
import { MessageResponse } from '../../shared/schemas/messages'
import { ScheduledListResponse, ScheduledMessage, ScheduledResponse, type ScheduledUpdate } from '../../shared/schemas/scheduled'
import type { AccountCache } from './cache/account-cache'
import type { EventBatcher } from './event-batcher'
import { fromServer } from './server-data'
import type { Session } from './session'

export interface ScheduledSyncDeps {
  cache: AccountCache
  session: Pick<Session, 'request'>
  events: EventBatcher
}

const soonestFirst = (a: ScheduledMessage, b: ScheduledMessage): number => Date.parse(a.sendAt) - Date.parse(b.sendAt) || a.id.localeCompare(b.id)

export class ScheduledSync {
  constructor(private readonly deps: ScheduledSyncDeps) {}

  list(): ScheduledMessage[] {
    return this.deps.cache.scheduled()
  }

  /** After a (re)connect: the server's list replaces the cached one (some may have been sent meanwhile). */
  async refresh(): Promise<void> {
    const { scheduled } = fromServer(ScheduledListResponse, await this.deps.session.request('GET', '/scheduled'), 'scheduled messages')
    this.replace(scheduled)
  }

  /** scheduled:updated from the server. */
  onServer(update: ScheduledUpdate): void {
    const rest = this.list().filter((s) => s.id !== update.removedId && s.id !== update.scheduled?.id)
    this.replace(update.scheduled ? [...rest, fromServer(ScheduledMessage, update.scheduled, 'scheduled message')] : rest)
  }

  async create({ conversationId, ...fields }: IpcParsed<'scheduled.create'>): Promise<ScheduledMessage> {
    const body = await this.deps.session.request('POST', `/conversations/${conversationId}/messages`, { body: { clientId: randomUUID(), ...fields } })
    return this.upsert(fromServer(ScheduledResponse, body, 'scheduled message').scheduled)
  }

  async update({ id, ...patch }: IpcParsed<'scheduled.update'>): Promise<ScheduledMessage> {
    const body = await this.deps.session.request('PATCH', `/scheduled/${id}`, { body: patch })
    return this.upsert(fromServer(ScheduledResponse, body, 'scheduled message').scheduled)
  }

  async cancel(id: string): Promise<void> {
    await this.deps.session.request('DELETE', `/scheduled/${id}`)
    this.replace(this.list().filter((s) => s.id !== id))
  }

  /** Sends it now; the message arrives as any does (message:new). */
  async sendNow(id: string): Promise<void> {
    fromServer(MessageResponse, await this.deps.session.request('POST', `/scheduled/${id}/send`, { body: {} }), 'message')
    this.replace(this.list().filter((s) => s.id !== id))
  }

  private upsert(scheduled: ScheduledMessage): ScheduledMessage {
    this.replace([...this.list().filter((s) => s.id !== scheduled.id), scheduled])
    return scheduled
  }

  private replace(list: ScheduledMessage[]): void {
    const sorted = [...list].sort(soonestFirst)
    this.deps.cache.setScheduled(sorted)
    this.deps.events.emit('scheduled', sorted)
  }
}
