// Why this window's last call ended without a talk (busy, declined, missed,
// cancelled, stopped by the server), or why it could not start or go on (no
// microphone, a full call), until dismissed. A call that was talked through
// needs no notice: its length is in the conversation.
import { useTranslation } from 'react-i18next'
import type { CallEndReason } from '../../../../shared/schemas/calls'
import type { Conversation } from '../../../../shared/schemas/conversations'
import { i18n } from '../../i18n'
import { words } from '../../lib/api'
import { useStore } from '../../store'
import { conversationTitle, selectMeId } from '../../store/selectors'
import { Icon } from '../Icon/Icon'
import '../Notices/Notices.css'

export function CallNotice(): React.JSX.Element | null {
  const { t } = useTranslation()
  const ended = useStore((s) => s.ended)
  const failed = useStore((s) => (s.current?.phase === 'ended' ? s.current.error : null))
  const c = useStore((s) => (ended ? s.conversations[ended.conversationId] : undefined))
  const meId = useStore(selectMeId)
  const text = failed ? words({ code: failed, message: failed }) : ended && ended.reason !== 'completed' ? endedText(ended.reason, c, meId) : null
  if (!text) return null
  return (
    <div className={`notice${failed ? ' notice-failure' : ''}`} data-testid="call-notice" role="status">
      <Icon name="call" size={16} />
      <span className="notice-text">{text}</span>
      <button type="button" className="icon-btn" aria-label={t('calls.ended.dismiss')} title={t('calls.ended.dismiss')} onClick={() => useStore.getState().dismissEnded()}>
        <Icon name="close" size={16} />
      </button>
    </div>
  )
}

function endedText(reason: Exclude<CallEndReason, 'completed'>, c: Conversation | undefined, meId: string | null): string {
  const t = i18n.t
  const name = c ? conversationTitle(c, meId) : ''
  const group = c?.kind !== 'direct'
  switch (reason) {
    case 'busy':
      return t('calls.ended.busy', { name })
    case 'declined':
      return group ? t('calls.ended.declinedGroup') : t('calls.ended.declined', { name })
    case 'missed':
      return group ? t('calls.ended.missedGroup') : t('calls.ended.missed', { name })
    case 'cancelled':
      return t('calls.ended.cancelled')
    case 'failed':
      return t('calls.ended.failed')
  }
}
