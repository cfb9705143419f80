// The in-window ring: a card per call ringing for me that this window is not
// in (caller, conversation, Accept, Accept with video, Decline), and a ring
// tone while any rings. In Electron a desktop notification rings too.
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import type { Call } from '../../../../shared/schemas/calls'
import { startRingTone } from '../../lib/ring-tone'
import { useStore } from '../../store'
import { selectIncomingCalls } from '../../store/calls'
import { conversationTitle, memberAvatar, memberName, selectMeId } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { Icon } from '../Icon/Icon'
import './Call.css'

export function IncomingCalls(): React.JSX.Element {
  const calls = useStore(useShallow(selectIncomingCalls))
  const ringing = calls.length > 0
  useEffect(() => (ringing ? startRingTone() : undefined), [ringing])
  // Always there, so a screen reader hears a card as it comes; the card takes no focus: a key meant for the composer must not answer a call.
  return (
    <div className="incoming-calls" aria-live="polite">
      {calls.map((call) => (
        <IncomingCall key={call.id} call={call} />
      ))}
    </div>
  )
}

function IncomingCall({ call }: { call: Call }): React.JSX.Element {
  const { t } = useTranslation()
  const c = useStore((s) => s.conversations[call.conversationId])
  const meId = useStore(selectMeId)
  const caller = memberName(c, call.startedBy)
  const label = t(call.media === 'video' ? 'calls.incoming.video' : 'calls.incoming.voice', { name: caller })
  const s = useStore.getState
  const answer = (video: boolean): void => void s().answerCall(call.id, { video })
  return (
    <div className="incoming-call" data-testid="incoming-call" role="group" aria-label={label}>
      <Avatar name={caller} image={memberAvatar(c, call.startedBy)} size={44} />
      <div className="incoming-call-text">
        <strong>{label}</strong>
        {c && c.kind !== 'direct' ? <span className="muted">{t('calls.incoming.inGroup', { title: conversationTitle(c, meId) })}</span> : null}
      </div>
      <div className="incoming-call-actions">
        <button type="button" className="btn btn-primary" data-testid="call-accept" onClick={() => answer(false)}>
          <Icon name="call" size={16} /> {t('calls.incoming.accept')}
        </button>
        <button type="button" className="btn" data-testid="call-accept-video" onClick={() => answer(true)}>
          <Icon name="video" size={16} /> {t('calls.incoming.acceptVideo')}
        </button>
        <button type="button" className="btn btn-danger" data-testid="call-decline" onClick={() => void s().declineCall(call.id)}>
          <Icon name="callEnd" size={16} /> {t('calls.incoming.decline')}
        </button>
      </div>
    </div>
  )
}
