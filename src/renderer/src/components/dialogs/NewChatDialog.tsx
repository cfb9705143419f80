// Start a direct chat: pick a person; someone who takes chats from contacts
// only gets a contact invitation instead.
import { useState } from 'react'
import type { PublicUser } from '../../../../shared/schemas/users'
import { api, unwrap } from '../../lib/api'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { showConversation } from './showConversation'
import { useAction } from './useAction'
import { UserPicker } from './UserPicker'

export function NewChatDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
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
    <Dialog title="New chat" onClose={onClose}>
      <UserPicker label="Find a person" verb="Chat with" onPick={start} disabled={busy !== null} />
      <ErrorLine error={error} />
      {invited ? (
        <p role="status" className="dialog-note">
          {invited} accepts chats from contacts only. An invitation to become contacts was sent; you can chat once they accept it.
        </p>
      ) : null}
    </Dialog>
  )
}
