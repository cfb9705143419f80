// One history export: gathers each conversation's whole history, fetches
// its attachments, and writes either the JSON zip (format of
// src/shared/schemas/export.ts) or one HTML page (images inline as data:
// URIs; with "attachments", a zip of the page and the other files beside it).
// Everything is written to a part file and moved under its name only when
// whole, so a cancelled or failed export leaves nothing under that name.
import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { finished } from 'node:stream/promises'
import { exportFileStem, toExportMessage, toExportPerson } from '../../../shared/export-messages'
import { namedUserIds } from '../../../shared/named-users'
import type { ExportView } from '../../../shared/ipc'
import {
  attachmentPath,
  conversationDir,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  MANIFEST_PATH,
  type ExportConversation,
  type ExportManifest,
  type ExportPerson
} from '../../../shared/schemas/export'
import { PREVIEW_TYPES, type Attachment } from '../../../shared/schemas/files'
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Message } from '../../../shared/schemas/messages'
import type { PublicUser } from '../../../shared/schemas/users'
import { ZipWriter } from '../../../node/zip-writer'
import type { AccountContext } from '../context'
import { fetchAttachment } from './attachment-fetch'
import { fullHistory } from './full-history'
import * as html from './html'

/** Images up to this size go into the HTML page as data: URIs; larger ones are listed like other files. */
export const INLINE_IMAGE_MAX = 10 * 1024 * 1024

export interface ExportPlan {
  conversationIds: string[]
  format: 'html' | 'zip'
  attachments: boolean
  /** Where the finished file is written from. */
  partPath: string
  /** The job's own scratch folder, removed at the end. */
  workDir: string
  serverName: string | null
}

type Progress = (change: Partial<ExportView>) => void

export async function runExport(ctx: AccountContext, plan: ExportPlan, signal: AbortSignal, report: Progress): Promise<void> {
  await mkdir(plan.workDir, { recursive: true })
  const account: ExportPerson = { id: ctx.account.userId, username: ctx.account.username, displayName: ctx.account.displayName }
  const conversations = plan.conversationIds.map((id) => ctx.cache.conversation(id)).filter((c): c is Conversation => Boolean(c))
  const exportedAt = new Date().toISOString()
  const sink = createWriteStream(plan.partPath, { mode: 0o600 })
  const failed: { error: Error | null } = { error: null }
  // Kept until the end reports it: a write error must fail this export, not reach the process as an unhandled 'error'.
  const keep = (stream: WriteStream): WriteStream => stream.on('error', (err) => (failed.error ??= err))
  keep(sink)
  try {
    if (plan.format === 'zip') await writeJsonZip(ctx, plan, conversations, new ZipWriter(sink, signal), { account, exportedAt }, signal, report)
    else {
      const stem = conversations.length === 1 ? exportFileStem(titleOf(conversations[0]!, ctx)) : 'messenger-export'
      const pagePath = plan.attachments ? join(plan.workDir, `${stem}.html`) : plan.partPath
      const page = plan.attachments ? keep(createWriteStream(pagePath, { mode: 0o600 })) : sink
      const beside = await writeHtml(ctx, plan, conversations, page, { account, exportedAt }, signal, report)
      if (plan.attachments) {
        await end(page)
        const zip = new ZipWriter(sink, signal)
        await zip.addFile(`${stem}.html`, pagePath)
        for (const [path, file] of beside) await zip.addFile(path, file)
        await zip.finish()
      }
    }
    await end(sink)
    if (failed.error) throw failed.error
  } finally {
    sink.destroy()
    await rm(plan.workDir, { recursive: true, force: true })
  }
}

function end(stream: WriteStream): Promise<void> {
  stream.end()
  return finished(stream)
}

interface Meta {
  account: ExportPerson
  exportedAt: string
}

interface Gathered {
  conversation: Conversation
  title: string
  messages: Message[]
  people: Map<string, ExportPerson>
  /** Attachments, once each, in order of appearance. */
  files: Attachment[]
}

/** One conversation's history and the people it names; progress moves with the pages. */
async function gather(ctx: AccountContext, conversation: Conversation, signal: AbortSignal, onMessages: (n: number) => void): Promise<Gathered> {
  const history = await fullHistory(ctx, conversation.id, signal, onMessages)
  const known = new Map<string, PublicUser>()
  for (const p of ctx.cache.people()) known.set(p.id, p)
  for (const m of conversation.members) known.set(m.user.id, m.user)
  for (const p of history.people) known.set(p.id, p)
  const ids = namedUserIds(history.messages, new Set(conversation.members.map((m) => m.user.id)))
  const people = new Map<string, ExportPerson>()
  for (const id of ids) people.set(id, toExportPerson(known.get(id) ?? { id, username: id, displayName: 'Unknown person' }))
  const files = new Map<string, Attachment>()
  for (const m of history.messages) if (!m.deletedAt) for (const a of m.attachments ?? []) files.set(a.id, a)
  return { conversation, title: titleOf(conversation, ctx), messages: history.messages, people, files: [...files.values()] }
}

export function titleOf(conversation: Conversation, ctx: AccountContext): string {
  if (conversation.title) return conversation.title
  const other = conversation.members.find((m) => m.user.id !== ctx.account.userId)
  return other?.user.displayName ?? 'Direct chat'
}

/** Reports progress inside conversation `index` of `count`: messages first, then the files' bytes. */
/** Each conversation's whole history in turn, with its progress stepper; messages gathered so far, over all of them, go to `report`. */
async function* gatherEach(
  ctx: AccountContext,
  conversations: Conversation[],
  signal: AbortSignal,
  report: Progress
): AsyncGenerator<{ index: number; conversation: Conversation; got: Gathered; step: ReturnType<typeof stepper> }> {
  let messageCount = 0
  for (const [index, conversation] of conversations.entries()) {
    const step = stepper(report, index, conversations.length, expectedMessages(conversation))
    const got = await gather(ctx, conversation, signal, (n) => {
      report({ messages: messageCount + n })
      step.messages(n)
    })
    messageCount += got.messages.length
    yield { index, conversation, got, step }
  }
}

function stepper(report: Progress, index: number, count: number, expected: number) {
  let messages = 0
  let bytes = 0
  let bytesTotal = 0
  const emit = (): void => {
    const messagePart = Math.min(1, messages / Math.max(1, expected))
    const inner = bytesTotal > 0 ? 0.3 * messagePart + 0.7 * Math.min(1, bytes / bytesTotal) : messagePart
    report({ progress: (index + Math.min(inner, 0.99)) / count })
  }
  return {
    messages: (n: number): void => {
      messages = n
      emit()
    },
    files: (total: number): void => {
      bytesTotal = total
      expected = Math.max(1, messages)
    },
    bytes: (n: number): void => {
      bytes += n
      emit()
    }
  }
}

async function writeJsonZip(ctx: AccountContext, plan: ExportPlan, conversations: Conversation[], zip: ZipWriter, meta: Meta, signal: AbortSignal, report: Progress): Promise<void> {
  const listed: ExportManifest['conversations'] = []
  for await (const { index, conversation, got, step } of gatherEach(ctx, conversations, signal, report)) {
    const included = plan.attachments ? got.files : []
    const paths = new Map(included.map((a) => [a.id, attachmentPath(conversation.id, a.id, a.name)]))
    const doc: ExportConversation = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      conversation: { id: conversation.id, kind: conversation.kind, title: got.title, description: conversation.description, createdAt: conversation.createdAt },
      people: [...got.people.values()],
      messages: got.messages.map((m) => toExportMessage(m, (a) => paths.get(a.id) ?? null))
    }
    const path = `${conversationDir(conversation.id)}/messages.json`
    await zip.addText(path, JSON.stringify(doc, null, 2))
    step.files(included.reduce((sum, a) => sum + a.size, 0))
    for (const file of included) {
      const saved = await fetchEach(ctx, conversation.id, file, plan.workDir, signal, step.bytes)
      await zip.addFile(paths.get(file.id)!, saved)
      await rm(saved, { force: true })
    }
    listed.push({ id: conversation.id, title: got.title, kind: conversation.kind, messageCount: got.messages.length, path })
    report({ conversationsDone: index + 1, progress: (index + 1) / conversations.length })
  }
  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: meta.exportedAt,
    server: { url: ctx.account.serverUrl, name: plan.serverName },
    account: meta.account,
    exportedBy: 'user',
    withAttachments: plan.attachments,
    conversations: listed
  }
  await zip.addText(MANIFEST_PATH, JSON.stringify(manifest, null, 2))
  await zip.finish()
}

/** Writes the page; answers the files to put beside it (path in the zip → file on disk). */
async function writeHtml(
  ctx: AccountContext,
  plan: ExportPlan,
  conversations: Conversation[],
  page: WriteStream,
  meta: Meta,
  signal: AbortSignal,
  report: Progress
): Promise<Map<string, string>> {
  const write = async (text: string): Promise<void> => {
    signal.throwIfAborted()
    // once() rejects on the stream's error and on abort, so a full disk or a cancel never leaves this waiting.
    if (!page.write(text)) await once(page, 'drain', { signal })
  }
  const titles = conversations.map((c) => ({ id: c.id, title: titleOf(c, ctx) }))
  await write(html.pageStart(conversations.length === 1 ? titles[0]!.title : 'Messenger history', meta.exportedAt, meta.account))
  if (conversations.length > 1) await write(html.tableOfContents(titles))
  const beside = new Map<string, string>()
  for await (const { index, conversation, got, step } of gatherEach(ctx, conversations, signal, report)) {
    const inline = (a: Attachment): boolean => (PREVIEW_TYPES as readonly string[]).includes(a.type) && a.size <= INLINE_IMAGE_MAX
    const fetched = got.files.filter((a) => inline(a) || plan.attachments)
    const fetchedIds = new Set(fetched.map((a) => a.id))
    step.files(fetched.reduce((sum, a) => sum + a.size, 0))
    const name = (id: string): string => got.people.get(id)?.displayName ?? 'Unknown person'
    await write(html.conversationStart(conversation.id, got.title, got.messages.length))
    const markup = new Map<string, html.FileMarkup>()
    for (const m of got.messages) {
      for (const a of m.deletedAt ? [] : (m.attachments ?? [])) {
        if (markup.has(a.id) || !fetchedIds.has(a.id)) continue
        const saved = await fetchEach(ctx, conversation.id, a, plan.workDir, signal, step.bytes)
        if (inline(a)) {
          markup.set(a.id, { image: `data:${a.type};base64,${(await readFile(saved)).toString('base64')}` })
          await rm(saved, { force: true })
        } else {
          const path = `attachments/${a.id}/${a.name}`
          beside.set(path, saved)
          markup.set(a.id, { href: `attachments/${encodeURIComponent(a.id)}/${encodeURIComponent(a.name)}` })
        }
      }
      await write(html.messageHtml(m, name, markup))
      // Data URIs are held only while their message is written.
      for (const a of m.attachments ?? []) if (markup.get(a.id) && 'image' in markup.get(a.id)!) markup.set(a.id, { href: null })
    }
    await write(html.CONVERSATION_END)
    report({ conversationsDone: index + 1, progress: (index + 1) / conversations.length })
  }
  await write(html.PAGE_END)
  return beside
}

function fetchEach(ctx: AccountContext, conversationId: string, file: Attachment, workDir: string, signal: AbortSignal, onBytes: (n: number) => void): Promise<string> {
  let last = 0
  return fetchAttachment(ctx.session, conversationId, file, workDir, signal, (bytes) => {
    onBytes(bytes - last)
    last = bytes
  })
}

function expectedMessages(conversation: Conversation): number {
  return Math.max(1, conversation.lastSeq - Math.max(conversation.clearedSeq, conversation.expiredSeq ?? 0))
}
