// Start a direct chat: pick a person; someone who takes chats from contacts
// only gets a contact invitation instead.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { PublicUser } from '../../../../shared/schemas/users'
import { api, unwrap } from '../../lib/api'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { showConversation } from './showConversation'
import { useAction } from './useAction'
import { UserPicker } from './UserPicker'

export function NewChatDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const { busy, error, run } = useAction()
  const [invited, setInvited] = useState<string | null>(null)

  const start = (user: PublicUser): void => {
    setInvited(null)
    void run(user.id, async () => {
      const answer = await unwrap(api().conversations.openDirect({ userId: user.id }))
      if ('conversation' in answer) showConversation(answer.conversation)
      else setInvited(user.displayName)
    })
  }

  return (
    <Dialog title={t('shell.sidebar.newChat')} onClose={onClose}>
      <UserPicker label={t('dialogs.newChat.find')} verb={t('dialogs.newChat.verb')} onPick={start} disabled={busy !== null} />
      <ErrorLine error={error} />
      {invited ? (
        <p role="status" className="dialog-note">
          {t('dialogs.newChat.invited', { name: invited })}
        </p>
      ) : null}
    </Dialog>
  )
}
