// The sidebar's Threads view: the followed threads, unread first, each
// opening its conversation with the thread panel.
import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import { threadKey } from '../../../../shared/threads'
import { listTime } from '../../lib/format'
import { useStore } from '../../store'
import { conversationTitle, memberName, selectMeId } from '../../store/selectors'
import { sortFollowed } from '../../store/threads'
import './Threads.css'

export function ThreadsView(): React.JSX.Element {
  const { t } = useTranslation()
  const threads = useStore(useShallow((s) => sortFollowed(Object.values(s.followedThreads))))
  const conversations = useStore((s) => s.conversations)
  const meId = useStore(selectMeId)
  return (
    <section className="threads-view" aria-label={t('threads.view.title')}>
      <header className="conversation-header">
        <h1>{t('threads.view.title')}</h1>
        <span className="spacer" />
        <button className="btn" onClick={() => useStore.getState().showThreadsView(false)}>
          {t('threads.view.back')}
        </button>
      </header>
      {threads.length === 0 ? <p className="muted threads-view-empty">{t('threads.view.empty')}</p> : null}
      <ul className="list-plain threads-view-list" aria-label={t('threads.view.list')}>
        {threads.map((thread) => {
          const c = conversations[thread.conversationId]
          if (!c) return null
          return (
            <li key={threadKey(thread.conversationId, thread.rootSeq)}>
              <button
                className={`followed-thread${thread.unreadCount > 0 ? ' unread' : ''}`}
                data-testid="followed-thread"
                onClick={() => void useStore.getState().openThread(thread.conversationId, thread.rootSeq)}
              >
                <span className="followed-thread-head row">
                  <strong>{memberName(c, thread.root.senderId)}</strong>
                  <span className="muted">{t('threads.view.in', { conversation: conversationTitle(c, meId) })}</span>
                  <span className="spacer" />
                  {thread.lastReplyAt ? <time dateTime={thread.lastReplyAt}>{listTime(thread.lastReplyAt)}</time> : null}
                </span>
                <span className="followed-thread-text">{thread.root.text}</span>
                {thread.unreadCount > 0 ? <span className="badge">{t('threads.view.unread', { count: thread.unreadCount })}</span> : null}
              </button>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
