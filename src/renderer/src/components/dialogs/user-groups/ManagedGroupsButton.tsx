// In the profile: the way to the user groups this person manages (server admins also have the admin dialog).
import { useTranslation } from 'react-i18next'
import { useStore } from '../../../store'
import { selectManagedUserGroups } from '../../../store/user-groups'

export function ManagedGroupsButton(): React.JSX.Element | null {
  const { t } = useTranslation()
  const manages = useStore((s) => selectManagedUserGroups(s).length > 0)
  if (!manages) return null
  return (
    <button type="button" className="btn" onClick={() => useStore.getState().openDialog({ kind: 'user-groups' })}>
      {t('userGroups.title')}
    </button>
  )
}
