// The call, small and always in sight while another conversation (or none)
// is shown: where it is, how long it has run, mute, back to it, leave.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { callClock } from '../../lib/format'
import { useStore } from '../../store'
import { conversationTitle, selectMeId } from '../../store/selectors'
import { Icon } from '../Icon/Icon'
import './Call.css'

export function CallBar(): React.JSX.Element | null {
  const { t } = useTranslation()
  const current = useStore((s) => (s.current && s.current.phase !== 'ended' && s.activeId !== s.current.conversationId ? s.current : null))
  const c = useStore((s) => (current ? s.conversations[current.conversationId] : undefined))
  const answeredAt = useStore((s) => (current?.callId ? (s.calls[current.callId]?.answeredAt ?? null) : null))
  const meId = useStore(selectMeId)
  if (!current) return null
  const s = useStore.getState
  const title = c ? conversationTitle(c, meId) : ''
  const mute = current.local.muted ? t('calls.controls.unmute') : t('calls.controls.mute')
  return (
    <section className="call-bar" data-testid="call-bar" aria-label={t('calls.bar.region')}>
      <Icon name="call" size={16} />
      <span className="call-bar-title">{t('calls.bar.inCall', { title })}</span>
      {answeredAt ? <Elapsed since={answeredAt} /> : null}
      <span className="spacer" />
      <button type="button" className="icon-btn" aria-label={mute} title={mute} aria-pressed={current.local.muted} onClick={() => void s().toggleMute()}>
        <Icon name={current.local.muted ? 'micOff' : 'mic'} size={16} />
      </button>
      <button type="button" className="btn" data-testid="call-bar-return" onClick={() => s().openConversation(current.conversationId)}>
        {t('calls.bar.return')}
      </button>
      <button type="button" className="btn btn-danger" data-testid="call-bar-leave" onClick={() => void s().leaveCall()}>
        {t('calls.bar.leave')}
      </button>
    </section>
  )
}

/** The call's clock, ticking each second. */
function Elapsed({ since }: { since: string }): React.JSX.Element {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  return (
    <span className="call-bar-clock" role="timer">
      {callClock(now - Date.parse(since))}
    </span>
  )
}
