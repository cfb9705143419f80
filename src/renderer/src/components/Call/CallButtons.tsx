// The conversation header's call buttons: a voice and a video call. In a
// public room a call rings nobody (a room can hold far more people than a mesh
// carries, 8): it waits there, and members join it from the banner.
import { useTranslation } from 'react-i18next'
import type { CallMedia } from '../../../../shared/schemas/calls'
import { useStore } from '../../store'
import { selectCallIn } from '../../store/calls'
import { Icon, type IconName } from '../Icon/Icon'

const BUTTONS: Array<{ media: CallMedia; icon: IconName }> = [
  { media: 'audio', icon: 'call' },
  { media: 'video', icon: 'video' }
]

export function CallButtons({ conversationId }: { conversationId: string }): React.JSX.Element | null {
  const { t } = useTranslation()
  const kind = useStore((s) => s.conversations[conversationId]?.kind)
  const running = useStore((s) => selectCallIn(conversationId)(s) !== undefined)
  const inCall = useStore((s) => s.current !== null && s.current.phase !== 'ended')
  // A call already runs here: the banner under the header offers to join it.
  if (!kind || running) return null
  const start = (media: CallMedia): void => void useStore.getState().startCall(conversationId, media)
  return (
    <>
      {BUTTONS.map(({ media, icon }) => (
        <button
          key={media}
          type="button"
          className="icon-btn"
          data-testid={`call-start-${media}`}
          aria-label={t(`calls.start.${media}`)}
          title={inCall ? t('calls.start.busy') : t(`calls.start.${media}`)}
          disabled={inCall}
          onClick={() => start(media)}
        >
          <Icon name={icon} />
        </button>
      ))}
    </>
  )
}
