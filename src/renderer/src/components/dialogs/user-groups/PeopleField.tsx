// A user group's members or managers: who is in (each with a Remove button)
// and a search to add more.
import { useTranslation } from 'react-i18next'
import type { PublicUser } from '../../../../../shared/schemas/users'
import { shownName } from '../../../lib/names'
import { useStore } from '../../../store'
import { UserPicker } from '../UserPicker'

interface Props {
  /** "Members", "Managers": the list's name and the search's label. */
  label: string
  searchLabel: string
  ids: readonly string[]
  onChange: (ids: string[]) => void
  disabled?: boolean
}

export function PeopleField({ label, searchLabel, ids, onChange, disabled }: Props): React.JSX.Element {
  const { t } = useTranslation()
  const people = useStore((s) => s.people)
  const add = (user: PublicUser): void => {
    // Known from now on: the list names them.
    useStore.getState().applyPeople([user])
    onChange([...ids, user.id])
  }
  return (
    <fieldset className="user-group-people">
      <legend>{label}</legend>
      {ids.length === 0 ? <p className="muted">{t('userGroups.nobody')}</p> : null}
      <ul className="list-plain dialog-list" aria-label={label}>
        {ids.map((id) => {
          const user = people[id]
          const name = user ? shownName(user) : t('userGroups.unknownPerson')
          return (
            <li key={id} className="dialog-row">
              <span className="dialog-item-text">
                <span className="dialog-item-title">{name}</span>
                {user ? <span className="muted">@{user.username}</span> : null}
              </span>
              <button type="button" className="btn" disabled={disabled} aria-label={t('userGroups.remove', { name })} onClick={() => onChange(ids.filter((x) => x !== id))}>
                {t('userGroups.removeShort')}
              </button>
            </li>
          )
        })}
      </ul>
      <UserPicker label={searchLabel} onPick={add} exclude={ids} disabled={disabled} verb={t('userGroups.add')} includeMe />
    </fieldset>
  )
}
