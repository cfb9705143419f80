// Issue 20: "Pinned" beside a pinned message's time.
import { i18n } from '../../i18n'
import { useStore } from '../../store'
import { selectIsPinned } from '../../store/pins-selectors'
import { Icon } from '../Icon/Icon'

export function PinnedMarker({ conversationId, seq }: { conversationId: string; seq: number }): React.JSX.Element | null {
  const pinned = useStore(selectIsPinned(conversationId, seq))
  if (!pinned) return null
  return (
    <span className="pinned-marker">
      <Icon name="pin" size={12} />
      {i18n.t('pins.marker')}
    </span>
  )
}
