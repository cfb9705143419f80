// From history as the server and cache hold it to the export's messages,
// and the people they name: one mapping for the user's export (client core)
// and the admin's (server), so both write the same documented shape.
import type { Attachment } from './schemas/files'
import type { ExportAttachment, ExportMessage, ExportPerson } from './schemas/export'
import type { Message, SystemEvent } from './schemas/messages'

/** `pathOf` answers where the attachment is in the zip, or null when it is left out. */
export function toExportMessage(m: Message, pathOf: (a: Attachment) => string | null): ExportMessage {
  const attachments: ExportAttachment[] | undefined = m.attachments?.map((a) => ({
    id: a.id,
    name: a.name,
    size: a.size,
    type: a.type,
    sha256: a.sha256,
    ...(a.width ? { width: a.width } : {}),
    ...(a.height ? { height: a.height } : {}),
    path: pathOf(a)
  }))
  return {
    seq: m.seq,
    id: m.id,
    kind: m.kind,
    senderId: m.senderId,
    text: m.text,
    ...(m.system ? { system: m.system } : {}),
    createdAt: m.createdAt,
    ...(m.editedAt ? { editedAt: m.editedAt } : {}),
    ...(m.deletedAt ? { deletedAt: m.deletedAt } : {}),
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    ...(m.mentions?.length ? { mentions: m.mentions } : {}),
    ...(m.reactions && Object.keys(m.reactions).length ? { reactions: m.reactions } : {}),
    ...(attachments?.length ? { attachments } : {})
  }
}

export function toExportPerson(user: { id: string; username: string; displayName: string }): ExportPerson {
  return { id: user.id, username: user.username, displayName: user.displayName }
}

/** A name for a file on disk from a conversation's title: no path characters, not empty. */
export function exportFileStem(title: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = title.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '')
  return safe.slice(0, 80) || 'conversation'
}

/** A system event in words (the HTML export and the read-only viewer), with the names the export holds. */
export function systemWords(e: SystemEvent, actor: string, name: (id: string) => string): string {
  switch (e.type) {
    case 'group_created':
      return `${actor} created the group “${e.title}”`
    case 'members_added':
      return `${actor} added ${e.userIds.map(name).join(', ')}`
    case 'member_removed':
      return `${actor} removed ${name(e.userId)}`
    case 'member_left':
      return `${name(e.userId)} left`
    case 'member_joined':
      return `${name(e.userId)} joined`
    case 'role_changed':
      return `${actor} made ${name(e.userId)} ${e.role === 'admin' ? 'an admin' : 'a member'}`
    case 'group_renamed':
      return `${actor} renamed the group “${e.title}”`
    case 'description_changed':
      return `${actor} changed the description`
    case 'avatar_changed':
      return `${actor} ${e.removed ? 'removed' : 'changed'} the picture`
    case 'join_code_changed':
      return `${actor} ${e.enabled ? 'made a new join code' : 'turned the join code off'}`
    case 'message_pinned':
      return `${actor} ${e.pinned ? 'pinned' : 'unpinned'} a message`
    case 'call_ended':
      return callWords(e, actor)
  }
}

/** A call's system message in words: who called, and how long it lasted or why nobody talked. */
function callWords(e: Extract<SystemEvent, { type: 'call_ended' }>, actor: string): string {
  const kind = e.media === 'video' ? 'video call' : 'call'
  switch (e.reason) {
    case 'completed':
      return `${actor} started a ${kind} · ${callDuration(e.durationMs ?? 0)}`
    case 'missed':
      return `Missed ${kind} from ${actor}`
    case 'declined':
      return `${actor}'s ${kind} was declined`
    case 'busy':
      return `${actor}'s ${kind}: the other person was busy`
    case 'cancelled':
      return `${actor} cancelled a ${kind}`
    case 'failed':
      return `${actor}'s ${kind} ended: the server stopped it`
  }
}

/** "42 s", "3 min", "1 h 05 min". */
export function callDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const min = Math.floor(s / 60)
  if (min < 60) return `${min} min`
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`
}
