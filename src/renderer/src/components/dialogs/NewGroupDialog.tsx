// Create a group: a title and the first members.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS } from '../../../../shared/limits'
import type { PublicUser } from '../../../../shared/schemas/users'
import { api, unwrap } from '../../lib/api'
import { shownName } from '../../lib/names'
import { Dialog } from '../Dialog/Dialog'
import { ErrorLine } from './ErrorLine'
import { FormActions } from './FormActions'
import { showConversation } from './showConversation'
import { useAction } from './useAction'
import { UserPicker } from './UserPicker'

export function NewGroupDialog({ onClose }: { onClose: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const [title, setTitle] = useState('')
  const [members, setMembers] = useState<PublicUser[]>([])
  const { busy, error, run } = useAction()

  const create = (): void => {
    void run('create', async () => {
      const c = await unwrap(api().conversations.createGroup({ title: title.trim(), memberIds: members.map((m) => m.id) }))
      showConversation(c)
    })
  }

  return (
    <Dialog title={t('shell.sidebar.newGroup')} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          if (title.trim()) create()
        }}
      >
        <label className="field">
          <span>{t('dialogs.group.name')}</span>
          <input className="input" value={title} maxLength={LIMITS.groupTitleMax} required onChange={(e) => setTitle(e.target.value)} />
        </label>
        <div className="field">
          <span id="new-group-members">{t('dialogs.group.membersCount', { count: members.length })}</span>
          {members.length ? (
            <ul className="list-plain chips" aria-labelledby="new-group-members">
              {members.map((m) => (
                <li key={m.id} className="chip">
                  {shownName(m)}
                  <button
                    type="button"
                    className="chip-remove"
                    aria-label={t('dialogs.group.removeName', { name: m.displayName })}
                    onClick={() => setMembers((list) => list.filter((x) => x.id !== m.id))}
                  >
                    ✕
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <span className="muted">{t('dialogs.group.onlyYou')}</span>
          )}
        </div>
        <UserPicker
          label={t('dialogs.group.addPeople')}
          verb={t('dialogs.group.add')}
          exclude={members.map((m) => m.id)}
          onPick={(u) => setMembers((list) => (list.some((x) => x.id === u.id) ? list : [...list, u]))}
        />
        <ErrorLine error={error} />
        <FormActions onCancel={onClose} label={t('dialogs.group.create')} busyLabel={t('dialogs.group.creating')} busy={busy !== null} disabled={!title.trim()} />
      </form>
    </Dialog>
  )
}
