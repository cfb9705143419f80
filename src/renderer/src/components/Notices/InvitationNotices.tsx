// In-window notices of contact invitations: someone invited me (with a way to
// the Contacts dialog), or declined mine. They stay until dismissed or until
// the Contacts dialog is opened; the live region reads them out as they come.
import { useTranslation } from 'react-i18next'
import { i18n } from '../../i18n'
import { shownName } from '../../lib/names'
import { useStore } from '../../store'
import type { InvitationNotice } from '../../store/invitation-state'
import { Icon } from '../Icon/Icon'
import './Notices.css'

function noticeText(n: InvitationNotice): string {
  return n.kind === 'invited'
    ? i18n.t('shell.notices.invited', { name: shownName(n.invitation.from) })
    : i18n.t('shell.notices.declined', { name: shownName(n.invitation.to) })
}

export function InvitationNotices(): React.JSX.Element {
  const { t } = useTranslation()
  const notices = useStore((s) => s.invitations.notices)
  return (
    <div className="notices" role="status" aria-live="polite" aria-label={t('shell.notices.notices')}>
      {notices.map((n) => {
        const text = noticeText(n)
        return (
          <div key={n.key} className={`notice notice-${n.kind}`}>
            <span className="notice-text">{text}</span>
            {n.kind === 'invited' ? (
              <button type="button" className="btn" onClick={() => useStore.getState().showInvitations()}>
                {t('shell.notices.show')}
              </button>
            ) : null}
            <button type="button" className="icon-btn" aria-label={t('shell.notices.dismissText', { text })} title={t('shell.notices.dismiss')} onClick={() => useStore.getState().dismissInvitationNotice(n.key)}>
              <Icon name="close" size={16} />
            </button>
          </div>
        )
      })}
    </div>
  )
}
