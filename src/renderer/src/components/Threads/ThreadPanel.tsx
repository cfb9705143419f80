// The thread panel beside the conversation: its root, its replies and a
// composer of its own. Esc (or the close button) closes it; focus goes back
// where it was when the panel opened.
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { threadKey } from '../../../../shared/threads'
import { useStore } from '../../store'
import { memberName, selectMeId } from '../../store/selectors'
import { Composer } from '../Conversation/Composer'
import { MessageItem } from '../Conversation/MessageItem'
import { PendingItem } from '../Conversation/PendingItem'
import { Icon } from '../Icon/Icon'
import './Threads.css'

const NONE: never[] = []

export function ThreadPanel({ conversationId, rootSeq }: { conversationId: string; rootSeq: number }): React.JSX.Element {
  const { t } = useTranslation()
  const conversation = useStore((s) => s.conversations[conversationId])
  const view = useStore((s) => s.threadView)
  const meId = useStore(selectMeId)
  const following = useStore((s) => Boolean(s.followedThreads[threadKey(conversationId, rootSeq)]))
  const pendingAll = useStore((s) => s.pending[conversationId] ?? NONE)
  const pending = pendingAll.filter((p) => p.threadRoot === rootSeq)
  const panel = useRef<HTMLElement>(null)
  const close = (): void => useStore.getState().closeThread()

  // Focus goes back where it was when the panel closes…
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null
    return () => {
      if (before?.isConnected) before.focus()
    }
  }, [conversationId, rootSeq])
  const root = view?.root ?? null
  // …and into its composer once the thread has loaded.
  const loaded = root !== null
  useEffect(() => {
    if (loaded) panel.current?.querySelector<HTMLElement>('.composer-input')?.focus()
  }, [loaded, conversationId, rootSeq])

  const delivered = new Set(view?.replies.map((m) => m.clientId))
  return (
    <aside
      ref={panel}
      className="thread-panel"
      aria-label={root && conversation ? t('threads.panel.label', { name: memberName(conversation, root.senderId) }) : t('threads.panel.title')}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault()
          close()
        }
      }}
    >
      <header className="thread-panel-header row">
        <h2>{t('threads.panel.title')}</h2>
        <span className="spacer" />
        <button className="btn" aria-pressed={following} onClick={() => void useStore.getState().reportFailure(t('threads.panel.followFailed'), () => useStore.getState().followThread(conversationId, rootSeq, !following))}>
          {following ? t('threads.panel.unfollow') : t('threads.panel.follow')}
        </button>
        <button className="icon-btn" aria-label={t('threads.panel.close')} title={t('threads.panel.close')} onClick={close}>
          <Icon name="close" />
        </button>
      </header>
      <div className="thread-panel-body">
        {!view ? (
          <p className="muted">{t('common.loading')}</p>
        ) : !root || !conversation ? (
          <p className="muted">{t('threads.panel.unavailable')}</p>
        ) : (
          <>
            <MessageItem message={root} conversation={conversation} meId={meId} grouped={false} daySeparator={false} newDivider={false} highlighted={false} inThread />
            <ul className="list-plain thread-replies" aria-label={t('threads.panel.replies')}>
              {view.replies.map((m) => (
                <li key={m.seq}>
                  <MessageItem message={m} conversation={conversation} meId={meId} grouped={false} daySeparator={false} newDivider={false} highlighted={false} inThread />
                </li>
              ))}
              {pending
                .filter((p) => !delivered.has(p.clientId))
                .map((p) => (
                  <li key={p.clientId}>
                    <PendingItem pending={p} />
                  </li>
                ))}
            </ul>
            {view.replies.length === 0 && pending.length === 0 ? <p className="muted">{t('threads.panel.empty')}</p> : null}
          </>
        )}
      </div>
      {root && !root.deletedAt ? <Composer key={`${conversationId}:${rootSeq}`} conversationId={conversationId} threadRoot={rootSeq} /> : null}
    </aside>
  )
}
