// The user groups a person may change: every group for a server admin (in
// the admin dialog, with New and Delete), the groups they manage otherwise.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useShallow } from 'zustand/react/shallow'
import { useStore } from '../../../store'
import { selectManagedUserGroups, selectUserGroupList } from '../../../store/user-groups'
import { ErrorLine } from '../ErrorLine'
import { useAction } from '../useAction'
import { UserGroupForm } from './UserGroupForm'

/** 'new', a group's id, or nothing open. */
type Editing = string | null

export function UserGroupsPanel({ admin }: { admin: boolean }): React.JSX.Element {
  const { t } = useTranslation()
  const groups = useStore(useShallow(admin ? selectUserGroupList : selectManagedUserGroups))
  const [editing, setEditing] = useState<Editing>(null)
  const { busy, error, run } = useAction()
  const remove = (id: string): void =>
    void run(`delete:${id}`, async () => {
      const group = useStore.getState().userGroups[id]
      if (group) await useStore.getState().deleteUserGroup(group)
    })
  return (
    <>
      <p className="muted">{admin ? t('userGroups.introAdmin') : t('userGroups.introManager')}</p>
      {admin && editing !== 'new' ? (
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
          {t('userGroups.new')}
        </button>
      ) : null}
      {editing === 'new' ? <UserGroupForm admin onDone={() => setEditing(null)} /> : null}
      <ErrorLine error={error} />
      {groups.length === 0 ? <p className="muted">{t('userGroups.none')}</p> : null}
      <ul className="list-plain dialog-list" aria-label={t('userGroups.list')}>
        {groups.map((group) => (
          <li key={group.id} aria-label={`@${group.handle}`}>
            <div className="dialog-row">
              <span className="dialog-item-text">
                <span className="dialog-item-title">@{group.handle}</span>
                <span className="muted">
                  {group.name} · {t('userGroups.memberCount', { count: group.memberIds.length })}
                </span>
              </span>
              <span className="row admin-actions">
                <button type="button" className="btn" aria-expanded={editing === group.id} disabled={busy !== null} onClick={() => setEditing(editing === group.id ? null : group.id)}>
                  {t('userGroups.edit')}
                </button>
                {admin ? (
                  <button type="button" className="btn" disabled={busy !== null} onClick={() => remove(group.id)}>
                    {t('userGroups.delete.action')}
                  </button>
                ) : null}
              </span>
            </div>
            {editing === group.id ? <UserGroupForm key={group.id} group={group} admin={admin} onDone={() => setEditing(null)} /> : null}
          </li>
        ))}
      </ul>
    </>
  )
}
