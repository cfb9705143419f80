// Words and times as a person reads them, in the window's language (the
// times themselves are in ./time, which has no dependence on the store).
import type { Conversation } from '../../../shared/schemas/conversations'
import type { Message } from '../../../shared/schemas/messages'
import { plainLine } from '../../../shared/plain-text'
import { i18n } from '../i18n'
import { memberName } from '../store/selectors'
import { systemEventText } from './system-text'

export { systemEventText } from './system-text'
export { bytes, callClock, callDuration, clock, dateTime, dayAndTime, dayLabel, duration, enumeration, lastSeen, listTime, nameList, sameDay, stamp } from './time'

/** A system message in words, with names as they are now. */
export function systemText(m: Message, c: Conversation | undefined): string {
  return m.system ? systemEventText(m.system, m.senderId, c?.kind, (id) => memberName(c, id), c?.members.map((x) => x.user.id)) : ''
}

/** One line for the sidebar. */
export function preview(m: Message | null, c: Conversation, meId: string | null): string {
  const t = i18n.t
  if (!m) return t('chat.preview.empty')
  if (m.deletedAt) return t('chat.preview.deleted')
  if (m.kind === 'system') return systemText(m, c)
  const text = plainLine(m.text)
  const body = m.attachments?.length
    ? t('chat.preview.files', { count: m.attachments.length, names: m.attachments.map((a) => a.name).join(', '), text }).trimEnd()
    : text
  if (m.senderId === meId) return t('chat.preview.mine', { text: body })
  return c.kind === 'direct' ? body : t('chat.preview.theirs', { name: memberName(c, m.senderId), text: body })
}
