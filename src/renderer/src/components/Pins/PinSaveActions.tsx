// Issue 20: Pin/Unpin (for those who may pin) and Save/Unsave among a
// message's hover buttons, until the message menu (i20-menu) offers them.
import type { Message } from '../../../../shared/schemas/messages'
import { i18n } from '../../i18n'
import { useStore } from '../../store'
import { selectCanPin, selectIsPinned, selectIsSaved } from '../../store/pins-selectors'
import { Icon } from '../Icon/Icon'

const store = useStore.getState

export function PinSaveActions({ message: m }: { message: Message }): React.JSX.Element {
  const { conversationId, seq } = m
  const canPin = useStore(selectCanPin(conversationId))
  const pinned = useStore(selectIsPinned(conversationId, seq))
  const saved = useStore(selectIsSaved(conversationId, seq))
  const t = i18n.t
  const pinLabel = pinned ? t('pins.unpin') : t('pins.pin')
  const saveLabel = saved ? t('pins.saved.unsave') : t('pins.saved.save')
  return (
    <>
      {canPin ? (
        <button
          className="icon-btn"
          aria-label={pinLabel}
          title={pinLabel}
          aria-pressed={pinned}
          onClick={() =>
            void store().reportFailure(pinned ? t('pins.unpinFailed') : t('pins.pinFailed'), () => (pinned ? store().unpin(conversationId, seq) : store().pin(conversationId, seq)))
          }
        >
          <Icon name="pin" />
        </button>
      ) : null}
      <button
        className="icon-btn"
        aria-label={saveLabel}
        title={saveLabel}
        aria-pressed={saved}
        onClick={() =>
          void store().reportFailure(saved ? t('pins.saved.removeFailed') : t('pins.saved.saveFailed'), () => (saved ? store().unsave(conversationId, seq) : store().save(conversationId, seq)))
        }
      >
        <Icon name="bookmark" />
      </button>
    </>
  )
}
