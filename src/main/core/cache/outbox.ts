// Messages written but not yet acknowledged, kept durably (outbox.json,
// fsynced before `messages.send` returns) so they survive a crash and are
// sent in order, with the same clientId, when the connection is back.
import { join } from 'node:path'
import { Low } from 'lowdb'
import type { ErrorBody } from '../../../shared/errors'
import type { PendingMessage } from '../../../shared/ipc'
import type { SendMessagePayload } from '../../../shared/protocol'
import { FormatTooNewError, upgradePath } from '../../../node/format-version'
import { writeFileAtomic } from '../../../node/fsync'
import { DurableJsonFile } from '../../../node/json-file'
import { dataTooNew, OUTBOX_FORMAT, OUTBOX_UPGRADES, type OutboxFormatPlan } from './formats'

/** What `message:send` carries for an outbox entry (its files once uploaded). */
export function sendPayloadOf(entry: PendingMessage): SendMessagePayload {
  return {
    conversationId: entry.conversationId,
    clientId: entry.clientId,
    // A forward sends no text of its own: the server copies the source's (with its files).
    text: entry.forward ? '' : entry.text,
    ...(entry.forward ? { forward: entry.forward } : {}),
    ...(entry.replyTo !== undefined ? { replyTo: entry.replyTo } : {}),
    ...(entry.mentions?.length ? { mentions: entry.mentions } : {}),
    ...(entry.mentionAll ? { mentionAll: entry.mentionAll } : {}),
    ...(entry.mentionGroups?.length ? { mentionGroups: entry.mentionGroups } : {}),
    ...(entry.attachments?.length ? { attachments: entry.attachments.map((a) => a.fileId!) } : {}),
    ...(entry.threadRoot !== undefined ? { threadRoot: entry.threadRoot } : {}),
    ...(entry.alsoInConversation ? { alsoInConversation: true } : {})
  }
}

interface OutboxData {
  /** Absent in outboxes written before formats were recorded: format 1. */
  format?: number
  entries: PendingMessage[]
}

const OUTBOX_PLAN: OutboxFormatPlan = { current: OUTBOX_FORMAT, steps: OUTBOX_UPGRADES }

export class Outbox {
  /** Called after every change is on disk (the connection state shows the queued count). */
  onChange: () => void = () => undefined

  private constructor(private readonly db: Low<OutboxData>) {}

  /** Refuses (data_too_new) an outbox a newer app wrote; upgrades an older one after a copy beside it. */
  static async open(dir: string, plan: OutboxFormatPlan = OUTBOX_PLAN): Promise<Outbox> {
    const path = join(dir, 'outbox.json')
    const file = new DurableJsonFile<OutboxData>(path)
    const stored = await file.read()
    const found = stored?.format ?? 1
    let steps
    try {
      steps = upgradePath(found, plan.current, plan.steps, () => '')
    } catch (err) {
      throw err instanceof FormatTooNewError ? dataTooNew('outbox', path, found, plan.current) : err
    }
    if (stored && steps.length > 0) {
      // These messages exist nowhere else: keep them as they were until the upgraded file is on disk.
      await writeFileAtomic(join(dir, `outbox-backup-v${found}.json`), JSON.stringify(stored))
      for (const step of steps) await step.run({ data: stored as unknown as Record<string, unknown> })
      stored.format = plan.current
      await file.write(stored)
    }
    return new Outbox(new Low<OutboxData>(file, stored ?? { format: plan.current, entries: [] }))
  }

  private async save(): Promise<void> {
    await this.db.write()
    this.onChange()
  }

  /** Oldest first. */
  all(): PendingMessage[] {
    return [...this.db.data.entries]
  }

  forConversation(conversationId: string): PendingMessage[] {
    return this.db.data.entries.filter((e) => e.conversationId === conversationId)
  }

  get(clientId: string): PendingMessage | undefined {
    return this.db.data.entries.find((e) => e.clientId === clientId)
  }

  /** The next message to send: the oldest one still pending whose files are all uploaded. */
  next(): PendingMessage | undefined {
    return this.db.data.entries.find((e) => e.state === 'pending' && (e.attachments ?? []).every((a) => a.fileId))
  }

  /** Changes one entry in place (an upload finished or was cancelled); null from `change` removes it. */
  async update(clientId: string, change: (entry: PendingMessage) => PendingMessage | null): Promise<{ entry: PendingMessage | null } | undefined> {
    const entries = this.db.data.entries
    const index = entries.findIndex((e) => e.clientId === clientId)
    if (index < 0) return undefined
    const next = change(entries[index]!)
    if (next) entries[index] = next
    else entries.splice(index, 1)
    await this.save()
    return { entry: next }
  }

  pendingCount(): number {
    return this.db.data.entries.filter((e) => e.state === 'pending').length
  }

  async add(entry: PendingMessage): Promise<void> {
    this.db.data.entries.push(entry)
    await this.save()
  }

  /** Marks failed (the server refused it) or pending again (retry); moves a retried message to the end of the queue. */
  async setState(clientId: string, state: PendingMessage['state'], error: ErrorBody | null): Promise<PendingMessage | undefined> {
    const entries = this.db.data.entries
    const index = entries.findIndex((e) => e.clientId === clientId)
    if (index < 0) return undefined
    const entry: PendingMessage = { ...entries[index]!, state, error }
    entries.splice(index, 1)
    if (state === 'pending') entries.push(entry)
    else entries.splice(index, 0, entry)
    await this.save()
    return entry
  }

  /** Removes entries (acknowledged or discarded); returns whether any was there. */
  async remove(clientIds: readonly string[]): Promise<boolean> {
    const drop = new Set(clientIds)
    const before = this.db.data.entries.length
    this.db.data.entries = this.db.data.entries.filter((e) => !drop.has(e.clientId))
    if (this.db.data.entries.length === before) return false
    await this.save()
    return true
  }
}
