// In-window notices of contact invitations: someone invited me (with a way to
// the Contacts dialog), or declined mine. They stay until dismissed or until
// the Contacts dialog is opened; the live region reads them out as they come.
import { shownName } from '../../lib/names'
import { useStore } from '../../store'
import type { InvitationNotice } from '../../store/invitation-state'
import { Icon } from '../Icon/Icon'
import './Notices.css'

function noticeText(n: InvitationNotice): string {
  return n.kind === 'invited'
    ? `${shownName(n.invitation.from)} invited you to their contacts.`
    : `${shownName(n.invitation.to)} declined your contact invitation.`
}

export function InvitationNotices(): React.JSX.Element {
  const notices = useStore((s) => s.invitations.notices)
  return (
    <div className="notices" role="status" aria-live="polite" aria-label="Notices">
      {notices.map((n) => {
        const text = noticeText(n)
        return (
          <div key={n.key} className={`notice notice-${n.kind}`}>
            <span className="notice-text">{text}</span>
            {n.kind === 'invited' ? (
              <button type="button" className="btn" onClick={() => useStore.getState().showInvitations()}>
                Show
              </button>
            ) : null}
            <button type="button" className="icon-btn" aria-label={`Dismiss: ${text}`} title="Dismiss" onClick={() => useStore.getState().dismissInvitationNotice(n.key)}>
              <Icon name="close" size={16} />
            </button>
          </div>
        )
      })}
    </div>
  )
}
