import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import { shownName } from '../../lib/names'
import { useStore } from '../../store'
import { selectConversationIds, selectMe } from '../../store/selectors'
import { Avatar } from '../Avatar/Avatar'
import { DndMenu } from '../Attention/DndMenu'
import { StatusEmoji } from '../Attention/StatusEmoji'
import { Icon } from '../Icon/Icon'
import { ContactsButton } from './ContactsButton'
import { SavedButton } from '../Pins/SavedButton'
import { ScheduledButton } from '../Scheduled/ScheduledButton'
import { ConversationRow } from './ConversationRow'
import { ThreadsButton } from '../Threads/ThreadsButton'
import { NotificationBanner } from '../NotificationBanner/NotificationBanner'
import './Sidebar.css'

export function Sidebar(): React.JSX.Element {
  const { t } = useTranslation()
  const me = useStore(selectMe)
  const ids = useStore(useShallow(selectConversationIds))
  const filter = useStore((s) => s.filter)
  const openDialog = (d: Parameters<ReturnType<typeof useStore.getState>['openDialog']>[0]): void => useStore.getState().openDialog(d)
  return (
    <aside className="sidebar" aria-label={t('shell.sidebar.conversations')}>
      <div className="sidebar-top row">
        {/* Named by its text (the visible name first), so the name holds what is seen. */}
        <button className="icon-btn me-button" onClick={() => openDialog({ kind: 'profile' })}>
          <Avatar name={me?.displayName ?? '?'} image={me?.avatar ?? null} size={32} />
          <span className="me-name">
            {me ? shownName(me) : null}
            <StatusEmoji user={me ?? undefined} decorative />
            <span className="sr-inline">{t('shell.sidebar.profileSuffix')}</span>
          </span>
        </button>
        <DndMenu />
        <span className="spacer" />
        <button className="icon-btn" aria-label={t('shell.sidebar.search')} title={t('shell.sidebar.search')} onClick={() => openDialog({ kind: 'search' })}>
          <Icon name="search" />
        </button>
        <ContactsButton />
        {me?.serverAdmin ? (
          <button className="icon-btn" aria-label={t('shell.sidebar.admin')} title={t('shell.sidebar.admin')} onClick={() => openDialog({ kind: 'admin' })}>
            <Icon name="shield" />
          </button>
        ) : null}
      </div>
      <NotificationBanner />
      <div className="sidebar-actions row">
        <button className="btn" onClick={() => openDialog({ kind: 'new-chat' })}>
          {t('shell.sidebar.newChat')}
        </button>
        <button className="btn" onClick={() => openDialog({ kind: 'new-group' })}>
          {t('shell.sidebar.newGroup')}
        </button>
        <button className="btn" onClick={() => openDialog({ kind: 'rooms' })}>
          {t('shell.sidebar.rooms')}
        </button>
        <button className="btn" onClick={() => openDialog({ kind: 'join' })}>
          {t('shell.sidebar.join')}
        </button>
      </div>
      <ThreadsButton />
      <SavedButton />
      <ScheduledButton />
      <input
        className="input sidebar-filter"
        type="search"
        aria-label={t('shell.sidebar.filter')}
        placeholder={t('shell.sidebar.filter')}
        value={filter}
        onChange={(e) => useStore.getState().setFilter(e.target.value)}
      />
      <ul className="list-plain conversation-list" role="listbox" aria-label={t('shell.sidebar.list')}>
        {ids.map((id) => (
          <ConversationRow key={id} id={id} />
        ))}
        {ids.length === 0 ? <li className="muted empty">{filter ? t('shell.sidebar.noMatch') : t('shell.sidebar.empty')}</li> : null}
      </ul>
    </aside>
  )
}
