// A call runs in the open conversation and this window is not in it: who is
// in it, and a button to join (a group call one left can be joined again).
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { selectCallIn } from '../../store/calls'
import { memberAvatar, memberName, selectMeId } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { Icon } from '../Icon/Icon'
import './Call.css'

export function JoinBanner({ conversationId }: { conversationId: string }): React.JSX.Element | null {
  const { t } = useTranslation()
  const call = useStore(selectCallIn(conversationId))
  const c = useStore((s) => s.conversations[conversationId])
  const current = useStore((s) => s.current)
  const meId = useStore(selectMeId)
  const inThis = current !== null && current.callId === call?.id
  // While it rings for me the ring card offers to answer; a call nobody is in has nothing to join.
  if (!call || inThis || call.participants.length === 0 || (meId !== null && call.ringing.includes(meId))) return null
  const inOther = current !== null && current.phase !== 'ended'
  const people = [...new Set(call.participants.map((p) => p.userId))]
  const join = (video: boolean): void => void useStore.getState().answerCall(call.id, { video })
  return (
    <div className="call-banner" role="status">
      <Icon name="call" size={16} />
      <span className="call-banner-people" aria-hidden="true">
        {people.slice(0, 4).map((id) => (
          <Avatar key={id} name={memberName(c, id)} image={memberAvatar(c, id)} size={22} />
        ))}
      </span>
      <span className="call-banner-text">{t('calls.banner.running', { count: people.length })}</span>
      <button type="button" className="btn btn-primary" data-testid="call-join" disabled={inOther} title={inOther ? t('calls.start.busy') : undefined} onClick={() => join(false)}>
        {t('calls.banner.join')}
      </button>
      <button type="button" className="btn" disabled={inOther} title={inOther ? t('calls.start.busy') : undefined} onClick={() => join(true)}>
        {t('calls.banner.joinVideo')}
      </button>
    </div>
  )
}
