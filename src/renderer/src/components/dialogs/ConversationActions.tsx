// Clear history, leave and delete: each asks first.
import { useTranslation } from 'react-i18next'
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
  const { t } = useTranslation()
  const { busy, error, run } = useAction()
  const context = c.kind === 'room' ? 'room' : 'group'

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
    <section className="conversation-actions" aria-label={t('dialogs.actions.label')}>
      <ErrorLine error={error} />
      <div className="row wrap">
        <ConfirmButton
          label={t('dialogs.actions.clear')}
          question={t('dialogs.actions.clearQuestion')}
          busy={busy !== null}
          onConfirm={clear}
        />
        {c.kind !== 'direct' ? (
          <ConfirmButton label={t('dialogs.actions.leave', { context })} question={t('dialogs.actions.leaveQuestion', { context })} busy={busy !== null} onConfirm={leave} />
        ) : null}
        {c.kind === 'group' && isAdmin ? (
          <ConfirmButton
            label={t('dialogs.actions.delete')}
            question={t('dialogs.actions.deleteQuestion')}
            busy={busy !== null}
            onConfirm={remove}
          />
        ) : null}
      </div>
      {busy ? <p className="muted" role="status">{t('common.working')}</p> : null}
    </section>
  )
}
