import type { Message } from '../../../../shared/schemas/messages'
import { i18n } from '../../i18n'

const EXCERPT = 140

/** How a pinned or saved message starts, on one or two lines; a message of files alone says so. */
export function excerpt(m: Message): string {
  const text = m.text.trim().replace(/\s+/g, ' ')
  if (!text) return m.attachments?.length ? i18n.t('pins.attachment') : ''
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text
}
