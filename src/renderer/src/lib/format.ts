// Words and times as a person reads them, in the window's language (the
// times themselves are in ./time, which has no dependence on the store).
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Message } from '../../../shared/schemas/messages'
import { i18n } from '../i18n'
import { memberName } from '../store/selectors'
import { nameList } from './time'

export { bytes, clock, dateTime, dayAndTime, dayLabel, duration, enumeration, lastSeen, listTime, nameList, sameDay, stamp } from './time'

/** A system message in words, with names as they are now. */
export function systemText(m: Message, c: Conversation | undefined): string {
  const who = memberName(c, m.senderId)
  const e = m.system
  if (!e) return ''
  const t = i18n.t
  // Rooms share the group events; they are called what the person chose to make.
  const context = c?.kind === 'room' ? 'room' : 'group'
  switch (e.type) {
    case 'group_created':
      return t('chat.system.created', { context, who, title: e.title })
    case 'members_added':
      return t('chat.system.added', { who, names: nameList(e.userIds.map((id) => memberName(c, id))) })
    case 'member_removed':
      return t('chat.system.removed', { who, name: memberName(c, e.userId) })
    case 'member_left':
      return t('chat.system.left', { name: memberName(c, e.userId) })
    case 'member_joined':
      return e.via === 'join_code' ? t('chat.system.joinedWithCode', { name: memberName(c, e.userId) }) : t('chat.system.joined', { name: memberName(c, e.userId) })
    case 'role_changed':
      return e.role === 'admin' ? t('chat.system.madeAdmin', { who, name: memberName(c, e.userId) }) : t('chat.system.madeMember', { who, name: memberName(c, e.userId) })
    case 'group_renamed':
      return t('chat.system.renamed', { context, who, title: e.title })
    case 'description_changed':
      return t('chat.system.description', { who })
    case 'avatar_changed':
      return e.removed ? t('chat.system.pictureRemoved', { context, who }) : t('chat.system.pictureChanged', { context, who })
    case 'join_code_changed':
      return e.enabled ? t('chat.system.joinCodeMade', { who }) : t('chat.system.joinCodeOff', { who })
  }
}

/** One line for the sidebar. */
export function preview(m: Message | null, c: Conversation, meId: string | null): string {
  const t = i18n.t
  if (!m) return t('chat.preview.empty')
  if (m.deletedAt) return t('chat.preview.deleted')
  if (m.kind === 'system') return systemText(m, c)
  const text = m.text.replace(/\s+/g, ' ')
  const body = m.attachments?.length
    ? t('chat.preview.files', { count: m.attachments.length, names: m.attachments.map((a) => a.name).join(', '), text }).trimEnd()
    : text
  if (m.senderId === meId) return t('chat.preview.mine', { text: body })
  return c.kind === 'direct' ? body : t('chat.preview.theirs', { name: memberName(c, m.senderId), text: body })
}
