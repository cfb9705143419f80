// The JSON export format (a .zip): what a user's "Export history" and an
// admin's "export a user's data" write, and what "Open export…" reads back.
// Layout of the zip (docs/client.md, "Exporting history"):
//   export.json                                  ExportManifest
//   profile.json                                 admin exports only: the user's profile
//   conversations/<id>/messages.json             ExportConversation
//   conversations/<id>/attachments/<fileId>/<name>  the files included
// A reader checks `format` and `version` and refuses what it does not know.
import { z } from 'zod'
import { Id, Timestamp } from './common'
import { ConversationKind } from './conversations'
import { ReplyRef, SystemEvent } from './messages'

export const EXPORT_FORMAT = 'lan-messenger-export'
export const EXPORT_VERSION = 1
export const MANIFEST_PATH = 'export.json'
export const PROFILE_PATH = 'profile.json'

export function conversationDir(id: string): string {
  return `conversations/${id}`
}

/** Where an attachment's bytes go in the zip: a folder per file id keeps the sender's name unchanged and unique. */
export function attachmentPath(conversationId: string, fileId: string, name: string): string {
  return `${conversationDir(conversationId)}/attachments/${fileId}/${name}`
}

const Format = { format: z.literal(EXPORT_FORMAT), version: z.literal(EXPORT_VERSION) }

export const ExportPerson = z.object({ id: Id, username: z.string(), displayName: z.string() })
export type ExportPerson = z.infer<typeof ExportPerson>

export const ExportAttachment = z.object({
  id: Id,
  name: z.string(),
  size: z.number().int().min(0),
  type: z.string(),
  sha256: z.string(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  /** The file's path inside the zip, or null when the export does not include it. */
  path: z.string().nullable()
})
export type ExportAttachment = z.infer<typeof ExportAttachment>

export const ExportMessage = z.object({
  seq: z.number().int().min(1),
  id: Id,
  kind: z.enum(['text', 'system']),
  senderId: Id,
  text: z.string(),
  system: SystemEvent.optional(),
  createdAt: Timestamp,
  editedAt: Timestamp.optional(),
  deletedAt: Timestamp.optional(),
  replyTo: ReplyRef.optional(),
  mentions: z.array(Id).optional(),
  reactions: z.record(z.string(), z.array(Id)).optional(),
  attachments: z.array(ExportAttachment).optional()
})
export type ExportMessage = z.infer<typeof ExportMessage>

/** conversations/<id>/messages.json */
export const ExportConversation = z.object({
  ...Format,
  conversation: z.object({
    id: Id,
    kind: ConversationKind,
    /** The title as the exporting user sees it: a direct chat is named after the other person. */
    title: z.string(),
    description: z.string(),
    createdAt: Timestamp
  }),
  /** Everyone the messages name (senders, mentions, reactions, members). */
  people: z.array(ExportPerson),
  /** Ascending seq. */
  messages: z.array(ExportMessage)
})
export type ExportConversation = z.infer<typeof ExportConversation>

/** export.json */
export const ExportManifest = z.object({
  ...Format,
  exportedAt: Timestamp,
  server: z.object({ url: z.string().nullable(), name: z.string().nullable() }),
  /** Whose view of history this is: the exporting user, or the data subject of an admin export. */
  account: ExportPerson,
  /** Admin exports: who made it; null for a user's own export. */
  exportedBy: z.enum(['user', 'admin']),
  withAttachments: z.boolean(),
  conversations: z.array(
    z.object({ id: Id, title: z.string(), kind: ConversationKind, messageCount: z.number().int().min(0), path: z.string() })
  )
})
export type ExportManifest = z.infer<typeof ExportManifest>
