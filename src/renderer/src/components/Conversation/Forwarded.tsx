// Issue 20: above a forwarded message, "Forwarded", and where from when the
// reader is in that conversation too (a link to the original message).
import type { ForwardRef } from '../../../../shared/schemas/messages'
import { i18n } from '../../i18n'
import { useStore } from '../../store'
import { conversationTitle, selectMeId } from '../../store/selectors'
import { Icon } from '../Icon/Icon'

export function Forwarded({ from }: { from: ForwardRef }): React.JSX.Element {
  const title = useStore((s) => {
    const source = s.conversations[from.conversationId]
    return source ? conversationTitle(source, selectMeId(s)) : null
  })
  const t = i18n.t
  return (
    <div className="forwarded-label">
      <Icon name="forward" size={14} />
      {title === null ? (
        <span>{t('messageMenu.forwarded')}</span>
      ) : (
        <button className="link-btn" onClick={() => void useStore.getState().focusMessage(from.conversationId, from.seq).catch(() => undefined)}>
          {t('messageMenu.forwardedFrom', { title })}
        </button>
      )}
    </div>
  )
}
