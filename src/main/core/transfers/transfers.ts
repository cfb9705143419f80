// The transfers of one account: a queue of uploads and downloads with
// progress (bytes, rate, time left) sent to the renderer through the event
// batcher, pause / resume / cancel, and resume after a restart from
// transfers.json. Uploads belong to an outbox message, sent once all its
// files are on the server.
import type { BroadcastMention } from '../../../shared/schemas/messages'
import { randomUUID } from 'node:crypto'
import { rm, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { PendingAttachment, PendingMessage, TransferView } from '../../../shared/ipc'
import { hasVisibleText } from '../../../shared/schemas/hidden-characters'
import type { Outbox } from '../cache/outbox'
import { ClientError, isTransient, toErrorBody } from '../errors'
import type { EventBatcher } from '../event-batcher'
import type { Logger } from '../logger'
import type { Session } from '../session'
import { partPath, runDownload } from './download'
import { RateMeter } from './rate'
import { TransferRecords, type TransferRecord } from './records'
import { Staging } from './staging'
import { runUpload } from './upload'
import { RetryTimer, waitAfter } from '../retry-timer'

/** Transfers running at once; the rest wait their turn. */
const CONCURRENCY = 3
/** Progress reaches the renderer at most this often per transfer. */
const PROGRESS_MS = 100
const RETRY_MS = 2000

export interface TransfersDeps {
  session: Session
  outbox: Outbox
  events: EventBatcher
  log: Logger
  dataDir: string
  /** Where downloads go unless the user chose another folder. */
  downloadDir: () => string
  /** Connected to the server now. */
  online: () => boolean
  /** The outbox has a message ready to send. */
  kickSender: () => void
}

export interface SendFilesRequest {
  conversationId: string
  text: string
  replyTo?: number | undefined
  mentions?: string[] | undefined
  mentionAll?: BroadcastMention | undefined
  mentionGroups?: string[] | undefined
  files: { stagedId: string; width?: number | undefined; height?: number | undefined; thumbnail?: string | undefined }[]
}

interface Running {
  controller: AbortController
  meter: RateMeter
  lastEmit: number
  /** Why it was stopped: the run's failure is then not an error. */
  stop?: 'pause' | 'cancel' | 'close'
}

export class Transfers {
  readonly staging: Staging
  private readonly running = new Map<string, Running>()
  private readonly retry = new RetryTimer(RETRY_MS, () => this.kick())
  private closed = false

  private constructor(
    private readonly deps: TransfersDeps,
    private readonly records: TransferRecords
  ) {
    this.staging = new Staging(join(deps.dataDir, 'staged'))
  }

  static async open(deps: TransfersDeps): Promise<Transfers> {
    const records = await TransferRecords.open(deps.dataDir)
    const transfers = new Transfers(deps, records)
    // What was running when the app stopped goes on where it was.
    for (const record of records.all()) if (record.state === 'running') record.state = 'queued'
    const inUse = new Set(records.all().filter((r) => r.staged && !isFinished(r)).map((r) => r.source!))
    await transfers.staging.sweep(inUse)
    return transfers
  }

  list(): TransferView[] {
    return this.records.all().map((r) => this.view(r))
  }

  get(id: string): TransferRecord {
    const record = this.records.get(id)
    if (!record) throw new ClientError('not_found', 'no transfer with that id')
    return record
  }

  /** Writes the message to the outbox at once, waiting for its files; the uploads start. */
  async sendFiles(request: SendFilesRequest): Promise<PendingMessage> {
    const clientId = randomUUID()
    const sources = request.files.map((f) => ({ ...f, source: this.staging.take(f.stagedId) }))
    const records: TransferRecord[] = sources.map(({ source, width, height, thumbnail }) => ({
      id: randomUUID(),
      direction: 'upload',
      conversationId: request.conversationId,
      name: source.name,
      size: source.size,
      type: source.type,
      state: 'queued',
      bytes: 0,
      error: null,
      createdAt: new Date().toISOString(),
      source: source.path,
      staged: source.copied,
      clientId,
      ...(width ? { width } : {}),
      ...(height ? { height } : {}),
      ...(thumbnail ? { thumbnail } : {})
    }))
    const attachments: PendingAttachment[] = sources.map((f, i) => ({
      transferId: records[i]!.id,
      name: f.source.name,
      size: f.source.size,
      type: f.source.type,
      ...(f.width ? { width: f.width } : {}),
      ...(f.height ? { height: f.height } : {}),
      ...(f.thumbnail ? { thumbnail: f.thumbnail } : {})
    }))
    const entry: PendingMessage = {
      clientId,
      conversationId: request.conversationId,
      text: request.text,
      ...(request.replyTo !== undefined ? { replyTo: request.replyTo } : {}),
      ...(request.mentions?.length ? { mentions: request.mentions } : {}),
      ...(request.mentionAll ? { mentionAll: request.mentionAll } : {}),
      ...(request.mentionGroups?.length ? { mentionGroups: request.mentionGroups } : {}),
      attachments,
      createdAt: new Date().toISOString(),
      state: 'pending',
      error: null
    }
    for (const record of records) await this.records.put(record)
    await this.deps.outbox.add(entry)
    this.deps.events.emit('outbox', { upserted: [entry], removed: [] })
    this.emit(records)
    this.kick()
    return entry
  }

  async download(file: { conversationId: string; fileId: string; name: string; size: number; sha256: string }): Promise<TransferView> {
    const record: TransferRecord = {
      id: randomUUID(),
      direction: 'download',
      conversationId: file.conversationId,
      name: file.name,
      size: file.size,
      type: 'application/octet-stream',
      state: 'queued',
      bytes: 0,
      error: null,
      createdAt: new Date().toISOString(),
      fileId: file.fileId,
      sha256: file.sha256,
      directory: this.deps.downloadDir()
    }
    await this.records.put(record)
    this.emit([record])
    this.kick()
    return this.view(record)
  }

  async pause(id: string): Promise<TransferView> {
    const record = this.get(id)
    if (record.state === 'queued' || record.state === 'running') {
      this.stopRun(id, 'pause')
      await this.setState(record, 'paused', null)
    }
    return this.view(record)
  }

  async resume(id: string): Promise<TransferView> {
    const record = this.get(id)
    if (record.state === 'paused' || record.state === 'failed') {
      await this.setState(record, 'queued', null)
      this.kick()
    }
    return this.view(record)
  }

  async cancel(id: string): Promise<TransferView> {
    const record = this.get(id)
    if (isFinished(record)) return this.view(record)
    this.stopRun(id, 'cancel')
    await this.setState(record, 'cancelled', null)
    await this.cleanUp(record)
    if (record.direction === 'upload' && record.clientId) await this.dropAttachment(record)
    return this.view(record)
  }

  /** A failed message retried: its failed uploads go again. */
  async retryMessage(clientId: string): Promise<void> {
    for (const record of this.records.all()) {
      if (record.clientId === clientId && record.state === 'failed') await this.setState(record, 'queued', null)
    }
    this.kick()
  }

  /** A discarded message: its uploads stop. */
  async discardMessage(clientId: string): Promise<void> {
    for (const record of this.records.all()) {
      if (record.clientId === clientId && !isFinished(record)) {
        this.stopRun(record.id, 'cancel')
        await this.setState(record, 'cancelled', null)
        await this.cleanUp(record)
      }
    }
  }

  /** Starts what waits, up to the limit, while connected. */
  kick(): void {
    if (this.closed || !this.deps.online()) return
    for (const record of this.records.all()) {
      if (this.running.size >= CONCURRENCY) return
      if (record.state === 'queued' && !this.running.has(record.id)) void this.run(record)
    }
  }

  /** Stops every transfer; they continue at the next start. */
  close(): void {
    this.closed = true
    this.retry.stop()
    for (const id of this.running.keys()) this.stopRun(id, 'close')
  }

  savedPath(id: string): string {
    const record = this.get(id)
    if (record.direction !== 'download' || record.state !== 'done' || !record.savedPath) {
      throw new ClientError('conflict', 'only a finished download can be opened')
    }
    return record.savedPath
  }

  private async run(record: TransferRecord): Promise<void> {
    const run: Running = { controller: new AbortController(), meter: new RateMeter(), lastEmit: 0 }
    this.running.set(record.id, run)
    await this.setState(record, 'running', null)
    const hooks = {
      signal: run.controller.signal,
      save: (r: TransferRecord) => this.records.put(r),
      progress: (bytes: number) => {
        record.bytes = bytes
        run.meter.add(bytes)
        const now = Date.now()
        if (now - run.lastEmit >= PROGRESS_MS) {
          run.lastEmit = now
          this.emit([record])
        }
      }
    }
    try {
      if (record.direction === 'upload') {
        const upload = await runUpload(this.deps.session, record, hooks)
        record.bytes = record.size
        record.fileId = upload.id
        await this.setState(record, 'done', null)
        if (record.staged) await unlink(record.source!).catch(() => undefined)
        await this.attach(record, upload.id)
      } else {
        record.savedPath = await runDownload(this.deps.session, record, hooks)
        record.bytes = record.size
        await this.setState(record, 'done', null)
      }
    } catch (err) {
      if (run.stop) {
        // Paused or cancelled by the user, or the app is closing: not a failure.
        if (run.stop === 'close') await this.records.put({ ...record, state: 'queued' })
      } else if (isTransient(err) && !this.closed) {
        this.deps.log.debug('transfer postponed', { id: record.id, err })
        await this.setState(record, 'queued', toErrorBody(err))
        this.retry.schedule(waitAfter(err, RETRY_MS))
      } else {
        await this.setState(record, 'failed', toErrorBody(err))
        if (record.direction === 'upload' && record.clientId) await this.failMessage(record.clientId, toErrorBody(err))
      }
    } finally {
      this.running.delete(record.id)
      this.kick()
    }
  }

  /** The upload is a file now: its message learns the file id and goes when all are there. */
  private async attach(record: TransferRecord, fileId: string): Promise<void> {
    const changed = await this.deps.outbox.update(record.clientId!, (entry) => ({
      ...entry,
      attachments: (entry.attachments ?? []).map((a) => (a.transferId === record.id ? { ...a, fileId } : a))
    }))
    if (changed?.entry) this.deps.events.emit('outbox', { upserted: [changed.entry], removed: [] })
    this.deps.kickSender()
  }

  private async dropAttachment(record: TransferRecord): Promise<void> {
    const changed = await this.deps.outbox.update(record.clientId!, (entry) => {
      const attachments = (entry.attachments ?? []).filter((a) => a.transferId !== record.id)
      // A message that was only this file is gone with it (text of only invisible characters is none: the server would refuse it).
      if (attachments.length === 0 && !hasVisibleText(entry.text)) return null
      return { ...entry, attachments }
    })
    if (!changed) return
    if (changed.entry) this.deps.events.emit('outbox', { upserted: [changed.entry], removed: [] })
    else this.deps.events.emit('outbox', { upserted: [], removed: [record.clientId!] })
    this.deps.kickSender()
  }

  private async failMessage(clientId: string, error: ReturnType<typeof toErrorBody>): Promise<void> {
    const failed = await this.deps.outbox.setState(clientId, 'failed', error)
    if (failed) this.deps.events.emit('outbox', { upserted: [failed], removed: [] })
  }

  private async cleanUp(record: TransferRecord): Promise<void> {
    if (record.direction === 'upload') {
      if (record.uploadId) {
        await this.deps.session.request('DELETE', `/uploads/${record.uploadId}`).catch((err: unknown) => this.deps.log.debug('upload not deleted', { err }))
      }
      if (record.staged) await rm(record.source!, { force: true })
    } else {
      await rm(partPath(record), { force: true })
    }
  }

  private stopRun(id: string, why: NonNullable<Running['stop']>): void {
    const run = this.running.get(id)
    if (!run) return
    run.stop = why
    run.controller.abort()
  }

  private async setState(record: TransferRecord, state: TransferRecord['state'], error: TransferRecord['error']): Promise<void> {
    record.state = state
    record.error = error
    await this.records.put(record)
    this.emit([record])
  }

  private emit(records: TransferRecord[]): void {
    this.deps.events.emit('transfers', { upserted: records.map((r) => this.view(r)), removed: [] })
  }

  private view(record: TransferRecord): TransferView {
    const run = this.running.get(record.id)
    const rate = run && record.state === 'running' ? run.meter.rate() : 0
    return {
      id: record.id,
      direction: record.direction,
      conversationId: record.conversationId,
      name: record.name,
      size: record.size,
      bytes: record.bytes,
      rate,
      etaSeconds: rate > 0 ? Math.ceil((record.size - record.bytes) / rate) : null,
      state: record.state,
      error: record.error,
      fileId: record.fileId ?? null,
      clientId: record.clientId ?? null,
      savedName: record.savedPath ? record.savedPath.slice(record.directory!.length + 1) : null
    }
  }
}

function isFinished(record: TransferRecord): boolean {
  return record.state === 'done' || record.state === 'cancelled'
}
