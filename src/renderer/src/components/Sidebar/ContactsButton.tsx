// The sidebar's Contacts button, with the number of invitations waiting for an answer.
import { useTranslation } from 'react-i18next'
import { useStore } from '../../store'
import { Icon } from '../Icon/Icon'

export function ContactsButton(): React.JSX.Element {
  const { t } = useTranslation()
  const waiting = useStore((s) => s.invitations.incoming.length)
  const label = waiting ? t('shell.sidebar.contactsWaiting', { count: waiting }) : t('shell.sidebar.contacts')
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
