// The conversation header's call buttons: a voice and a video call. In a
// public room a call rings nobody (a room can hold far more people than a mesh
// carries, 8): it waits there, and members join it from the banner.
import { useTranslation } from 'react-i18next'
import type { CallMedia } from '../../../../shared/schemas/calls'
import { useStore } from '../../store'
import { selectCallIn } from '../../store/calls'
import { Icon } from '../Icon/Icon'

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
      <button
        type="button"
        className="icon-btn"
        data-testid="call-start-audio"
        aria-label={t('calls.start.audio')}
        title={inCall ? t('calls.start.busy') : t('calls.start.audio')}
        disabled={inCall}
        onClick={() => start('audio')}
      >
        <Icon name="call" />
      </button>
      <button
        type="button"
        className="icon-btn"
        data-testid="call-start-video"
        aria-label={t('calls.start.video')}
        title={inCall ? t('calls.start.busy') : t('calls.start.video')}
        disabled={inCall}
        onClick={() => start('video')}
      >
        <Icon name="video" />
      </button>
    </>
  )
}
