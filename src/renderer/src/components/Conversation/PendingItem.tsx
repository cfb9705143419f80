import { useTranslation } from 'react-i18next'
import type { PendingMessage } from '../../../../shared/ipc'
import { words } from '../../lib/api'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'
import { PendingAttachments } from './Attachments'
import { MessageText } from './MessageText'

/** A message of mine the server has not acknowledged: sending, or refused with a reason. */
export function PendingItem({ pending: p }: { pending: PendingMessage }): React.JSX.Element {
  const { t } = useTranslation()
  const failed = p.state === 'failed'
  return (
    <div className="message-row" data-client-id={p.clientId}>
      <div className={`message mine pending${failed ? ' failed' : ''}`}>
        <div className="message-gutter" />
        <div className="message-main">
          <div className="bubble">
            {p.attachments?.length ? <PendingAttachments files={p.attachments} /> : null}
            <MessageText text={p.text} />
            <span className="message-meta">{failed ? null : <span aria-label={t('chat.pending.sending')} title={t('chat.pending.waiting')}><Icon name="clock" size={12} /></span>}</span>
          </div>
          {failed ? (
            <div className="failed-note" role="alert">
              {p.error ? t('chat.pending.notSentWhy', { why: words(p.error) }) : t('chat.pending.notSent')}{' '}
              <button className="btn" onClick={() => void useStore.getState().retry(p.clientId)}>
                {t('common.retry')}
              </button>{' '}
              <button className="btn btn-danger" onClick={() => void useStore.getState().discard(p.clientId)}>
                {t('chat.pending.discard')}
              </button>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  )
}
