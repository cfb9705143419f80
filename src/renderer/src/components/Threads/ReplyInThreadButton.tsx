import { i18n } from '../../i18n'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'

/** The hover bar's "Reply in thread": opens the message's thread panel. */
export function ReplyInThreadButton({ conversationId, seq }: { conversationId: string; seq: number }): React.JSX.Element {
  // One per message row, re-rendered with it in a new language (see MessageItem's useLanguage).
  const label = i18n.t('threads.actions.replyInThread')
  return (
    <button className="icon-btn" aria-label={label} title={label} onClick={() => void useStore.getState().openThread(conversationId, seq)}>
      <Icon name="thread" />
    </button>
  )
}
