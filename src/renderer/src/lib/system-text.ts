// A system event (member added, group renamed…) in words, in the window's
// language, with the names the caller gives: no store here, so the live view
// and an export's read-only viewer share it (and unit tests load it alone).
import type { ConversationKind } from '../../../shared/schemas/conversations'
import type { SystemEvent } from '../../../shared/schemas/messages'
import { i18n } from '../i18n'
import { callDuration, nameList } from './time'

/**
 * A system event in words, with the names `name` gives: members as they are
 * now (the live view), or as an export holds them (its read-only viewer).
 * memberIds (when known) name the callee of a direct call that was declined or busy.
 */
export function systemEventText(
  e: SystemEvent,
  senderId: string,
  kind: ConversationKind | undefined,
  name: (userId: string) => string,
  memberIds?: readonly string[]
): string {
  const who = name(senderId)
  const t = i18n.t
  // Rooms share the group events; they are called what the person chose to make.
  const context = kind === 'room' ? 'room' : 'group'
  switch (e.type) {
    case 'group_created':
      return t('chat.system.created', { context, who, title: e.title })
    case 'members_added':
      return t('chat.system.added', { who, names: nameList(e.userIds.map(name)) })
    case 'member_removed':
      return t('chat.system.removed', { who, name: name(e.userId) })
    case 'member_left':
      return t('chat.system.left', { name: name(e.userId) })
    case 'member_joined':
      return e.via === 'join_code' ? t('chat.system.joinedWithCode', { name: name(e.userId) }) : t('chat.system.joined', { name: name(e.userId) })
    case 'role_changed':
      return e.role === 'admin' ? t('chat.system.madeAdmin', { who, name: name(e.userId) }) : t('chat.system.madeMember', { who, name: name(e.userId) })
    case 'group_renamed':
      return t('chat.system.renamed', { context, who, title: e.title })
    case 'description_changed':
      return t('chat.system.description', { who })
    case 'avatar_changed':
      return e.removed ? t('chat.system.pictureRemoved', { context, who }) : t('chat.system.pictureChanged', { context, who })
    case 'join_code_changed':
      return e.enabled ? t('chat.system.joinCodeMade', { who }) : t('chat.system.joinCodeOff', { who })
    case 'message_pinned':
      return e.pinned ? t('chat.system.pinned', { who }) : t('chat.system.unpinned', { who })
    case 'call_ended':
      return callText(e, who, kind === 'direct' ? memberIds?.find((id) => id !== senderId) : undefined, name)
  }
}

/** Who called, and how long it lasted or why nobody talked; callee: the other person of a direct chat. */
function callText(e: Extract<SystemEvent, { type: 'call_ended' }>, who: string, callee: string | undefined, name: (userId: string) => string): string {
  const t = i18n.t
  const context = e.media === 'video' ? 'video' : undefined
  switch (e.reason) {
    case 'completed':
      return t('chat.system.callCompleted', { context, who, duration: callDuration(e.durationMs ?? 0) })
    case 'missed':
      return t('chat.system.callMissed', { context, who })
    case 'declined':
      return callee ? t('chat.system.callDeclinedBy', { context, who, name: name(callee) }) : t('chat.system.callDeclined', { context, who })
    case 'busy':
      return callee ? t('chat.system.callBusyFor', { who, name: name(callee) }) : t('chat.system.callBusy', { who })
    case 'cancelled':
      return t('chat.system.callCancelled', { context, who })
    case 'failed':
      return t('chat.system.callFailed', { context, who })
  }
}
