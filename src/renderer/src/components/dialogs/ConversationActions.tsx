// Clear history, leave and delete: each asks first.
import type { Conversation } from '../../../../shared/schemas/conversations'
import { api, unwrap } from '../../lib/api'
import { useStore } from '../../store'
import { ConfirmButton } from './ConfirmButton'
import { ErrorLine } from './ErrorLine'
import { dropConversation } from './showConversation'
import { useAction } from './useAction'

interface Props {
  c: Conversation
  isAdmin: boolean
}

export function ConversationActions({ c, isAdmin }: Props): React.JSX.Element {
  const { busy, error, run } = useAction()
  const noun = c.kind === 'room' ? 'room' : 'group'
  const muted = useStore((s) => !!s.muted[c.id])

  const clear = (): void => {
    void run('clear', async () => {
      const { clearedSeq } = await unwrap(api().conversations.clear({ conversationId: c.id }))
      useStore.getState().applyCleared({ conversationId: c.id, clearedSeq })
      useStore.getState().openDialog(null)
    })
  }
  const leave = (): void => {
    void run('leave', async () => {
      await unwrap(api().conversations.leave({ conversationId: c.id }))
      dropConversation(c.id)
    })
  }
  const remove = (): void => {
    void run('delete', async () => {
      await unwrap(api().conversations.delete({ conversationId: c.id }))
      dropConversation(c.id)
    })
  }

  return (
    <section className="conversation-actions" aria-label="Actions">
      <ErrorLine error={error} />
      <label className="row">
        <input
          type="checkbox"
          checked={muted}
          onChange={(e) => {
            const value = e.target.checked
            void run('mute', async () => useStore.getState().setMuted(await unwrap(api().conversations.setMuted({ conversationId: c.id, muted: value }))))
          }}
        />
        Mute this conversation (no notifications)
      </label>
      <div className="row wrap">
        <ConfirmButton
          label="Clear history"
          question="Clear the history on all your devices? Others keep theirs."
          busy={busy !== null}
          onConfirm={clear}
        />
        {c.kind !== 'direct' ? (
          <ConfirmButton label={`Leave ${noun}`} question={`Leave this ${noun}?`} busy={busy !== null} onConfirm={leave} />
        ) : null}
        {c.kind === 'group' && isAdmin ? (
          <ConfirmButton
            label="Delete group"
            question="Delete this group and its messages for everyone?"
            busy={busy !== null}
            onConfirm={remove}
          />
        ) : null}
      </div>
      {busy ? <p className="muted" role="status">Working…</p> : null}
    </section>
  )
}
