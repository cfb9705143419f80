// Makes a user group (server admins) or changes one: server admins change
// everything, a group's managers its name and members (the server enforces
// the same).
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { UserGroup } from '../../../../../shared/schemas/user-groups'
import { useStore } from '../../../store'
import { ErrorLine } from '../ErrorLine'
import { useAction } from '../useAction'
import { PeopleField } from './PeopleField'

interface Props {
  /** The group to change; none: a new one. */
  group?: UserGroup
  /** A server admin: handle and managers too. */
  admin: boolean
  onDone: () => void
}

export function UserGroupForm({ group, admin, onDone }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const [handle, setHandle] = useState(group?.handle ?? '')
  const [name, setName] = useState(group?.name ?? '')
  const [memberIds, setMemberIds] = useState<string[]>(group?.memberIds ?? [])
  const [managerIds, setManagerIds] = useState<string[]>(group?.managerIds ?? [])
  const { busy, error, run } = useAction()
  const save = (): void =>
    void run('save', async () => {
      const s = useStore.getState()
      if (!group) await s.createUserGroup({ handle, name, memberIds, managerIds })
      else await s.updateUserGroup(group.id, admin ? { handle, name, memberIds, managerIds } : { name, memberIds })
      onDone()
    })
  return (
    <form
      className="user-group-form"
      aria-label={group ? t('userGroups.editing', { handle: group.handle }) : t('userGroups.new')}
      onSubmit={(e) => {
        e.preventDefault()
        save()
      }}
    >
      <div className="row wrap">
        <label className="field">
          <span>{t('userGroups.handle')}</span>
          <input className="input" value={handle} disabled={!admin} required minLength={2} maxLength={32} placeholder="design" onChange={(e) => setHandle(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('userGroups.name')}</span>
          <input className="input" value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
      </div>
      <PeopleField label={t('userGroups.members')} searchLabel={t('userGroups.addMember')} ids={memberIds} onChange={setMemberIds} disabled={busy !== null} />
      {admin ? (
        <PeopleField label={t('userGroups.managers')} searchLabel={t('userGroups.addManager')} ids={managerIds} onChange={setManagerIds} disabled={busy !== null} />
      ) : null}
      <ErrorLine error={error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy !== null}>
          {group ? t('userGroups.save') : t('userGroups.create')}
        </button>
        <button type="button" className="btn" disabled={busy !== null} onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
