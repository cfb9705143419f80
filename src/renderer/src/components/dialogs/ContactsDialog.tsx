// Contacts: message or remove them, answer invitations, invite someone.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Invitation } from '../../../../shared/schemas/contacts'
import type { PublicUser } from '../../../../shared/schemas/users'
import { api, unwrap } from '../../lib/api'
import { shownName } from '../../lib/names'
import { useStore } from '../../store'
import { Avatar } from '../Avatar/Avatar'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { InvitationList } from './InvitationList'
import { showConversation } from './showConversation'
import { useAction } from './useAction'
import { useContacts } from './useContacts'
import { UserPicker } from './UserPicker'

export function ContactsDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const { loaded, contacts, incoming, outgoing, declined, error: loadError, refresh } = useContacts()
  const { busy, error, run } = useAction()
  const [inviting, setInviting] = useState(false)
  const [note, setNote] = useState<string | null>(null)

  const message = (user: PublicUser): void => {
    void run(`message:${user.id}`, async () => {
      const answer = await unwrap(api().conversations.openDirect({ userId: user.id }))
      if ('conversation' in answer) showConversation(answer.conversation)
      else refresh()
    })
  }
  const remove = (user: PublicUser): void => {
    void run(`remove:${user.id}`, async () => {
      await unwrap(api().contacts.remove({ userId: user.id }))
      refresh()
    })
  }
  const answer = (inv: Invitation, verb: 'accept' | 'decline' | 'cancel'): void => {
    void run(inv.id, async () => {
      await useStore.getState().answerInvitation(inv, verb)
      refresh()
    })
  }
  const invite = (user: PublicUser): void => {
    setNote(null)
    void run('invite', async () => {
      await unwrap(api().invitations.send({ userId: user.id }))
      setNote(t('dialogs.contacts.sent', { name: user.displayName }))
      setInviting(false)
      refresh()
    })
  }

  return (
    <Dialog title={t('dialogs.contacts.title')} onClose={onClose} wide>
      <ErrorLine error={error ?? loadError} />
      {note ? <p role="status" className="dialog-note">{note}</p> : null}
      <InvitationList
        incoming={incoming}
        outgoing={outgoing}
        declined={declined}
        busy={busy}
        onAnswer={answer}
        onDismiss={(inv) => useStore.getState().dismissDeclined(inv.id)}
      />
      <h3 className="dialog-section">{t('dialogs.contacts.yours')}</h3>
      {loaded && contacts.length === 0 ? <p className="muted">{t('dialogs.contacts.none')}</p> : null}
      <ul className="list-plain dialog-list" aria-label={t('dialogs.contacts.yours')} aria-busy={!loaded}>
        {contacts.map((u) => (
          <li key={u.id} className="dialog-row">
            <Avatar name={u.displayName} image={u.avatar} size={32} />
            <div className="dialog-item-text">
              <span className="dialog-item-title">{shownName(u)}</span>
              <span className="muted dialog-clamp">{u.statusText || `@${u.username}`}</span>
            </div>
            <button type="button" className="btn" disabled={busy !== null} aria-label={t('dialogs.contacts.messageName', { name: u.displayName })} onClick={() => message(u)}>
              {t('dialogs.contacts.message')}
            </button>
            <button type="button" className="btn btn-danger" disabled={busy !== null} aria-label={t('dialogs.group.removeName', { name: u.displayName })} onClick={() => remove(u)}>
              {t('dialogs.members.remove')}
            </button>
          </li>
        ))}
      </ul>
      {inviting ? (
        <UserPicker
          label={t('dialogs.contacts.inviteLabel')}
          verb={t('dialogs.contacts.inviteVerb')}
          exclude={[...contacts.map((c) => c.id), ...outgoing.map((i) => i.to.id)]}
          disabled={busy !== null}
          onPick={invite}
        />
      ) : (
        <button type="button" className="btn" onClick={() => setInviting(true)}>
          {t('dialogs.contacts.invite')}
        </button>
      )}
    </Dialog>
  )
}
