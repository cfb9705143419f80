// Pending contact invitations: to me (accept or decline) and from me (cancel).
import type { Invitation } from '../../../../shared/schemas/contacts'
import { shownName } from '../../lib/names'
import { Avatar } from '../Avatar/Avatar'

interface Props {
  incoming: Invitation[]
  outgoing: Invitation[]
  busy: string | null
  onAnswer: (invitation: Invitation, answer: 'accept' | 'decline' | 'cancel') => void
}

export function InvitationList({ incoming, outgoing, busy, onAnswer }: Props): React.JSX.Element | null {
  if (!incoming.length && !outgoing.length) return null
  return (
    <>
      {incoming.length ? (
        <section aria-labelledby="invitations-in">
          <h3 id="invitations-in" className="dialog-section">Invitations to you</h3>
          <ul className="list-plain dialog-list">
            {incoming.map((inv) => (
              <li key={inv.id} className="dialog-row">
                <Avatar name={inv.from.displayName} size={32} />
                <div className="dialog-item-text">
                  <span className="dialog-item-title">{shownName(inv.from)}</span>
                  {inv.message ? <span className="muted dialog-clamp">“{inv.message}”</span> : <span className="muted">@{inv.from.username}</span>}
                </div>
                <button type="button" className="btn btn-primary" disabled={busy !== null} aria-label={`Accept ${inv.from.displayName}`} onClick={() => onAnswer(inv, 'accept')}>
                  Accept
                </button>
                <button type="button" className="btn" disabled={busy !== null} aria-label={`Decline ${inv.from.displayName}`} onClick={() => onAnswer(inv, 'decline')}>
                  Decline
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {outgoing.length ? (
        <section aria-labelledby="invitations-out">
          <h3 id="invitations-out" className="dialog-section">Waiting for an answer</h3>
          <ul className="list-plain dialog-list">
            {outgoing.map((inv) => (
              <li key={inv.id} className="dialog-row">
                <Avatar name={inv.to.displayName} size={32} />
                <div className="dialog-item-text">
                  <span className="dialog-item-title">{shownName(inv.to)}</span>
                  <span className="muted">@{inv.to.username}</span>
                </div>
                <button type="button" className="btn" disabled={busy !== null} aria-label={`Cancel invitation to ${inv.to.displayName}`} onClick={() => onAnswer(inv, 'cancel')}>
                  Cancel
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  )
}
