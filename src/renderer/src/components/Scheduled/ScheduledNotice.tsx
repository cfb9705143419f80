import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'

/** Issue 21: "1 message scheduled" above the composer of a conversation with waiting messages; opens the list. */
export function ScheduledNotice({ conversationId }: { conversationId: string }): React.JSX.Element | null {
  const { t } = useTranslation()
  const count = useStore((s) => s.scheduled.filter((x) => x.conversationId === conversationId).length)
  if (count === 0) return null
  return (
    <button type="button" className="link-btn scheduled-notice" onClick={() => useStore.getState().openDialog({ kind: 'scheduled' })}>
      {t('scheduled.notice', { count })}
    </button>
  )
}
