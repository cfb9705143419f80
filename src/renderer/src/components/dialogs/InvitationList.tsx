// Contact invitations: to me (accept or decline), from me (cancel while it
// waits; one declined is marked so until dismissed).
import { useTranslation } from 'react-i18next'
import type { Invitation } from '../../../../shared/schemas/contacts'
import { shownName } from '../../lib/names'
import { Avatar } from '../Avatar/Avatar'

interface Props {
  incoming: Invitation[]
  outgoing: Invitation[]
  declined: Invitation[]
  busy: string | null
  onAnswer: (invitation: Invitation, answer: 'accept' | 'decline' | 'cancel') => void
  onDismiss: (invitation: Invitation) => void
}

export function InvitationList({ incoming, outgoing, declined, busy, onAnswer, onDismiss }: Props): React.JSX.Element | null {
  const { t } = useTranslation()
  if (!incoming.length && !outgoing.length && !declined.length) return null
  return (
    <>
      {incoming.length ? (
        <section aria-labelledby="invitations-in">
          <h3 id="invitations-in" className="dialog-section">{t('dialogs.invitations.incoming')}</h3>
          <ul className="list-plain dialog-list">
            {incoming.map((inv) => (
              <li key={inv.id} className="dialog-row">
                <Avatar name={inv.from.displayName} image={inv.from.avatar} size={32} />
                <div className="dialog-item-text">
                  <span className="dialog-item-title">{shownName(inv.from)}</span>
                  {inv.message ? <span className="muted dialog-clamp">“{inv.message}”</span> : <span className="muted">@{inv.from.username}</span>}
                </div>
                <button type="button" className="btn btn-primary" disabled={busy !== null} aria-label={t('dialogs.invitations.acceptName', { name: inv.from.displayName })} onClick={() => onAnswer(inv, 'accept')}>
                  {t('dialogs.invitations.accept')}
                </button>
                <button type="button" className="btn" disabled={busy !== null} aria-label={t('dialogs.invitations.declineName', { name: inv.from.displayName })} onClick={() => onAnswer(inv, 'decline')}>
                  {t('dialogs.invitations.decline')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {outgoing.length || declined.length ? (
        <section aria-labelledby="invitations-out">
          <h3 id="invitations-out" className="dialog-section">{t('dialogs.invitations.outgoing')}</h3>
          <ul className="list-plain dialog-list" aria-label={t('dialogs.invitations.outgoing')}>
            {outgoing.map((inv) => (
              <li key={inv.id} className="dialog-row">
                <Avatar name={inv.to.displayName} image={inv.to.avatar} size={32} />
                <div className="dialog-item-text">
                  <span className="dialog-item-title">{shownName(inv.to)}</span>
                  <span className="muted">{t('dialogs.invitations.waiting', { username: inv.to.username })}</span>
                </div>
                <button type="button" className="btn" disabled={busy !== null} aria-label={t('dialogs.invitations.cancelName', { name: inv.to.displayName })} onClick={() => onAnswer(inv, 'cancel')}>
                  {t('common.cancel')}
                </button>
              </li>
            ))}
            {declined.map((inv) => (
              <li key={inv.id} className="dialog-row">
                <Avatar name={inv.to.displayName} image={inv.to.avatar} size={32} />
                <div className="dialog-item-text">
                  <span className="dialog-item-title">{shownName(inv.to)}</span>
                  <span className="muted">@{inv.to.username}</span>
                </div>
                <span className="invitation-declined">{t('dialogs.invitations.declined')}</span>
                <button type="button" className="btn" aria-label={t('dialogs.invitations.dismissName', { name: inv.to.displayName })} onClick={() => onDismiss(inv)}>
                  {t('shell.notices.dismiss')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
