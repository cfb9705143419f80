import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'

/** Issue 21: the sidebar's entry to the scheduled messages, with how many wait. */
export function ScheduledButton(): React.JSX.Element {
  const { t } = useTranslation()
  const count = useStore((s) => s.scheduled.length)
  return (
    <button
      className="sidebar-entry row"
      aria-label={count > 0 ? t('scheduled.sidebar.entryCount', { count }) : t('scheduled.sidebar.entry')}
      onClick={() => useStore.getState().openDialog({ kind: 'scheduled' })}
    >
      <Icon name="clock" />
      <span className="spacer">{t('scheduled.sidebar.entry')}</span>
      {count > 0 ? (
        <span className="badge" aria-hidden="true">
          {count}
        </span>
      ) : null}
    </button>
  )
}
