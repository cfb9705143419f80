// The sidebar's Contacts button, with the number of invitations waiting for an answer.
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'

export function ContactsButton(): React.JSX.Element {
  const waiting = useStore((s) => s.invitations.incoming.length)
  const label = waiting ? `Contacts and invitations, ${waiting} ${waiting === 1 ? 'invitation' : 'invitations'} waiting` : 'Contacts and invitations'
  return (
    <button className="icon-btn contacts-button" aria-label={label} title={label} onClick={() => useStore.getState().showInvitations()}>
      <Icon name="people" />
      {waiting ? (
        <span className="badge icon-badge" aria-hidden="true">
          {waiting}
        </span>
      ) : null}
    </button>
  )
}
