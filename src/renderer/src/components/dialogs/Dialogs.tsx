// The open dialog, if any (store: ui.dialog). Mount once in the main window.
import { useEffect } from 'react'
import { useStore } from '../../store'
import { AdminDialog } from './admin/AdminDialog'
import { UserGroupsDialog } from './user-groups/UserGroupsDialog'
import { CertificateDialog } from './CertificateDialog'
import { ExportDialog } from './ExportDialog'
import { ForwardDialog } from './ForwardDialog'
import { ExportViewer } from '../ExportViewer/ExportViewer'
import { ContactsDialog } from './ContactsDialog'
import './dialogs.css'
import { GroupSettingsDialog } from './GroupSettingsDialog'
import { HostingDialog } from './HostingDialog'
import { JoinDialog } from './JoinDialog'
import { NewChatDialog } from './NewChatDialog'
import { NewGroupDialog } from './NewGroupDialog'
import { PinsDialog } from '../Pins/PinsDialog'
import { SavedDialog } from '../Pins/SavedDialog'
import { ScheduledDialog } from '../Scheduled/ScheduledDialog'
import { ProfileDialog } from './ProfileDialog'
import { NotificationsDialog } from '../Attention/NotificationsDialog'
import { ReadByDialog } from './ReadByDialog'
import { RoomsDialog } from './RoomsDialog'
import { SearchDialog } from './SearchDialog'
import { SwitcherDialog } from './SwitcherDialog'

const close = (): void => useStore.getState().openDialog(null)

/** Focus goes back to where it was when a dialog opened (unless something else took it). */
function useFocusReturn(): void {
  useEffect(() => {
    let opener: HTMLElement | null = null
    // Runs at the store change, before React renders the dialog and moves focus into it.
    return useStore.subscribe((s, prev) => {
      if (s.dialog && !prev.dialog) opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
      if (!s.dialog && prev.dialog) {
        const target = opener
        opener = null
        // After the dialog has gone: only if focus was left on nothing.
        setTimeout(() => {
          const active = document.activeElement
          if (target?.isConnected && (!active || active === document.body)) target.focus()
        }, 0)
      }
    })
  }, [])
}

export function Dialogs(): React.JSX.Element | null {
  const dialog = useStore((s) => s.dialog)
  useFocusReturn()
  if (!dialog) return null
  switch (dialog.kind) {
    case 'new-chat':
      return <NewChatDialog onClose={close} />
    case 'new-group':
      return <NewGroupDialog onClose={close} />
    case 'join':
      return <JoinDialog onClose={close} initialCode={dialog.code} viaLink={dialog.viaLink} />
    case 'rooms':
      return <RoomsDialog onClose={close} />
    case 'contacts':
      return <ContactsDialog onClose={close} />
    case 'profile':
      return <ProfileDialog onClose={close} />
    case 'notifications':
      return <NotificationsDialog onClose={close} />
    case 'search':
      return <SearchDialog onClose={close} />
    case 'switcher':
      return <SwitcherDialog onClose={close} />
    case 'hosting':
      return <HostingDialog onClose={close} />
    case 'certificate':
      return <CertificateDialog onClose={close} />
    case 'group-settings':
      return <GroupSettingsDialog key={dialog.conversationId} conversationId={dialog.conversationId} onClose={close} />
    case 'admin':
      return <AdminDialog onClose={close} />
    case 'user-groups':
      return <UserGroupsDialog onClose={close} />
    case 'export':
      return <ExportDialog conversationId={dialog.conversationId} onClose={close} />
    case 'export-viewer':
      return <ExportViewer onClose={close} />
    case 'forward':
      return <ForwardDialog key={`${dialog.conversationId}:${dialog.seq}`} conversationId={dialog.conversationId} seq={dialog.seq} onClose={close} />
    case 'read-by':
      return <ReadByDialog key={`${dialog.conversationId}:${dialog.seq}`} conversationId={dialog.conversationId} seq={dialog.seq} onClose={close} />
    case 'pins':
      return <PinsDialog key={dialog.conversationId} conversationId={dialog.conversationId} onClose={close} />
    case 'saved':
      return <SavedDialog onClose={close} />
    case 'scheduled':
      return <ScheduledDialog onClose={close} />
  }
}
