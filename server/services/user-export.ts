// A data-subject export of one user (an admin's GET /admin/users/{id}/export
// and `messenger-server users export`): a zip in the export format of
// src/shared/schemas/export.ts. It holds the profile and contacts, every
// conversation the user is a member of with the messages they can see there
// (everyone's, as their own app shows them: above their cleared history and
// the retention floor), and the files the user sent; others' files are
// listed, not included. docs/admin.md says why.
import { access } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import { toExportMessage, toExportPerson } from '../../src/shared/export-messages'
import { namedUserIds } from '../../src/shared/named-users'
import { LIMITS } from '../../src/shared/limits'
import {
  attachmentPath,
  conversationDir,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  MANIFEST_PATH,
  PROFILE_PATH,
  type ExportConversation,
  type ExportManifest
} from '../../src/shared/schemas/export'
import type { Message } from '../../src/shared/schemas/messages'
import { ZipWriter } from '../../src/node/zip-writer'
import { notFound } from '../errors'
import type { ConversationRecord, UserRecord } from '../store/records'
import type { Store } from '../store/types'
import { toMe } from './users.service'

export interface UserExportSource {
  store: Store
  /** Where a complete file's bytes are. */
  filePath: (fileId: string) => string
  serverUrl: string | null
}

/** The user, or not_found: checked before a response starts, so an unknown id gets a 404. */
export async function exportSubject(store: Store, userId: string): Promise<UserRecord> {
  const user = await store.users.byId(userId)
  if (!user) throw notFound('user')
  return user
}

export async function writeUserExport(source: UserExportSource, user: UserRecord, sink: Writable, signal?: AbortSignal): Promise<void> {
  const { store } = source
  const zip = new ZipWriter(sink, signal)
  const contacts = await store.users.byIds(await store.contacts.contactsOf(user.id))
  const profile = {
    ...toMe(user),
    lastSeenAt: user.lastSeenAt ?? null,
    disabled: Boolean(user.disabledAt),
    contacts: contacts.map(toExportPerson)
  }
  await zip.addText(PROFILE_PATH, JSON.stringify(profile, null, 2))
  const listed: ExportManifest['conversations'] = []
  for (const conversation of await store.conversations.forUser(user.id)) {
    const written = await writeConversation(source, user, conversation, zip)
    if (written) listed.push(written)
  }
  const manifest: ExportManifest = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date().toISOString(),
    server: { url: source.serverUrl, name: (await store.admin.settings()).name },
    account: toExportPerson(user),
    exportedBy: 'admin',
    withAttachments: true,
    conversations: listed
  }
  await zip.addText(MANIFEST_PATH, JSON.stringify(manifest, null, 2))
  await zip.finish()
}

async function writeConversation(
  source: UserExportSource,
  user: UserRecord,
  conversation: ConversationRecord,
  zip: ZipWriter
): Promise<ExportManifest['conversations'][number] | null> {
  const { store } = source
  const membership = await store.conversations.membership(conversation.id, user.id)
  if (!membership) return null
  const floor = membership.clearedSeq ?? 0
  const messages: Message[] = []
  for (let after = floor; ; ) {
    const page = await store.messages.page(conversation.id, { after, limit: LIMITS.pageSizeMax }, floor)
    messages.push(...page.messages)
    if (!page.hasMore || page.messages.length === 0) break
    after = page.messages[page.messages.length - 1]!.seq
  }
  const members = await store.conversations.members(conversation.id)
  const ids = namedUserIds(messages, new Set(members.map((m) => m.userId)))
  const people = await store.users.byIds([...ids])
  const other = members.find((m) => m.userId !== user.id)
  const title = conversation.title ?? people.find((p) => p.id === other?.userId)?.displayName ?? 'Direct chat'
  // The user's own files go in; a file retention already deleted is listed without one.
  const included = new Map<string, string>()
  for (const m of messages) {
    if (m.senderId !== user.id || m.deletedAt) continue
    for (const a of m.attachments ?? []) {
      if (included.has(a.id) || !(await exists(source.filePath(a.id)))) continue
      included.set(a.id, attachmentPath(conversation.id, a.id, a.name))
    }
  }
  const doc: ExportConversation = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    conversation: { id: conversation.id, kind: conversation.kind, title, description: conversation.description, createdAt: conversation.createdAt },
    people: people.map(toExportPerson),
    messages: messages.map((m) => toExportMessage(m, (a) => (m.senderId === user.id ? (included.get(a.id) ?? null) : null)))
  }
  const dir = conversationDir(conversation.id)
  await zip.addText(`${dir}/messages.json`, JSON.stringify(doc, null, 2))
  for (const [fileId, path] of included) await zip.addFile(path, source.filePath(fileId))
  return { id: conversation.id, title, kind: conversation.kind, messageCount: messages.length, path: `${dir}/messages.json` }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false
  )
}
