import { i18n } from '../../i18n'
import type { Conversation } from '../../../../shared/schemas/conversations'
import type { Message } from '../../../../shared/schemas/messages'
import { enumeration } from '../../lib/format'
import { receiptsOf } from '../../store/selectors'

/** ✓ sent, ✓✓ received by everyone, blue ✓✓ read by everyone; the title says by whom. */
export function Ticks({ conversation, message }: { conversation: Conversation; message: Message }): React.JSX.Element {
  // Re-rendered in a new language with its message row (see useLanguage).
  const t = i18n.t
  const { readBy, deliveredTo, others } = receiptsOf(conversation, message)
  const read = others > 0 && readBy.length === others
  const delivered = others > 0 && deliveredTo.length === others
  const label = readBy.length ? t('chat.ticks.readBy', { names: enumeration(readBy) }) : delivered ? t('chat.ticks.delivered') : t('chat.ticks.sent')
  return (
    <span className={`ticks${read ? ' read' : ''}`} title={label} aria-label={label} data-ticks={read ? 'read' : delivered ? 'delivered' : 'sent'}>
      {delivered || read ? '✓✓' : '✓'}
    </span>
  )
}
