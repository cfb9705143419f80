import { useEffect } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { selectConversationIds } from '../../store/selectors'
import { AccountRail } from '../AccountRail/AccountRail'
import { CallBar } from '../Call/CallBar'
import { CallNotice } from '../Call/CallNotice'
import { IncomingCalls } from '../Call/IncomingCalls'
import { CallAudio } from '../Call/MediaElement'
import { ScreenPicker } from '../Call/ScreenPicker'
import { ConnectionBar } from '../ConnectionBar/ConnectionBar'
import { ConversationView } from '../Conversation/ConversationView'
import { ConfirmDialog } from '../Dialog/ConfirmDialog'
import { Dialogs } from '../dialogs/Dialogs'
import { FailureNotice } from '../Notices/FailureNotice'
import { InvitationNotices } from '../Notices/InvitationNotices'
import { Sidebar } from '../Sidebar/Sidebar'
import { ThreadPanel } from '../Threads/ThreadPanel'
import { ThreadsView } from '../Threads/ThreadsView'
import './MainWindow.css'

export function MainWindow(): React.JSX.Element {
  const { t } = useTranslation()
  const activeId = useStore((s) => s.activeId)
  const thread = useStore((s) => s.thread)
  const threadsView = useStore((s) => s.threadsViewOpen)
  useShortcuts()
  return (
    <div className="main-window">
      <ConnectionBar />
      <CallBar />
      <CallNotice />
      <InvitationNotices />
      <FailureNotice />
      <div className="main-panes">
        <AccountRail />
        <Sidebar />
        <main className="main-content">
          {threadsView ? (
            <ThreadsView />
          ) : activeId ? (
            // One wrapper either way: opening the thread panel must not mount the conversation afresh (focus goes back into it).
            <div className={thread?.conversationId === activeId ? 'conversation-with-thread' : 'conversation-alone'}>
              <ConversationView conversationId={activeId} />
              {thread?.conversationId === activeId ? <ThreadPanel conversationId={activeId} rootSeq={thread.rootSeq} /> : null}
            </div>
          ) : (
            <div className="welcome muted">
              <p>{t('shell.main.pick')}</p>
              <p>
                <Trans i18nKey="shell.main.switcher" components={{ kbd: <kbd /> }} />
              </p>
            </div>
          )}
        </main>
      </div>
      <IncomingCalls />
      <CallAudio />
      <ScreenPicker />
      <Dialogs />
      <ConfirmDialog />
    </div>
  )
}

/** An Esc from inside a dialog closes that dialog alone (its 'cancel'), never the conversation beneath. */
function inDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('dialog') !== null
}

/** Ctrl/Cmd+K quick switcher, Alt+Up/Down between conversations, Esc closes what is open. */
function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const s = useStore.getState()
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        s.openDialog({ kind: 'switcher' })
      } else if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
        e.preventDefault()
        const ids = selectConversationIds(s)
        const at = s.activeId ? ids.indexOf(s.activeId) : -1
        const next = ids[Math.min(ids.length - 1, Math.max(0, at + (e.key === 'ArrowUp' ? -1 : 1)))]
        if (next) s.openConversation(next)
      } else if (e.key === 'Escape' && !e.defaultPrevented && !inDialog(e.target) && !s.dialog && s.thread) {
        // The thread panel closes first (its focus goes back), then the conversation.
        s.closeThread()
      } else if (e.key === 'Escape' && !e.defaultPrevented && !inDialog(e.target) && !s.dialog && s.activeId) {
        s.openConversation(null)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
