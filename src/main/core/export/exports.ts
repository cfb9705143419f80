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
import type { Session } from '../session'
import { runExport, titleOf } from './export-job'
import { downloadUserData } from './user-data'

/** Progress reaches the window at most this often per export. */
const PROGRESS_MS = 100
const PART = /^\.[0-9a-f-]{36}\.export\.part$/

export interface ExportRequest {
  conversationId?: string | undefined
  format: 'html' | 'zip'
  attachments: boolean
}

interface Plan {
  partPath: string
  workDir: string
}

type Runner = (plan: Plan, signal: AbortSignal, report: (change: Partial<ExportView>) => void) => Promise<void>

/** A file that could not be written (no such folder, disk full) in words, rather than as an internal error. */
function fileError(err: unknown): unknown {
  const errno = err as NodeJS.ErrnoException
  return errno instanceof Error && typeof errno.code === 'string' && errno.syscall ? new ClientError('conflict', `the export could not be written: ${errno.message}`) : err
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
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
    const stem = `${request.conversationId ? exportFileStem(titleOf(first, ctx)) : 'messenger-export'} ${today()}`
    const name = `${stem}.${request.format === 'html' && !request.attachments ? 'html' : 'zip'}`
    const view = { conversationId: request.conversationId ?? null, format: request.format, attachments: request.attachments, conversationsTotal: ids.length, subject: null }
    return this.launch(name, view, (plan, signal, report) =>
      runExport(ctx, { ...plan, conversationIds: ids, format: request.format, attachments: request.attachments, serverName: ctx.account.serverName ?? null }, signal, report)
    )
  }

  /** An admin's export of one user's data, streamed from the server into the file. */
  startUserData(session: Session, userId: string, username: string): Promise<ExportView | null> {
    const view = { conversationId: null, format: 'zip' as const, attachments: true, conversationsTotal: 0, subject: username }
    return this.launch(`${exportFileStem(username)}-export ${today()}.zip`, view, (plan, signal, report) => downloadUserData(session, userId, plan.partPath, signal, report))
  }

  private async launch(name: string, fields: Pick<ExportView, 'conversationId' | 'format' | 'attachments' | 'conversationsTotal' | 'subject'>, runner: Runner): Promise<ExportView | null> {
    let target: string | null = null
    if (this.host.saveFile) {
      target = await this.host.saveFile(name)
      if (!target) return null
    }
    await this.sweep()
    const id = randomUUID()
    const job: Job = {
      view: { id, ...fields, state: 'running', progress: 0, conversationsDone: 0, messages: 0, fileName: null, error: null, bytes: 0 },
      controller: new AbortController(),
      lastEmit: 0,
      path: null,
      running: Promise.resolve()
    }
    this.jobs.set(id, job)
    this.emit([{ ...job.view }])
    const plan = { partPath: join(target ? dirname(target) : this.dir, `.${id}.export.part`), workDir: join(this.dir, '.work', id) }
    job.running = this.run(job, plan, runner, target, name)
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

  private async run(job: Job, plan: Plan, runner: Runner, target: string | null, name: string): Promise<void> {
    const signal = job.controller.signal
    try {
      await runner(plan, signal, (change) => this.update(job, change))
      signal.throwIfAborted()
      if (target) await rename(plan.partPath, target)
      job.path = target ?? (await saveWithoutOverwrite(plan.partPath, this.dir, name))
      this.update(job, { state: 'done', progress: 1, fileName: basename(job.path) })
    } catch (err) {
      await rm(plan.partPath, { force: true })
      if (signal.aborted) this.update(job, { state: 'cancelled' })
      else {
        this.log.warn('export failed', { err })
        this.update(job, { state: 'failed', error: toErrorBody(fileError(err)) })
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

  /**
   * Scratch folders and part files left by an app that stopped mid-export;
   * without a save dialog also the exports of earlier runs, which no page
   * can download any more (a finished export is offered by its id, in memory).
   */
  private async sweep(): Promise<void> {
    if (this.swept) return
    this.swept = true
    await mkdir(this.dir, { recursive: true })
    await rm(join(this.dir, '.work'), { recursive: true, force: true })
    for (const entry of await readdir(this.dir)) if (PART.test(entry) || !this.host.saveFile) await rm(join(this.dir, entry), { recursive: true, force: true })
  }
}
