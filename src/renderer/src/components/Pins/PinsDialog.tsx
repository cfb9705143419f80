// Issue 20: a conversation's pinned messages, newest pin first: who wrote it,
// how it starts, who pinned it and when. A click shows the message; those
// who may pin can unpin here.
import { useTranslation } from 'react-i18next'
import { i18n } from '../../i18n'
import { stamp } from '../../lib/format'
import { useStore } from '../../store'
import { selectCanPin, selectPins } from '../../store/pins-selectors'
import { memberName } from '../../store/selectors'
import { Dialog } from '../Dialog/Dialog'
import { excerpt } from './excerpt'
import './Pins.css'

const store = useStore.getState

export function PinsDialog({ conversationId, onClose }: { conversationId: string; onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const pins = useStore(selectPins(conversationId))
  const canPin = useStore(selectCanPin(conversationId))
  const c = useStore((s) => s.conversations[conversationId])
  return (
    <Dialog title={t('pins.title')} onClose={onClose}>
      {pins.length === 0 ? <p className="muted">{t('pins.none')}</p> : null}
      <ul className="list-plain dialog-list pins-list" aria-label={t('pins.list')}>
        {pins.map((p) => {
          const sender = memberName(c, p.message.senderId)
          return (
            <li key={p.seq} className="pin-row" data-seq={p.seq}>
              <button type="button" className="dialog-item pin-item" onClick={() => void store().focusMessage(conversationId, p.seq)}>
                <span className="dialog-item-text">
                  <span className="dialog-item-title">{sender}</span>
                  <span className="dialog-clamp">{excerpt(p.message)}</span>
                  <span className="muted pin-by">{t('pins.pinnedBy', { name: memberName(c, p.pinnedBy), time: stamp(p.pinnedAt) })}</span>
                </span>
              </button>
              {canPin ? (
                <button
                  type="button"
                  className="btn"
                  onClick={() => void store().reportFailure(i18n.t('pins.unpinFailed'), () => store().unpin(conversationId, p.seq))}
                >
                  {t('pins.unpin')}
                </button>
              ) : null}
            </li>
          )
        })}
      </ul>
    </Dialog>
  )
}
