import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'

/** The sidebar's entry to the Threads view, with the total of unread replies in followed threads. */
export function ThreadsButton(): React.JSX.Element {
  const { t } = useTranslation()
  const unread = useStore((s) => Object.values(s.followedThreads).reduce((sum, x) => sum + x.unreadCount, 0))
  const open = useStore((s) => s.threadsViewOpen)
  const label = unread > 0 ? t('threads.sidebar.entryUnread', { count: unread }) : t('threads.sidebar.entry')
  return (
    <button className={`sidebar-entry row${open ? ' active' : ''}`} aria-label={label} aria-pressed={open} onClick={() => useStore.getState().showThreadsView(!open)}>
      <Icon name="thread" />
      <span className="spacer">{t('threads.sidebar.entry')}</span>
      {unread > 0 ? (
        <span className="badge" aria-hidden="true">
          {unread}
        </span>
      ) : null}
    </button>
  )
}
