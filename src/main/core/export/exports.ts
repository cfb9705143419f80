// The history exports of this app: start (asking where to save where the
// host has a dialog), progress to the window through the event batcher, and
// cancel. Without a dialog (the browser host) a finished export waits in
// <userData>/exports for the page to download it through the host.
import { randomUUID } from 'node:crypto'
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { exportFileStem } from '../../../shared/export-messages'
import type { ExportView } from '../../../shared/ipc'
import type { AccountContext } from '../context'
import { ClientError, toErrorBody } from '../errors'
import type { Logger } from '../logger'
import type { FileHost } from '../transfers/file-host'
import { saveWithoutOverwrite } from '../transfers/save-as'
import { runExport, titleOf } from './export-job'

/** Progress reaches the window at most this often per export. */
const PROGRESS_MS = 100
const PART = /^\.[0-9a-f-]{36}\.export\.part$/

export interface ExportRequest {
  conversationId?: string | undefined
  format: 'html' | 'zip'
  attachments: boolean
}

interface Job {
  view: ExportView
  controller: AbortController
  lastEmit: number
  /** The finished file. */
  path: string | null
  running: Promise<void>
}

export class Exports {
  private readonly jobs = new Map<string, Job>()
  private swept = false

  constructor(
    /** Where exports wait for the browser to download them. */
    readonly dir: string,
    private readonly host: FileHost,
    private readonly emit: (views: ExportView[]) => void,
    private readonly log: Logger
  ) {}

  list(): ExportView[] {
    return [...this.jobs.values()].map((j) => j.view)
  }

  async start(ctx: AccountContext, request: ExportRequest): Promise<ExportView | null> {
    const ids = request.conversationId ? [request.conversationId] : ctx.cache.conversations().map((c) => c.id)
    const first = ctx.cache.conversation(ids[0] ?? '')
    if (!first) throw new ClientError(request.conversationId ? 'not_found' : 'conflict', request.conversationId ? 'no such conversation in this account' : 'there is no conversation to export yet')
    const stem = `${request.conversationId ? exportFileStem(titleOf(first, ctx)) : 'messenger-export'} ${new Date().toISOString().slice(0, 10)}`
    const name = `${stem}.${request.format === 'html' && !request.attachments ? 'html' : 'zip'}`
    let target: string | null = null
    if (this.host.saveFile) {
      target = await this.host.saveFile(name)
      if (!target) return null
    }
    await this.sweep()
    const id = randomUUID()
    const partPath = join(target ? dirname(target) : this.dir, `.${id}.export.part`)
    const job: Job = {
      view: {
        id,
        conversationId: request.conversationId ?? null,
        format: request.format,
        attachments: request.attachments,
        state: 'running',
        progress: 0,
        conversationsDone: 0,
        conversationsTotal: ids.length,
        messages: 0,
        fileName: null,
        error: null
      },
      controller: new AbortController(),
      lastEmit: 0,
      path: null,
      running: Promise.resolve()
    }
    this.jobs.set(id, job)
    this.emit([{ ...job.view }])
    const plan = { conversationIds: ids, format: request.format, attachments: request.attachments, partPath, workDir: join(this.dir, '.work', id), serverName: ctx.account.serverName ?? null }
    job.running = this.run(ctx, job, plan, target, name)
    return { ...job.view }
  }

  cancel(id: string): ExportView {
    const job = this.get(id)
    if (job.view.state === 'running') job.controller.abort()
    return { ...job.view }
  }

  /** A finished export's file. */
  finishedPath(id: string): string {
    const job = this.get(id)
    if (job.view.state !== 'done' || !job.path) throw new ClientError('conflict', 'that export has not finished')
    return job.path
  }

  /** Stops every running export (app quit): none leaves a part file. */
  async close(): Promise<void> {
    for (const job of this.jobs.values()) if (job.view.state === 'running') job.controller.abort()
    await Promise.all([...this.jobs.values()].map((j) => j.running))
  }

  private get(id: string): Job {
    const job = this.jobs.get(id)
    if (!job) throw new ClientError('not_found', 'no export with that id')
    return job
  }

  private async run(ctx: AccountContext, job: Job, plan: Parameters<typeof runExport>[1], target: string | null, name: string): Promise<void> {
    const signal = job.controller.signal
    try {
      await runExport(ctx, plan, signal, (change) => this.update(job, change))
      signal.throwIfAborted()
      if (target) await rename(plan.partPath, target)
      job.path = target ?? (await saveWithoutOverwrite(plan.partPath, this.dir, name))
      this.update(job, { state: 'done', progress: 1, fileName: basename(job.path) })
    } catch (err) {
      await rm(plan.partPath, { force: true })
      if (signal.aborted) this.update(job, { state: 'cancelled' })
      else {
        this.log.warn('export failed', { err })
        this.update(job, { state: 'failed', error: toErrorBody(err) })
      }
    }
  }

  private update(job: Job, change: Partial<ExportView>): void {
    const progress = Math.max(job.view.progress, change.progress ?? 0)
    job.view = { ...job.view, ...change, progress }
    const now = Date.now()
    if (change.state || now - job.lastEmit >= PROGRESS_MS) {
      job.lastEmit = now
      this.emit([{ ...job.view }])
    }
  }

  /** Scratch folders and part files left by an app that stopped mid-export. */
  private async sweep(): Promise<void> {
    if (this.swept) return
    this.swept = true
    await mkdir(this.dir, { recursive: true })
    await rm(join(this.dir, '.work'), { recursive: true, force: true })
    for (const entry of await readdir(this.dir)) if (PART.test(entry)) await rm(join(this.dir, entry), { force: true })
  }
}
