// Issue 20: the user's saved messages across conversations, newest first. A
// click shows the message in its conversation; each can be removed, also one
// that can no longer be read (left, deleted or expired).
import { useTranslation } from 'react-i18next'
import { i18n } from '../../i18n'
import { stamp } from '../../lib/format'
import { useStore } from '../../store'
import { conversationTitle, memberName, selectMeId } from '../../store/selectors'
import { Dialog } from '../Dialog/Dialog'
import { excerpt } from './excerpt'
import './Pins.css'

const store = useStore.getState

export function SavedDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const saved = useStore((s) => s.saved)
  const conversations = useStore((s) => s.conversations)
  const meId = useStore(selectMeId)
  return (
    <Dialog title={t('pins.saved.title')} onClose={onClose}>
      {saved.length === 0 ? <p className="muted">{t('pins.saved.none')}</p> : null}
      <ul className="list-plain dialog-list saved-list" aria-label={t('pins.saved.list')}>
        {saved.map((item) => {
          const c = conversations[item.conversationId]
          const where = c ? conversationTitle(c, meId) : t('pins.saved.left')
          const m = c ? item.message : null
          return (
            <li key={`${item.conversationId}:${item.seq}`} className="pin-row saved-row">
              {m ? (
                <button type="button" className="dialog-item pin-item" onClick={() => void store().focusMessage(item.conversationId, item.seq)}>
                  <span className="dialog-item-text">
                    <span className="dialog-item-title">
                      {memberName(c, m.senderId)} · {where}
                    </span>
                    <span className="dialog-clamp">{excerpt(m)}</span>
                    <span className="muted pin-by">{t('pins.saved.savedAt', { time: stamp(item.savedAt) })}</span>
                  </span>
                </button>
              ) : (
                <span className="dialog-item-text pin-item">
                  <span className="dialog-item-title">{where}</span>
                  <span className="muted">{t('pins.saved.gone')}</span>
                </span>
              )}
              <button
                type="button"
                className="btn"
                onClick={() => void store().reportFailure(i18n.t('pins.saved.removeFailed'), () => store().unsave(item.conversationId, item.seq))}
              >
                {t('pins.saved.remove')}
              </button>
            </li>
          )
        })}
      </ul>
    </Dialog>
  )
}
